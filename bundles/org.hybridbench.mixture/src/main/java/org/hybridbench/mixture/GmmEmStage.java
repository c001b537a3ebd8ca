package org.hybridbench.mixture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.Predictions;

/**
 * One run of {@code model.gmm.em}. Iteration i (i = 0, 1, …) is: E-step with the parameters after i M-steps,
 * giving the mean log-likelihood ℓ_i = (1/n) Σ_t log Σ_k π_k N(y_t | μ_k, Σ_k) and the responsibilities; stop
 * if |ℓ_i − ℓ_{i−1}| &lt; tolerance or i = training.epochs; else M-step, re-seed empty components, checkpoint.
 * EM never decreases ℓ (Dempster, Laird &amp; Rubin 1977, Theorem 1), except right after a re-seed, which
 * {@code metrics} marks with {@code reseeded}.
 */
final class GmmEmStage implements Stage {
    static final String CHECKPOINT = "gmm";
    static final String ARTIFACT = "model-gmm.json";

    private final int components;
    private final CovarianceType type;
    private final double tolerance;
    private final String init;
    private final double floor;

    GmmEmStage(int components, CovarianceType type, double tolerance, String init, double floor) {
        this.components = components;
        this.type = type;
        this.tolerance = tolerance;
        this.init = init;
        this.floor = floor;
    }

    /** The fitted model and how the fit went. */
    record Result(GaussianMixture model, int[] assignments, int iterations, boolean converged, double meanLogLik, double bic,
            int reseeds) {
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Dataset data = io.input("dataset", PortTypes.DATASET);
        Result r = fit(data.features(), context);
        io.output("predictions", PortTypes.PREDICTIONS,
                new Predictions(r.assignments(), data.labels(), components, data.classNames()));
        io.output("model", PortTypes.EMISSION_MODEL, r.model());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("dataset", data.name());
        training.put("rows", data.size());
        training.put("iterations", r.iterations());
        training.put("converged", r.converged());
        training.put("meanLogLikelihood", r.meanLogLik());
        training.put("bic", r.bic());
        training.put("init", init);
        training.put("seed", context.stageSeed());
        training.put("reseeds", r.reseeds());
        context.saveArtifact(ARTIFACT, out -> GmmFiles.writeJson(out, r.model(), training));
    }

