package org.hybridbench.vae;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.TrainingCheckpoint;
import org.hybridbench.dl4j.Dl4jReadiness;
import org.hybridbench.images.Binarization;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stage type {@code evaluate.vae}: the evaluation command of a trained VAE — loads {@code model-<stage>.bin} of an earlier
 * run into the wired networks (same architecture) and estimates log p(x) of every test image by the importance-weighted
 * bound with k draws (Burda et al. 2016, eq. 8; k = 5000 as in their evaluation), with its standard error over images,
 * next to the ELBO. Long work: progress per image, cancellable.
 */
@Component(service = StageProvider.class)
@StageType(VaeEvalStageProvider.TYPE)
public class VaeEvalStageProvider implements StageProvider {
    static final String TYPE = "evaluate.vae";
    static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.METRIC)
            .description("Evaluates a VAE trained by model.vae in an earlier run: its model-<modelStage>.bin is loaded into the wired "
                    + "encoder and decoder (the architecture it was trained with); IWAE-k estimate of log p(x) per test image (mean "
                    + "and standard error, nats), ELBO with one draw; per-image values in iwae-<stage>.csv.")
            .config(ConfigParam.string("model", null, "A run id in <workspace>/runs, a run directory, or a model-*.bin file."))
            .config(ConfigParam.string("modelStage", "vae", "The model.vae stage of that run (its file is model-<modelStage>.bin)."))
            .config(ConfigParam.integer("latent", 20L, 1, 10_000, "Dimension of z, as trained."))
            .config(ConfigParam.choice("likelihood", "bernoulli", List.of("bernoulli", "gaussian-fixed", "gaussian-learned"), "p(x|z), as trained."))
            .config(ConfigParam.number("variance", 0.05, 1e-6, 1e6, "The variance of gaussian-fixed, as trained."))
            .config(ConfigParam.choice("prior", "normal", List.of("normal", "laplace", "student-t"), "p(z), as trained."))
            .config(ConfigParam.choice("kl", "analytic", List.of("analytic", "mc"),
                    "The KL of the reported ELBO: analytic (prior = normal only) or mc (one draw per image, as model.vae's final ELBO)."))
            .config(ConfigParam.integer("iwaeK", 5000L, 1, 1_000_000, "Importance samples per image."))
            .config(ConfigParam.integer("rows", 0L, 0, 10_000_000, "Test images to evaluate (the first ones; 0 = all)."))
            .input(PortSpec.required("test", PortTypes.DATASET, "Test images (dataset.images), as the model saw them (binarisation)."))
            .input(PortSpec.required("encoder", PortTypes.NETWORK, "An encoder of the trained architecture (its weights are loaded)."))
            .input(PortSpec.required("decoder", PortTypes.NETWORK, "A decoder of the trained architecture (its weights are loaded)."))
            .build();

    private final ComponentServiceObjects<Dl4jReadiness> dl4j;

    @Activate
    public VaeEvalStageProvider(@Reference ComponentServiceObjects<Dl4jReadiness> dl4j) {
        this.dl4j = dl4j;
    }

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        VaeObjective.Settings settings;
        try {
            settings = new VaeObjective.Settings(c.getInt("latent"), VaeObjective.Likelihood.of(c.getString("likelihood")), c.getDouble("variance"),
                    1, 1, VaeObjective.Prior.of(c.getString("prior")), VaeObjective.KlEstimator.of(c.getString("kl")));
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        String model = c.getString("model");
        String modelStage = c.getString("modelStage");
        int k = c.getInt("iwaeK");
        int rows = c.getInt("rows");
        return (io, context) -> {
            Dl4jReadiness ready = dl4j == null ? null : dl4j.getService(); // loads ND4J on first use in this JVM
            try {
                evaluate(io, context, settings, model, modelStage, k, rows);
            } finally {
                if (ready != null) {
                    dl4j.ungetService(ready);
                }
            }
        };
    }

    /** The model file: a .bin path, a run directory, or a run id under {@code <workspace>/runs} (the data cache's sibling). */
    static Path modelFile(String model, String modelStage, RunContext ctx) throws StageException {
        Path given = Path.of(model);
        List<Path> candidates = new ArrayList<>();
        if (model.endsWith(".bin")) {
            candidates.add(given);
        } else {
            candidates.add(given.resolve("model-" + modelStage + ".bin"));
            Path runs = ctx.dataCache().toAbsolutePath().getParent().resolve("runs");
            candidates.add(runs.resolve(model).resolve("model-" + modelStage + ".bin"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new StageException(TYPE + ": no model file for model '" + model + "' (looked for " + candidates
                + "); give a run id of a model.vae run, its directory, or the model-*.bin file");
    }

    static void evaluate(StageIO io, RunContext ctx, VaeObjective.Settings settings, String model, String modelStage, int k, int rowsWanted)
            throws Exception {
        Dataset test = io.input("test", PortTypes.DATASET);
        DifferentiableNetwork encoder = io.input("encoder", PortTypes.NETWORK);
        DifferentiableNetwork decoder = io.input("decoder", PortTypes.NETWORK);
        if (encoder == decoder) {
            throw new StageException(TYPE + ": encoder and decoder are the same network object; wire two network stages");
        }
        Path file = modelFile(model, modelStage, ctx);
        int pixels = test.features().cols();
        VaeObjective objective = new VaeObjective(encoder, decoder, settings);
        try {
            objective.evaluate(new Matrix(1, pixels), new double[settings.latent()], 1, false, 0); // builds the networks
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StageException(TYPE + ": " + e.getMessage() + " (images of " + pixels + " pixels, latent " + settings.latent() + ")", e);
        }
        List<ParameterBlock> blocks = new ArrayList<>(VaeStage.prefixed("encoder/", encoder.parameters()));
        blocks.addAll(VaeStage.prefixed("decoder/", decoder.parameters()));
        int epochs;
        try (InputStream in = Files.newInputStream(file)) {
            epochs = TrainingCheckpoint.read(in, VaeStage.MODEL_MAGIC, blocks, null, file.toString());
        } catch (IOException e) {
            throw new StageException(TYPE + ": " + e.getMessage() + " (wire networks of the architecture the model was trained with)", e);
        }
        Matrix x = Binarization.isDynamic(test) ? Binarization.sample(test.features(), Binarization.seedOf(test), 0) : test.features();
        int rows = rowsWanted > 0 ? Math.min(rowsWanted, x.rows()) : x.rows();
        ctx.log(String.format(Locale.ROOT, "%s: %s (trained %d epochs), IWAE-%d on %d of %d images of '%s'", TYPE, file, epochs, k, rows,
                x.rows(), test.name()));

        SplittableRandom rng = new SplittableRandom(ctx.stageSeed());
        double[] eps = objective.noise(rows, new SplittableRandom(ctx.stageSeed() ^ 0x7E57L));
        VaeObjective.Batch elbo = VaeStage.score(objective, VaeStage.slice(x, 0, rows), eps);
        double[] logPx = new double[rows];
        long t0 = System.nanoTime();
        try (ProgressMonitor progress = ctx.progress(TYPE + " IWAE-" + k, rows, "images")) {
            int step = Math.max(1, Math.min(100, rows / 20));
            for (int a = 0; a < rows; a += step) {
                int b = Math.min(rows, a + step);
                double[] part = VaeStage.iwaeLogLikelihoods(objective, x, a, b, k, rng, ctx);
                System.arraycopy(part, 0, logPx, a, part.length);
                progress.advance(b - a);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double mean = 0;
        for (double v : logPx) {
            mean += v / rows;
        }
        double var = 0;
        for (double v : logPx) {
            var += (v - mean) * (v - mean) / Math.max(1, rows - 1);
        }
        double stderr = Math.sqrt(var / rows);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("testIwaeLogPx", mean);
        m.put("testIwaeLogPxStdErr", stderr);
        m.put("testElbo", elbo.elbo() / rows);
        m.put("iwaeK", (double) k);
        m.put("rows", (double) rows);
        m.put("seconds", seconds);
        ctx.metrics(0, m);
        ctx.log(String.format(Locale.ROOT, "%s: IWAE-%d log p(x) = %.2f ± %.2f nats (standard error over %d images), ELBO %.2f; %.1f s",
                TYPE, k, mean, stderr, rows, elbo.elbo() / rows, seconds));
        ctx.saveArtifact("iwae-" + ctx.stageName() + ".csv", out -> {
            StringBuilder sb = new StringBuilder("image,label,iwaeLogPx\n");
            int[] labels = test.labels();
            for (int i = 0; i < rows; i++) {
                sb.append(i).append(',').append(labels == null ? "" : String.valueOf(labels[i])).append(',').append(logPx[i]).append('\n');
            }
            out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }
}
