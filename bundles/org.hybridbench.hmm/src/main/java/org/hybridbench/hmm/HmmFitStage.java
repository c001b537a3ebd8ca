package org.hybridbench.hmm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;

/** One run of {@code model.hmm.fit}; the loop and its guarantees are {@link HmmTrainer}'s. */
final class HmmFitStage implements Stage {
    static final String CHECKPOINT = "hmm";

    private final ChainInference defaultInference;
    private final HmmTrainer.Method method;
    private final boolean leftToRight;
    private final double selfTransition;
    private final double tolerance;
    private final double initialPseudocount;
    private final double transitionPseudocount;
    private final int threads;

    HmmFitStage(ChainInference inference, HmmTrainer.Method method, boolean leftToRight, double selfTransition, double tolerance,
            double initialPseudocount, double transitionPseudocount, int threads) {
        this.defaultInference = inference;
        this.method = method;
        this.leftToRight = leftToRight;
        this.selfTransition = selfTransition;
        this.tolerance = tolerance;
        this.initialPseudocount = initialPseudocount;
        this.transitionPseudocount = transitionPseudocount;
        this.threads = threads;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        String type = HmmFitStageProvider.TYPE;
        LabelledSequences data = io.input("sequences", PortTypes.SEQUENCES);
        EmissionModel emission = io.input("emission", PortTypes.EMISSION_MODEL);
        ChainInference inference = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(defaultInference);
        // No built-in default: the optimizer stages are the one implementation of each rule (and of its state()),
        // so gradient training uses whichever is wired, like every other gradient trainer of the workbench.
        Optimizer optimizer = io.optionalInput("optimizer", PortTypes.OPTIMIZER).orElse(null);
        boolean gradient = method == HmmTrainer.Method.GRADIENT;
        if (gradient && optimizer == null) {
            throw new StageException(type + ": training = gradient needs an optimizer on the 'optimizer' input (wire "
                    + "optimizer.adam, optimizer.adagrad or optimizer.sgd); the other training methods need none");
        }
        if (!gradient && optimizer != null) {
            context.log(type + ": the wired optimizer is not used: training = " + method.configName() + " has closed-form updates");
        }
        if (data.observations().dimension() != emission.dimension()) {
            throw new StageException(type + ": the sequences '" + data.name() + "' have dimension " + data.observations().dimension()
                    + ", the emission model " + emission.dimension());
        }
        HiddenMarkovModel model = HiddenMarkovModel.initial(emission, leftToRight, selfTransition);
        int cap = context.regime().epochs();
        int every = context.regime().checkpointEvery();
        long positions = data.observations().totalLength();

        int start = 0;
        double previous = Double.NaN;
        Map<String, double[]> trainerState = Map.of();
        Optional<HmmFiles.Checkpoint> cp = context.restore(CHECKPOINT, HmmFiles::readCheckpoint);
        if (cp.isPresent()) {
            if (!cp.get().method().equals(method.configName())) {
                throw new StageException(type + ": the checkpoint is of training = " + cp.get().method() + ", this stage runs "
                        + method.configName());
            }
            if (!HmmFiles.restore(cp.get(), model)) {
                throw new StageException(type + ": the checkpoint is of a different model (states or emission parameters differ)");
            }
            if (gradient) {
                try {
                    optimizer.reset();
                    optimizer.restore(cp.get().optimizerState());
                } catch (IllegalArgumentException e) {
                    throw new StageException(type + ": the checkpoint's optimizer state does not fit the wired optimizer: "
                            + e.getMessage(), e);
                }
            }
            trainerState = cp.get().trainerState();
            start = cp.get().iteration();
            previous = cp.get().previousObjective();
            context.log(type + ": resuming from the checkpoint after iteration " + start);
        }
        HmmTrainer trainer = new HmmTrainer(inference,
                new HmmTrainer.Options(method, cap, tolerance, initialPseudocount, transitionPseudocount, threads),
                gradient ? optimizer : null);
        java.util.Set<String> seenNotes = new java.util.HashSet<>();
        HmmTrainer.Result result;
        try (ProgressMonitor progress = context.progress("HMM " + method.configName() + ", " + model.numStates() + " states", cap,
                "iterations")) {
            progress.set(start);
            result = trainer.fit(model, data, start, previous, trainerState, new HmmTrainer.Listener() {
                @Override
                public void evaluated(HmmTrainer.Iteration it) {
                    context.checkCancelled();
                    for (String note : it.notes()) {
                        if (seenNotes.add(note)) { // the same floor or empty state is reported once, not every iteration
                            context.log(type + ": iteration " + it.iteration() + ": " + note);
                        }
                    }
                    if (Double.isNaN(it.objective())) {
                        return;
                    }
                    if (!Double.isFinite(it.objective())) {
                        throw new IllegalStateException("the objective became " + it.objective() + " at iteration " + it.iteration());
                    }
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("objective", it.objective());
                    m.put("objectivePerPosition", it.objective() / Math.max(1, positions));
                    if (method != HmmTrainer.Method.VITERBI) {
                        m.put("aic", model.aic(it.objective()));
                        m.put("bic", model.bic(it.objective(), positions));
                    }
                    m.put("decreased", it.decreased() ? 1.0 : 0.0);
                    context.metrics(it.iteration(), m);
                    progress.set(it.iteration());
                }

                @Override
                public void updated(int updates, double previousObjective) throws Exception {
                    if (every > 0 && updates % every == 0) {
                        context.checkpoint(CHECKPOINT, out -> HmmFiles.writeCheckpoint(out, model, updates, previousObjective,
                                method.configName(), trainer.resumeState(), gradient ? optimizer.state() : Map.of()));
                    }
                }
            });
        } catch (UnsupportedOperationException e) {
            // L-BFGS has no single step: its line search needs the objective, which this loop evaluates itself
            throw new StageException(type + ": the optimizer does not take stochastic steps (" + e.getMessage()
                    + "); wire optimizer.adam, optimizer.adagrad or optimizer.sgd", e);
        } catch (IllegalArgumentException e) {
            throw new StageException(type + ": " + data.name() + ": " + e.getMessage(), e);
        }
        context.log(String.format(java.util.Locale.ROOT, "%s: %s %s after %d iterations, objective %.6f (%.6f per position)", type,
                method.configName(), result.converged() ? "converged" : "stopped at the iteration cap", result.iterations(),
                result.objective(), result.objective() / Math.max(1, positions)));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", method.configName());
        training.put("sequences", data.name());
        training.put("positions", positions);
        training.put("iterations", result.iterations());
        training.put("converged", result.converged());
        training.put("objective", result.objective());
        if (method != HmmTrainer.Method.VITERBI) {
            training.put("aic", model.aic(result.objective()));
            training.put("bic", model.bic(result.objective(), positions));
        }
        training.put("freeParameters", model.freeParameters());
        training.put("seed", context.stageSeed());
        context.saveArtifact("model-" + context.stageName() + ".json", out -> HmmFiles.write(out, model, training));
        io.output("hmm", HmmPorts.HMM, model);
        io.output("model", PortTypes.EMISSION_MODEL, emission);
    }
}
