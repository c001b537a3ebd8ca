package org.hybridbench.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static int clock;

    private static RunInfo run(String pipeline, long seed, List<String> overrides, Map<String, Double> metrics) {
        clock++;
        return new RunInfo("r" + clock, pipeline, RunStatus.COMPLETED, Path.of("runs/r" + clock),
                Instant.ofEpochSecond(clock), Instant.ofEpochSecond(clock + 1), metrics, null, overrides, seed);
    }

    private static Map<String, Double> metrics(double accuracy, double seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("eval.testAccuracy", accuracy);
        m.put("train.trainSeconds", seconds);
        return m;
    }

    /** Three seeds of tagger with 5 epochs (overrides in different orders), one default tagger run, one other pipeline. */
    private static List<RunInfo> sweep() {
        return List.of(
                run("tagger", 1, List.of("training.seed=1", "training.epochs=5", "stages.t.config.hidden=100"), metrics(0.90, 10)),
                run("tagger", 2, List.of("stages.t.config.hidden=100", "training.seed=2", "training.epochs=5"), metrics(0.92, 12)),
                run("tagger", 3, List.of("training.epochs=5", "stages.t.config.hidden=100", "training.seed=3"), metrics(0.94, 14)),
                run("tagger", 1, List.of(), metrics(0.80, 20)),
                run("digits", 7, List.of("training.seed=7"), Map.of("eval.purity", 0.5)));
    }

    @Test
    void runsGroupByPipelineAndOverridesOtherThanTheSeed() {
        List<RunSummary.Group> groups = RunSummary.group(sweep());
        assertEquals(3, groups.size(), groups::toString);
        assertEquals("digits", groups.get(0).pipeline());
        assertEquals(List.of(), groups.get(0).overrides());
        assertEquals("tagger", groups.get(1).pipeline());
        assertEquals(List.of(), groups.get(1).overrides());
        assertEquals(List.of("stages.t.config.hidden=100", "training.epochs=5"), groups.get(2).overrides());
        assertEquals(List.of("1", "2", "3"), groups.get(2).seeds());
        assertEquals(List.of("r1", "r2", "r3"), groups.get(2).runs().stream().map(RunInfo::id).toList());
    }

    @Test
    void meanAndSampleStandardDeviation() {
        RunSummary.Group g = RunSummary.group(sweep()).get(2);
        RunSummary.Stat acc = RunSummary.stat(g, "eval.testAccuracy");
        assertEquals(3, acc.n());
        assertEquals(0.92, acc.mean(), 1e-12);
        // deviations -0.02, 0, 0.02: sum of squares 0.0008 over n - 1 = 2 gives variance 0.0004
        assertEquals(0.02, acc.sd(), 1e-12);
        RunSummary.Stat secs = RunSummary.stat(g, "train.trainSeconds");
        assertEquals(12.0, secs.mean(), 1e-12);
        assertEquals(2.0, secs.sd(), 1e-12);
        assertTrue(Double.isNaN(RunSummary.stat(RunSummary.group(sweep()).get(1), "eval.testAccuracy").sd()));
    }

    @Test
    void formatRoundsTheSdToTwoDigitsAndTheMeanToTheSamePlace() {
        assertEquals("0.920 ± 0.020", RunSummary.format(new RunSummary.Stat(3, 3, 0.92, 0.02)));
        assertEquals("0.9123 ± 0.0046", RunSummary.format(new RunSummary.Stat(3, 3, 0.912345, 0.004567)));
        assertEquals("123.5 ± 5.6", RunSummary.format(new RunSummary.Stat(3, 3, 123.456, 5.6)));
        assertEquals("1235 ± 56", RunSummary.format(new RunSummary.Stat(3, 3, 1234.5, 56.0)));
        assertEquals("0.8", RunSummary.format(new RunSummary.Stat(1, 1, 0.8, Double.NaN)));
        assertEquals("0.1235", RunSummary.format(new RunSummary.Stat(1, 1, 0.123456, Double.NaN)));
        assertEquals("0.5 ± 0", RunSummary.format(new RunSummary.Stat(2, 2, 0.5, 0.0)));
        assertEquals("0.50 ± 0.10 (2/3)", RunSummary.format(new RunSummary.Stat(2, 3, 0.5, 0.1)));
        assertEquals("-", RunSummary.format(new RunSummary.Stat(0, 3, Double.NaN, Double.NaN)));
    }

    @Test
    void defaultMetricsAreThoseEveryRunOfAGroupHas() {
        List<RunInfo> runs = List.of(run("p", 1, List.of(), Map.of("a.x", 1.0, "a.y", 2.0)),
                run("p", 2, List.of(), Map.of("a.x", 3.0)), run("q", 1, List.of(), Map.of("b.z", 1.0)));
        assertEquals(List.of("a.x", "b.z"), RunSummary.sharedMetrics(RunSummary.group(runs)));
    }

    @Test
    void aBareMetricNameSelectsItInEveryStage() {
        List<String> available = List.of("dev.accuracy", "eval.testAccuracy", "test.accuracy", "train.trainSeconds");
        assertEquals(List.of("eval.testAccuracy", "train.trainSeconds"),
                RunSummary.select(List.of("testAccuracy", "train.trainSeconds"), available));
        assertEquals(List.of("dev.accuracy", "test.accuracy"), RunSummary.select(List.of("accuracy"), available));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSummary.select(List.of("accuracy", "f1"), available));
        assertTrue(e.getMessage().contains("no final metric 'f1'") && e.getMessage().contains("eval.testAccuracy"), e.getMessage());
    }

    @Test
    void repeatedSeedsAreFound() {
        List<RunInfo> runs = List.of(run("p", 1, List.of(), Map.of()), run("p", 1, List.of(), Map.of()),
                run("p", 2, List.of(), Map.of()));
        assertEquals(List.of("1"), RunSummary.group(runs).get(0).repeatedSeeds());
    }

    @Test
    void markdownAndCsvTables() {
        List<RunSummary.Group> groups = RunSummary.group(sweep()).subList(1, 3);
        List<String> keys = List.of("eval.testAccuracy");
        assertEquals("""
                | pipeline | overrides | runs | seeds | eval.testAccuracy |
                |---|---|---:|---|---:|
                | tagger | - | 1 | 1 | 0.8 |
                | tagger | stages.t.config.hidden=100 training.epochs=5 | 3 | 1,2,3 | 0.920 ± 0.020 |
                """, RunSummary.markdown(groups, keys));
        String csv = RunSummary.csv(groups, keys);
        String[] lines = csv.split("\r\n");
        assertEquals("pipeline,overrides,runs,seeds,eval.testAccuracy mean,eval.testAccuracy sd,eval.testAccuracy n", lines[0]);
        assertEquals("tagger,,1,1,0.8,,1", lines[1]);
        String[] cells = lines[2].split(",");
        assertEquals("stages.t.config.hidden=100 training.epochs=5", cells[1]);
        assertEquals("1 2 3", cells[3]);
        assertEquals(0.92, Double.parseDouble(cells[4]), 1e-12);
        assertEquals(0.02, Double.parseDouble(cells[5]), 1e-12);
        assertEquals("3", cells[6]);
    }
}
