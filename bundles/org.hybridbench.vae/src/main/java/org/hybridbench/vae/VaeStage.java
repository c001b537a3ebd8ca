package org.hybridbench.vae;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.TrainingCheckpoint;
import org.hybridbench.images.Binarization;
import org.hybridbench.images.ImageGrid;

/** One run of {@code model.vae}. */
final class VaeStage {
    static final String TYPE = VaeStageProvider.TYPE;
    static final String CHECKPOINT = "vae";
    static final String CHECKPOINT_MAGIC = "hybridbench-vae-checkpoint-1";
    static final String MODEL_MAGIC = "hybridbench-vae-model-1";
    /** Rows per forward pass when only scoring. */
    static final int EVAL_CHUNK = 1000;
    /** Decoder rows per pass in the IWAE evaluation. */
    static final int IWAE_ROWS = 2000;

    record Config(VaeObjective.Settings settings, double beta, int klWarmupEpochs, int evalIwaeK, int evalRows) {
        Config {
            if (settings.iwaeK() > 1 && (beta != 1 || klWarmupEpochs > 0)) {
                throw new IllegalArgumentException("beta and klWarmupEpochs weight the ELBO's KL term; the IWAE bound (iwaeK = "
                        + settings.iwaeK() + ") has none: set beta = 1 and klWarmupEpochs = 0, or iwaeK = 1");
            }
        }
    }

    /** What the run measured, for tests. */
    record Result(List<Double> trainNegElbo, List<Double> testNegElbo, List<Double> secondsPerEpoch, double finalTestElbo, double iwaeLogPx) {
    }

    private final Config config;
    Result result;
    List<ParameterBlock> blocks;

    VaeStage(Config config) {
        this.config = config;
    }

