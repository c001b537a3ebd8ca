package org.hybridbench.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCurvesTest {
    @TempDir
    Path workspace;
    private int clock;

    /** A completed run whose metrics.jsonl holds {@code lines}. */
    private RunInfo run(String pipeline, long seed, List<String> overrides, String lines) throws IOException {
        return run(pipeline, seed, overrides, lines, RunStatus.COMPLETED);
    }

    private RunInfo run(String pipeline, long seed, List<String> overrides, String lines, RunStatus status) throws IOException {
        clock++;
        Path dir = Files.createDirectories(workspace.resolve("runs/r" + clock));
        Files.writeString(dir.resolve("metrics.jsonl"), lines);
        return new RunInfo("r" + clock, pipeline, status, dir, Instant.ofEpochSecond(clock),
                Instant.ofEpochSecond(clock + 1), Map.of(), null, overrides, seed);
    }

    /** Lines of stage "train" logging {@code loss} at steps 1, 2, ... */
    private static String losses(double... loss) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < loss.length; i++) {
            sb.append("{\"time\":\"2026-11-26T10:00:0").append(i).append("Z\",\"stage\":\"train\",\"step\":").append(i + 1)
                    .append(",\"loss\":").append(loss[i]).append("}\n");
        }
        return sb.toString();
    }

    @Test
    void seriesAreReadWithTheirStepsAndValues() throws IOException {
        RunInfo r = run("p", 1, List.of(), """
                {"time":"2026-11-26T10:00:00Z","stage":"data","step":0,"sentences":5000,"note":"a \\"quoted\\" text"}
                {"time":"2026-11-26T10:00:01Z","stage":"train","step":1,"loss":2.5,"accuracy":0.25,"flags":[1,{"a":2}]}
                {"time":"2026-11-26T10:00:02Z","stage":"train","step":2,"loss":"NaN","accuracy":0.5}
                {"time":"2026-11-26T10:00:03Z","stage":"train","step":3,"loss":1.25e-1,"accuracy":0.75}
                {"time":"2026-11-26T10:00:04Z","stage":"train","step":3,"loss":0.0625}
                {"time":"2026-11-26T10:00:05Z","stage":"train","step":4,"lo""");
        Map<String, List<double[]>> s = RunCurves.read(r.directory().resolve("metrics.jsonl"));
        assertEquals(List.of("data.sentences", "train.loss", "train.accuracy"), List.copyOf(s.keySet()),
                "text, arrays and objects are not series; the torn last line is skipped");
        assertArrayEquals(new double[] {0, 5000}, s.get("data.sentences").get(0));
        List<double[]> loss = s.get("train.loss");
        assertEquals(3, loss.size());
        assertArrayEquals(new double[] {1, 2.5}, loss.get(0));
        assertEquals(2.0, loss.get(1)[0]);
        assertTrue(Double.isNaN(loss.get(1)[1]), "NaN written as text is a gap in the curve");
        // step 3 was logged twice (as by a resumed run): the later value counts
        assertArrayEquals(new double[] {3, 0.0625}, loss.get(2));
        assertEquals(List.of(0.25, 0.5, 0.75), s.get("train.accuracy").stream().map(p -> p[1]).toList());
        assertEquals(Map.of(), RunCurves.read(workspace.resolve("missing.jsonl")));
    }

    @Test
    void seedsOfOneSettingShareAColourAndOtherSettingsGetAnother() throws IOException {
        RunInfo seed1 = run("tagger", 1, List.of("training.seed=1", "training.epochs=5"), losses(3, 2, 1));
        RunInfo seed2 = run("tagger", 2, List.of("training.epochs=5", "training.seed=2"), losses(3.5, 2.5, 1.5));
        RunInfo longer = run("tagger", 1, List.of("training.seed=1", "training.epochs=10"), losses(3, 1, 0.5));
        RunCurves.Plot plot = RunCurves.collect(List.of(seed1, seed2, longer), List.of("loss"));
        assertEquals(List.of("train.loss"), List.copyOf(plot.panels().keySet()), "a bare metric name finds its stage");
        Map<String, Integer> groupOf = new java.util.HashMap<>();
        plot.panels().get("train.loss").forEach(c -> groupOf.put(c.run().id(), c.group()));
        assertEquals(3, groupOf.size());
        assertEquals(groupOf.get(seed1.id()), groupOf.get(seed2.id()));
        assertNotEquals(groupOf.get(seed1.id()), groupOf.get(longer.id()));
        assertEquals(RunCurves.color(groupOf.get(seed1.id())), RunCurves.color(groupOf.get(seed2.id())));
        assertNotEquals(RunCurves.color(groupOf.get(seed1.id())), RunCurves.color(groupOf.get(longer.id())));
        assertEquals(2, plot.groups().size());
        assertEquals(List.of(3.5, 2.5, 1.5), plot.panels().get("train.loss").stream()
                .filter(c -> c.run().equals(seed2)).findFirst().orElseThrow().points().stream().map(p -> p[1]).toList());
    }

    @Test
    void aBareMetricNameGivesAPanelPerStageThatLogsIt() throws IOException {
        RunInfo r = run("p", 1, List.of(), """
                {"stage":"test","step":1,"accuracy":0.5}
                {"stage":"dev","step":1,"accuracy":0.6}
                {"stage":"train","step":1,"loss":2}
                """);
        RunCurves.Plot plot = RunCurves.collect(List.of(r), List.of("accuracy", "train.loss"));
        assertEquals(List.of("dev.accuracy", "test.accuracy", "train.loss"), List.copyOf(plot.panels().keySet()));
    }

    @Test
    void thePictureHasAPanelPerMetricAndTheColoursOfEveryGroup() throws IOException {
        List<RunInfo> runs = List.of(
                run("tagger", 1, List.of("training.seed=1"), losses(4, 3, 2, 1.5, 1.25)),
                run("tagger", 2, List.of("training.seed=2"), losses(4.5, 3.5, 2.5, 2, 1.75)),
                run("tagger", 1, List.of("training.seed=1", "training.epochs=10"), losses(1, 0.8, 0.6, 0.4, 0.2)),
                // a run with a single point of the metric is drawn as a marker
                run("other", 1, List.of(), "{\"stage\":\"train\",\"step\":3,\"loss\":3.0,\"accuracy\":0.1}\n"));
        RunCurves.Plot plot = RunCurves.collect(runs, List.of("train.loss", "accuracy"));
        Path png = RunCurves.write(plot, workspace.resolve("figures/curves.png").toString());
        assertEquals(workspace.resolve("figures/curves.png"), png);
        BufferedImage img = ImageIO.read(png.toFile());
        // two panels of 420 x 280 side by side, then the legend: padding 12 + 3 groups x 18 + padding 12
        assertEquals(840, img.getWidth());
        assertEquals(280 + 12 + 3 * 18 + 12, img.getHeight());
        assertEquals(3, plot.groups().size());
        // curve pixels of each group's colour inside the first panel's plotting area (not the legend below it)
        for (int group = 0; group < 3; group++) {
            int rgb = RunCurves.color(group).getRGB() & 0xFFFFFF;
            int pixels = 0;
            for (int x = 66; x < 404; x++) {
                for (int y = 30; y < 240; y++) {
                    if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                        pixels++;
                    }
                }
            }
            assertTrue(pixels >= 20, "pixels of group " + plot.groups().get(group) + " in the panel: " + pixels);
        }
        // the second panel shows the lone accuracy point as a marker
        int marker = 0;
        int other = RunCurves.color(0).getRGB() & 0xFFFFFF; // "other" sorts first
        for (int x = 420 + 66; x < 840 - 16; x++) {
            for (int y = 30; y < 240; y++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == other) {
                    marker++;
                }
            }
        }
        assertTrue(marker >= 20, "marker pixels: " + marker);
    }

    @Test
    void tenColoursThenTheyRepeat() {
        assertEquals(10, java.util.stream.IntStream.range(0, 10).mapToObj(RunCurves::color).distinct().count());
        assertEquals(RunCurves.color(0), RunCurves.color(10));
        assertEquals(new Color(0x1F77B4), RunCurves.color(0));
    }

    @Test
    void ticksAreRoundNumbersAndStepsWhole() {
        double[] t = RunCurves.ticks(0, 1, 5, false);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, t, 1e-12);
        assertEquals("0.4", RunCurves.tickLabel(t[2], t));
        assertEquals("0.0", RunCurves.tickLabel(t[0], t));
        assertArrayEquals(new double[] {0, 1, 2, 3}, RunCurves.ticks(0, 3, 6, true));
        double[] big = RunCurves.ticks(-25, 230, 5, false);
        assertArrayEquals(new double[] {0, 50, 100, 150, 200}, big);
        assertEquals("150", RunCurves.tickLabel(150, big));
    }

    @Test
    void anUnknownMetricNamesTheMetricsThereAre() throws IOException {
        RunInfo r = run("p", 1, List.of(), losses(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCurves.collect(List.of(r), List.of("loss", "f1")));
        assertTrue(e.getMessage().contains("'f1'") && e.getMessage().contains("[train.loss]"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> RunCurves.collect(List.of(r), List.of()));
        assertTrue(none.getMessage().contains("-m") && none.getMessage().contains("[train.loss]"), none.getMessage());
    }

    @Test
    void noFinishedRunsIsAnError() throws IOException {
        List<RunInfo> runs = List.of(run("tagger", 1, List.of(), losses(1), RunStatus.FAILED),
                run("digits", 1, List.of(), losses(1)));
        List<RunInfo> selected = RunCurves.selected(runs, "tag*", "*");
        assertEquals(List.of(runs.get(0)), selected);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunCurves.finished(selected, "tag*", "*", workspace.resolve("runs")));
        assertEquals("no finished runs (1 selected runs are not completed) in " + workspace.resolve("runs")
                + " with pipeline 'tag*' and run id '*'", e.getMessage());
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> RunCurves.finished(RunCurves.selected(runs, "*", "2025*"), "*", "2025*", workspace.resolve("runs")));
        assertTrue(nothing.getMessage().startsWith("no finished runs in "), nothing.getMessage());
        assertEquals(List.of(runs.get(1)), RunCurves.finished(RunCurves.selected(runs, "*", "*"), "*", "*", workspace));
    }

    @Test
    void anUnwritableOutputIsAnErrorNamingTheFile() throws IOException {
        RunCurves.Plot plot = RunCurves.collect(List.of(run("p", 1, List.of(), losses(2, 1))), List.of("loss"));
        Path file = Files.writeString(workspace.resolve("a-file"), "x");
        String target = file.resolve("curves.png").toString(); // its parent is a file, not a directory
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunCurves.write(plot, target));
        assertTrue(e.getMessage().startsWith("cannot write the curves to " + target), e.getMessage());
    }
}