    Result fit(Matrix x, RunContext context) throws Exception {
        int n = x.rows();
        int d = x.cols();
        if (n < 1) {
            throw new StageException("model.gmm.em: the data set is empty");
        }
        int[] bad = x.firstNonFinite();
        if (bad != null) {
            throw new StageException("model.gmm.em: non-finite value " + x.get(bad[0], bad[1]) + " at row " + bad[0] + ", column "
                    + bad[1]);
        }
        int cap = context.regime().epochs();
        int every = context.regime().checkpointEvery();

        GaussianMixture model;
        int iteration;
        double previous;
        int reseeds;
        Optional<GmmFiles.Checkpoint> restored = context.restore(CHECKPOINT, GmmFiles::readCheckpoint);
        if (restored.isPresent()) {
            GmmFiles.Checkpoint cp = restored.get();
            GaussianMixture m = cp.model();
            if (m.numStates() != components || m.dimension() != d || m.covarianceType() != type || m.covarianceFloor() != floor
                    || cp.rows() != n) {
                throw new StageException("model.gmm.em: the checkpoint is of a different fit (" + m.numStates() + " "
                        + m.covarianceType().configName() + " components on " + cp.rows() + "x" + m.dimension()
                        + " data) than this one (" + components + " " + type.configName() + " on " + n + "x" + d + ")");
            }
            model = m;
            iteration = cp.iteration();
            previous = cp.previousMeanLogLik();
            reseeds = cp.reseeds();
            context.log("model.gmm.em: resuming from the checkpoint after iteration " + iteration);
        } else {
            model = Initializer.initialize(x, components, type, floor, init, new SplittableRandom(context.stageSeed()));
            iteration = 0;
            previous = Double.NaN;
            reseeds = 0;
        }

        Matrix resp = new Matrix(n, components);
        double[] rowLogLik = new double[n];
        double mean;
        boolean converged = false;
        boolean reseededLast = false;
        int jitterSeen = model.jitterRetries;
        try (ProgressMonitor progress = context.progress("EM, " + components + " " + type.configName() + " Gaussians", cap,
                "iterations")) {
            progress.set(iteration);
            while (true) {
                context.checkCancelled();
                mean = model.eStep(x, resp, rowLogLik) / n;
                if (!Double.isFinite(mean)) {
                    throw new StageException("model.gmm.em: the log-likelihood became " + mean + " at iteration " + iteration);
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("logLikelihood", mean);
                metrics.put("bic", bic(model, mean, n));
                metrics.put("reseeded", reseededLast ? 1.0 : 0.0);
                context.metrics(iteration, metrics);
                if (!reseededLast && mean < previous - 1e-9 * Math.abs(previous)) {
                    context.log(String.format("model.gmm.em: log-likelihood decreased at iteration %d (%.10g -> %.10g)",
                            iteration, previous, mean));
                }
                if (iteration > 0 && Math.abs(mean - previous) < tolerance) {
                    converged = true;
                    break;
                }
                if (iteration >= cap) {
                    break;
                }
                model.accumulate(x, resp);
                model.maximize();
                List<Integer> empty = reseedEmpty(model, x, rowLogLik);
                reseededLast = !empty.isEmpty();
                reseeds += empty.size();
                for (int c : empty) {
                    context.log("model.gmm.em: component " + c + " was empty after iteration " + (iteration + 1)
                            + "; re-seeded at the worst-explained row");
                }
                if (model.jitterRetries > jitterSeen) {
                    context.log("model.gmm.em: " + (model.jitterRetries - jitterSeen)
                            + " covariance factorisation(s) needed jitter on the diagonal");
                    jitterSeen = model.jitterRetries;
                }
                iteration++;
                previous = mean;
                progress.set(iteration);
                if (every > 0 && iteration % every == 0) {
                    GmmFiles.Checkpoint cp = new GmmFiles.Checkpoint(model, iteration, previous, reseeds, n);
                    context.checkpoint(CHECKPOINT, out -> GmmFiles.writeCheckpoint(out, cp));
                }
            }
        }
        int[] assign = new int[n];
        for (int t = 0; t < n; t++) {
            int best = 0;
            for (int c = 1; c < components; c++) {
                if (resp.get(t, c) > resp.get(t, best)) {
                    best = c;
                }
            }
            assign[t] = best;
        }
        double bic = bic(model, mean, n);
        context.log(String.format("model.gmm.em: %s after %d iterations, mean log-likelihood %.6f, BIC %.1f%s",
                converged ? "converged" : "stopped at the iteration cap", iteration, mean, bic,
                reseeds > 0 ? ", " + reseeds + " re-seed(s)" : ""));
        return new Result(model, assign, iteration, converged, mean, bic, reseeds);
    }

    /** BIC = −2 log L + p ln n (Schwarz 1978), with p the free parameters. */
    static double bic(GaussianMixture model, double meanLogLik, int n) {
        return -2 * meanLogLik * n + model.freeParameters() * Math.log(n);
    }

    /**
     * Components whose weight fell to (almost) nothing are moved onto the rows the current mixture explains
     * worst (lowest log p(y_t), distinct rows per component), with the data's per-dimension variance and
     * weight 1/n, then the weights are renormalised. This replaces the 0/0 (NaN) a plain M-step would give.
     */
    static List<Integer> reseedEmpty(GaussianMixture model, Matrix x, double[] rowLogLik) {
        int n = x.rows();
        List<Integer> empty = new ArrayList<>();
        for (int c = 0; c < model.numStates(); c++) {
            if (model.weights[c] * n <= GaussianMixture.EMPTY_WEIGHT) {
                empty.add(c);
            }
        }
        if (empty.isEmpty()) {
            return empty;
        }
        double[] variance = Initializer.variances(x);
        boolean[] used = new boolean[n];
        for (int c : empty) {
            int worst = -1;
            for (int t = 0; t < n; t++) {
                if (!used[t] && (worst < 0 || rowLogLik[t] < rowLogLik[worst])) {
                    worst = t;
                }
            }
            if (worst < 0) {
                worst = c % n; // more empty components than rows
            }
            used[worst] = true;
            model.setComponent(c, 1.0 / n, x.row(worst), new double[model.dimension() * model.dimension()]);
            model.setDiagonalCovariance(c, variance);
        }
        double sum = 0;
        for (double w : model.weights) {
            sum += w;
        }
        for (int c = 0; c < model.numStates(); c++) {
            model.weights[c] /= sum;
        }
        return empty;
    }
}