    void run(StageIO io, RunContext ctx) throws Exception {
        Dataset train = io.input("train", PortTypes.DATASET);
        Dataset test = io.optionalInput("test", PortTypes.DATASET).orElse(null);
        DifferentiableNetwork encoder = io.input("encoder", PortTypes.NETWORK);
        DifferentiableNetwork decoder = io.input("decoder", PortTypes.NETWORK);
        Optimizer optimizer = io.input("optimizer", PortTypes.OPTIMIZER);
        if (encoder == decoder) {
            throw new StageException(TYPE + ": encoder and decoder are the same network object; wire two network stages (encoder.mlp, or encoder.conv and decoder.deconv)");
        }
        int n = train.size();
        int pixels = train.features().cols();
        if (n == 0) {
            throw new StageException(TYPE + ": the training data set '" + train.name() + "' has no rows");
        }
        if (test != null && test.features().cols() != pixels) {
            throw new StageException(TYPE + ": the test images '" + test.name() + "' have " + test.features().cols()
                    + " pixels, the training images '" + train.name() + "' " + pixels);
        }
        VaeObjective.Settings s = config.settings();
        VaeObjective objective = new VaeObjective(encoder, decoder, s);
        boolean dynamic = Binarization.isDynamic(train);
        long binSeed = dynamic ? Binarization.seedOf(train) : 0;
        checkRange(train, s.likelihood());
        Matrix testX = test == null ? null
                : Binarization.isDynamic(test) ? Binarization.sample(test.features(), Binarization.seedOf(test), 0) : test.features();
        if (test != null) {
            checkRange(test, s.likelihood());
        }

        // sizes: one probe row builds the wired networks (encoder.mlp builds on its first forward) and checks their widths
        try {
            objective.evaluate(new Matrix(1, pixels), new double[s.drawsPerRow() * s.latent()], 1, false, 0);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StageException(TYPE + ": " + e.getMessage() + " (images of " + pixels + " pixels, latent " + s.latent() + ")", e);
        }
        List<ParameterBlock> all = new ArrayList<>();
        all.addAll(prefixed("encoder/", encoder.parameters()));
        all.addAll(prefixed("decoder/", decoder.parameters()));
        blocks = List.copyOf(all);
        long parameters = blocks.stream().mapToLong(ParameterBlock::size).sum();
        ctx.log(String.format(Locale.ROOT, "%s: %d training images of %d pixels%s, test %s; latent %d, %s, %s prior, %s KL, L = %d, %s, beta %.3g, "
                + "warm-up %d epochs; %,d parameters", TYPE, n, pixels, dynamic ? " (binarised anew every epoch)" : "",
                test == null ? "none" : test.size() + " images", s.latent(), s.likelihood().name().toLowerCase(Locale.ROOT),
                s.prior().configName(), s.kl() == VaeObjective.KlEstimator.MC ? "Monte-Carlo" : "analytic", s.samples(),
                s.iwaeK() == 1 ? "ELBO" : "IWAE-" + s.iwaeK(), config.beta(), config.klWarmupEpochs(), parameters));

        int epochs = ctx.regime().epochs();
        int batchSize = ctx.regime().batchSize() > 0 ? ctx.regime().batchSize() : 128;
        int batches = (n + batchSize - 1) / batchSize;
        int every = ctx.regime().checkpointEvery();
        int start = 0;
        Optional<Integer> restored = ctx.restore(CHECKPOINT, in -> TrainingCheckpoint.read(in, CHECKPOINT_MAGIC, blocks, optimizer,
                "the " + TYPE + " checkpoint"));
        if (restored.isPresent()) {
            start = restored.get();
            ctx.log(TYPE + ": resuming from the checkpoint after epoch " + start);
        }
        List<Double> trainCurve = new ArrayList<>();
        List<Double> testCurve = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        double[] testEps = testX == null ? null : objective.noise(testX.rows(), new SplittableRandom(ctx.stageSeed() ^ 0x7E57L));
        try (ProgressMonitor progress = ctx.progress(TYPE + " mini-batches of " + batchSize + " images", (long) epochs * n, "images")) {
            progress.set((long) start * n);
            for (int epoch = start; epoch < epochs; epoch++) {
                // per-epoch generators: the same batches, binary images and ε after a resume
                SplittableRandom rng = new SplittableRandom(ctx.stageSeed() * 1_000_003L + epoch);
                Matrix x = dynamic ? Binarization.sample(train.features(), binSeed, epoch) : train.features();
                int[] order = shuffle(rng, n);
                long t0 = System.nanoTime();
                double sumBound = 0;
                double sumElbo = 0;
                double sumKl = 0;
                for (int b = 0; b < batches; b++) {
                    ctx.checkCancelled();
                    int from = b * batchSize;
                    int to = Math.min(n, from + batchSize);
                    Matrix xb = rows(x, order, from, to);
                    double beta = warmedBeta(epoch, b, batches);
                    for (ParameterBlock p : blocks) {
                        p.zeroGradient();
                    }
                    VaeObjective.Batch r = objective.evaluate(xb, objective.noise(to - from, rng), beta, true, 1.0 / (to - from));
                    if (!Double.isFinite(r.bound())) {
                        throw diverged(epoch, b, batches, "the " + (s.iwaeK() == 1 ? "ELBO" : "IWAE bound") + " became " + r.bound(),
                                start, every);
                    }
                    sumBound += r.bound();
                    sumElbo += r.elbo();
                    sumKl += r.kl();
                    try {
                        optimizer.step(blocks);
                    } catch (UnsupportedOperationException ex) {
                        throw new StageException(TYPE + ": the optimizer does not take stochastic steps (" + ex.getMessage()
                                + "); wire optimizer.adam, optimizer.adagrad or optimizer.sgd", ex);
                    } catch (IllegalArgumentException ex) {
                        // the SDK optimizers refuse a non-finite gradient entry, naming block and index
                        throw diverged(epoch, b, batches, "the gradient is not finite (" + ex.getMessage() + ")", start, every);
                    }
                    progress.set((long) epoch * n + to);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("trainLoss", -sumBound / n);
                m.put("trainNegElbo", -sumElbo / n);
                m.put("trainKl", sumKl / n);
                m.put("secondsPerEpoch", secs);
                trainCurve.add(-sumElbo / n);
                seconds.add(secs);
                String testText = "";
                if (testX != null) {
                    double testNeg = -score(objective, testX, testEps).elbo() / testX.rows();
                    m.put("testNegElbo", testNeg);
                    testCurve.add(testNeg);
                    testText = String.format(Locale.ROOT, ", test -ELBO %.2f", testNeg);
                }
                ctx.metrics(epoch + 1, m);
                ctx.log(String.format(Locale.ROOT, "%s: epoch %d/%d train -ELBO %.2f nats/image (KL %.2f)%s, %.1f s", TYPE, epoch + 1, epochs,
                        -sumElbo / n, sumKl / n, testText, secs));
                if (every > 0 && (epoch + 1) % every == 0) {
                    int done = epoch + 1;
                    ctx.checkpoint(CHECKPOINT, out -> TrainingCheckpoint.write(out, CHECKPOINT_MAGIC, done, blocks, optimizer));
                }
            }
        }

        Matrix evalX = testX != null ? testX : train.features();
        int[] evalLabels = test != null ? test.labels() : train.labels();
        List<String> classNames = test != null ? test.classNames() : train.classNames();
        String set = testX != null ? "test" : "train";
        double[] evalEps = testEps != null ? testEps : objective.noise(evalX.rows(), new SplittableRandom(ctx.stageSeed() ^ 0x7E57L));
        VaeObjective.Batch fin = score(objective, evalX, evalEps);
        double finalElbo = fin.elbo() / evalX.rows();
        Map<String, Double> fm = new LinkedHashMap<>();
        fm.put(set + "Elbo", finalElbo);
        fm.put(set + "Kl", fin.kl() / evalX.rows());
        double iwae = Double.NaN;
        if (config.evalIwaeK() > 0) {
            int rows = config.evalRows() > 0 ? Math.min(config.evalRows(), evalX.rows()) : evalX.rows();
            long t0 = System.nanoTime();
            iwae = iwaeLogLikelihood(objective, evalX, rows, config.evalIwaeK(), new SplittableRandom(ctx.stageSeed() ^ 0x1AEL), ctx);
            fm.put(set + "IwaeLogPx", iwae);
            fm.put("evalIwaeK", (double) config.evalIwaeK());
            fm.put("evalRows", (double) rows);
            ctx.log(String.format(Locale.ROOT, "%s: IWAE-%d log p(x) %.2f nats on the first %d %s images (%.1f s)", TYPE, config.evalIwaeK(), iwae,
                    rows, set, (System.nanoTime() - t0) / 1e9));
        }
        fm.put("parameters", (double) parameters);
        ctx.metrics(Math.max(epochs, start), fm);
        ctx.log(String.format(Locale.ROOT, "%s: %s ELBO %.2f nats/image (KL %.2f)", TYPE, set, finalElbo, fin.kl() / evalX.rows()));
        result = new Result(trainCurve, testCurve, seconds, finalElbo, iwae);

        Matrix mu = means(objective, evalX);
        pictures(ctx, objective, evalX, mu, evalLabels, classNames, pixels);
        int done = Math.max(epochs, start);
        ctx.saveArtifact("model-" + ctx.stageName() + ".bin", out -> TrainingCheckpoint.write(out, MODEL_MAGIC, done, blocks, null));
        io.output("latents", PortTypes.MATRIX, mu);
    }

    /** The KL weight of step {@code batch} of {@code epoch}: rises linearly to β over the warm-up epochs. */
    double warmedBeta(int epoch, int batch, int batches) {
        if (config.klWarmupEpochs() == 0) {
            return config.beta();
        }
        double t = (epoch * (double) batches + batch + 1) / ((double) config.klWarmupEpochs() * batches);
        return config.beta() * Math.min(1, t);
    }

    private static void checkRange(Dataset d, VaeObjective.Likelihood likelihood) throws StageException {
        if (likelihood != VaeObjective.Likelihood.BERNOULLI) {
            return;
        }
        double[] v = d.features().data();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                int cols = d.features().cols();
                throw new StageException(TYPE + ": '" + d.name() + "' row " + i / cols + ", pixel " + i % cols + " is " + v[i]
                        + "; the Bernoulli likelihood needs values in [0, 1]");
            }
        }
    }

    /** Blocks under a prefix, sharing the network's arrays (both encoder.mlp networks name theirs 0_W, 0_b, …). */
    static List<ParameterBlock> prefixed(String prefix, List<ParameterBlock> blocks) {
        List<ParameterBlock> out = new ArrayList<>();
        for (ParameterBlock b : blocks) {
            out.add(b.renamed(prefix + b.name()));
        }
        return out;
    }

    /** The run stops on a non-finite bound or gradient, naming where; the checkpoint store keeps the last good one. */
    private static StageException diverged(int epoch, int batch, int batches, String what, int start, int every) {
        boolean written = start > 0 || (every > 0 && epoch >= every);
        return new StageException(String.format(Locale.ROOT, "%s: %s in epoch %d at mini-batch %d (of %d); the last checkpoint is kept%s "
                + "(lower the learning rate?)", TYPE, what, epoch + 1, batch, batches, written ? "" : " (none was written yet)"));
    }

    /** The bound (β = 1) of every row, in chunks, without gradients. */
    static VaeObjective.Batch score(VaeObjective objective, Matrix x, double[] eps) {
        int per = objective.settings.drawsPerRow() * objective.settings.latent();
        double bound = 0;
        double ll = 0;
        double kl = 0;
        double[] perRow = new double[x.rows()];
        for (int a = 0; a < x.rows(); a += EVAL_CHUNK) {
            int b = Math.min(x.rows(), a + EVAL_CHUNK);
            VaeObjective.Batch r = objective.evaluate(slice(x, a, b), Arrays.copyOfRange(eps, a * per, b * per), 1, false, 0);
            bound += r.bound();
            ll += r.logLikelihood();
            kl += r.kl();
            System.arraycopy(r.perRow(), 0, perRow, a, b - a);
        }
        return new VaeObjective.Batch(bound, ll, kl, perRow);
    }

    /**
     * Mean over the first {@code rows} images of the IWAE-k estimate of log p(x): log (1/k) Σ p(x, z_i)/q(z_i|x), z_i ~ q,
     * in decoder passes of about {@link #IWAE_ROWS} rows.
     */
    static double iwaeLogLikelihood(VaeObjective objective, Matrix x, int rows, int k, SplittableRandom rng, RunContext ctx) {
        double total = 0;
        for (double v : iwaeLogLikelihoods(objective, x, 0, rows, k, rng, ctx)) {
            total += v;
        }
        return total / rows;
    }

    /** IWAE-k estimates of log p(x) of rows {@code from} … {@code to − 1}, one per image (draws from {@code rng} in row order). */
    static double[] iwaeLogLikelihoods(VaeObjective objective, Matrix x, int from0, int rows, int k, SplittableRandom rng, RunContext ctx) {
        VaeObjective.Settings s = objective.settings;
        VaeObjective one = new VaeObjective(objective.encoder, objective.decoder,
                new VaeObjective.Settings(s.latent(), s.likelihood(), s.fixedVariance(), 1, 1, s.prior(), s.kl()));
        int d = s.latent();
        int pixels = x.cols();
        double[] result = new double[rows - from0];
        for (int a = from0; a < rows; a += EVAL_CHUNK) {
            int b = Math.min(rows, a + EVAL_CHUNK);
            double[] h = objective.encoder.forward(slice(x, a, b), false).data();
            for (int i = a; i < b; i++) {
                if (ctx != null) {
                    ctx.checkCancelled();
                }
                int hOff = (i - a) * 2 * d;
                double[] logw = new double[k];
                for (int from = 0; from < k; from += IWAE_ROWS) {
                    int to = Math.min(k, from + IWAE_ROWS);
                    double[] eps = new double[(to - from) * d];
                    double[] z = new double[eps.length];
                    for (int r = 0; r < to - from; r++) {
                        for (int j = 0; j < d; j++) {
                            double e = rng.nextGaussian();
                            eps[r * d + j] = e;
                            z[r * d + j] = h[hOff + j] + Math.exp(0.5 * h[hOff + d + j]) * e;
                        }
                    }
                    Matrix out = objective.decoder.forward(new Matrix(to - from, d, z), false);
                    double[] od = out.data();
                    double[] xd = x.data();
                    for (int r = 0; r < to - from; r++) {
                        logw[from + r] = one.logLikelihood(xd, i * pixels, pixels, od, r * out.cols(), null)
                                + s.prior().logDensity(z, r * d, d) - VaeObjective.logPosterior(eps, r * d, h, hOff, d);
                    }
                }
                result[i - from0] = logMeanExp(logw);
            }
        }
        return result;
    }

    static double logMeanExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double a : v) {
            max = Math.max(max, a);
        }
        double sum = 0;
        for (double a : v) {
            sum += Math.exp(a - max);
        }
        return max + Math.log(sum / v.length);
    }

    /** μ of every row (the encoder's first latent outputs). */
    static Matrix means(VaeObjective objective, Matrix x) {
        int d = objective.settings.latent();
        Matrix mu = new Matrix(x.rows(), d);
        for (int a = 0; a < x.rows(); a += EVAL_CHUNK) {
            int b = Math.min(x.rows(), a + EVAL_CHUNK);
            Matrix h = objective.encoder.forward(slice(x, a, b), false);
            for (int r = 0; r < b - a; r++) {
                System.arraycopy(h.data(), r * 2 * d, mu.data(), (a + r) * d, d);
            }
        }
        return mu;
    }

    /** Samples from the prior, reconstructions next to originals, the latent scatter, and for d = 2 the decoded manifold. */
    private void pictures(RunContext ctx, VaeObjective objective, Matrix x, Matrix mu, int[] labels, List<String> classNames, int pixels)
            throws IOException {
        int side = (int) Math.round(Math.sqrt(pixels));
        if (side * side != pixels) {
            ctx.log(TYPE + ": images of " + pixels + " pixels are not square; no pictures");
            return;
        }
        int d = objective.settings.latent();
        String stage = ctx.stageName();
        SplittableRandom rng = new SplittableRandom(ctx.stageSeed() ^ 0x5A3L);
        double[] z = new double[64 * d];
        VaeObjective.Prior prior = objective.settings.prior();
        for (int i = 0; i < z.length; i++) {
            z[i] = prior.sample(rng);
        }
        Matrix samples = objective.mean(objective.decoder.forward(new Matrix(64, d, z), false), pixels);
        ImageGrid.write(ctx, "samples-" + stage + ".png", samples, 64, 8, "decoder means of 64 draws z ~ " + prior.configName() + " prior");

        int count = Math.min(32, x.rows());
        Matrix recon = objective.mean(objective.decoder.forward(slice(mu, 0, count), false), pixels);
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(x.row(i));
            pairs.add(recon.row(i));
        }
        ImageGrid.write(ctx, "recon-" + stage + ".png", pairs, 16, "pairs: image, decoder mean at z = mu (first " + count + ")");

        int shown = Math.min(5000, mu.rows());
        BufferedImage scatter = LatentScatter.render(mu, shown, labels, classNames,
                d == 2 ? "mu of " + shown + " images (latent 2)" : "first two dimensions of mu, " + shown + " images (latent " + d + ")");
        ctx.saveArtifact("latent-" + stage + ".png", out -> {
            if (!ImageIO.write(scatter, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
        if (d == 2) {
            int g = 20;
            double[] grid = new double[g * g * 2];
            for (int r = 0; r < g; r++) {
                for (int c = 0; c < g; c++) {
                    grid[(r * g + c) * 2] = -3 + 6.0 * c / (g - 1);
                    grid[(r * g + c) * 2 + 1] = 3 - 6.0 * r / (g - 1);
                }
            }
            Matrix manifold = objective.mean(objective.decoder.forward(new Matrix(g * g, 2, grid), false), pixels);
            ImageGrid.write(ctx, "manifold-" + stage + ".png", manifold, g * g, g, "decoder means on z in [-3, 3]^2 (z1 across, z2 up)");
        }
    }

    static Matrix slice(Matrix m, int from, int to) {
        return new Matrix(to - from, m.cols(), Arrays.copyOfRange(m.data(), from * m.cols(), to * m.cols()));
    }

    private static Matrix rows(Matrix x, int[] order, int from, int to) {
        int c = x.cols();
        double[] out = new double[(to - from) * c];
        for (int i = from; i < to; i++) {
            System.arraycopy(x.data(), order[i] * c, out, (i - from) * c, c);
        }
        return new Matrix(to - from, c, out);
    }

    private static int[] shuffle(SplittableRandom rng, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
