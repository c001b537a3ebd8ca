package org.hybridbench.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.hybridbench.api.workbench.PipelineService;

/** Helpers shared by the integration tests: pipeline files, listings of the runs folder, Gogo sessions. */
final class Workspace {
    private Workspace() {
    }

    static Path writePipeline(PipelineService pipelines, String name, String json) throws IOException {
        Path dir = Files.createDirectories(pipelines.workspace().resolve("pipelines"));
        return Files.writeString(dir.resolve(name + ".json"), json);
    }

    /** Every file and directory under runs/, relative, to prove that a failed validation writes nothing. */
    static TreeSet<String> listing(PipelineService pipelines) throws IOException {
        Path runs = pipelines.workspace().resolve("runs");
        TreeSet<String> all = new TreeSet<>();
        if (Files.exists(runs)) {
            try (Stream<Path> s = Files.walk(runs)) {
                s.forEach(p -> all.add(runs.relativize(p).toString()));
            }
        }
        return all;
    }

    /** A small pipeline on the committed fixture digits: data → (extra stages) → PCA → GMM → clustering metrics. */
    static String digitsPipeline(String name, String extraStage, String pcaInput, int epochs) {
        return """
                {"name": "%s",
                 "stages": {
                   "digits": {"type": "dataset.mnist", "config": {"source": "fixture", "split": "all"}},
                   %s
                   "pca":    {"type": "transform.pca", "config": {"components": 15}, "inputs": {"dataset": "%s"}},
                   "gmm":    {"type": "model.gmm.em", "config": {"components": 10, "covariance": "diagonal"},
                              "inputs": {"dataset": "pca.dataset"}},
                   "eval":   {"type": "metric.clustering", "inputs": {"predictions": "gmm.predictions"}}
                 },
                 "training": {"epochs": %d, "seed": 11, "checkpointEvery": 5}}
                """.formatted(name, extraStage, pcaInput, epochs);
    }

    /** Runs one Gogo command line; returns what it printed, or throws what it threw. */
    static String gogo(CommandProcessor processor, String commandLine) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(commandLine);
            if (result != null) {
                out.println(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A bundle whose only import cannot be satisfied: the shape of a plugin built against something not installed. */
    static Path unresolvableBundle(Path dir) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.example.broken");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.example.does.not.exist;version=\"[2.0,3)\"");
        Path jar = Files.createDirectories(dir).resolve("broken-plugin.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
            j.flush();
        }
        return jar;
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
