package org.hybridbench.phone;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;

/** One run of {@code model.phone.hmm}; the training itself is {@link EmbeddedTrainer}'s. */
final class PhoneHmmStage implements Stage {
    static final String CHECKPOINT = "phone-hmm";

    private final ChainInference defaultInference;
    private final int statesPerPhone;
    private final EmbeddedTrainer.Init init;
    private final int initRounds;
    private final double tolerance;
    private final int threads;
    private final String shortUtterances;

    PhoneHmmStage(ChainInference inference, int statesPerPhone, EmbeddedTrainer.Init init, int initRounds, double tolerance,
            int threads, String shortUtterances) {
        this.shortUtterances = shortUtterances;
        this.defaultInference = inference;
        this.statesPerPhone = statesPerPhone;
        this.init = init;
        this.initRounds = initRounds;
        this.tolerance = tolerance;
        this.threads = threads;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        String type = PhoneHmmStageProvider.TYPE;
        LabelledSequences data = io.input("sequences", PortTypes.SEQUENCES);
        EmissionModel emission = io.input("emission", PortTypes.EMISSION_MODEL);
        ChainInference inference = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(defaultInference);
        List<String> phones = data.stateNames();
        if (phones.isEmpty()) {
            throw new StageException(type + ": the sequences '" + data.name() + "' name no phones (state names), so there are no "
                    + "transcripts to train on");
        }
        int states = phones.size() * statesPerPhone;
        if (emission.numStates() != states) {
            throw new StageException(type + ": " + phones.size() + " phones x " + statesPerPhone + " states per phone need an "
                    + "emission model with " + states + " states; the wired one has " + emission.numStates()
                    + " (set its 'states' to " + states + ")");
        }
        if (data.observations().dimension() != emission.dimension()) {
            throw new StageException(type + ": the sequences '" + data.name() + "' have dimension " + data.observations().dimension()
                    + ", the emission model " + emission.dimension());
        }
        List<int[]> transcripts;
        try {
            transcripts = Transcripts.all(data);
        } catch (IllegalArgumentException e) {
            throw new StageException(type + ": " + e.getMessage(), e);
        }
        Transcripts.checkShort(type, shortUtterances, Transcripts.tooShort(data, transcripts, statesPerPhone), context);
        double[] start = new double[states];
        java.util.Arrays.fill(start, EmbeddedTrainer.DEFAULT_SELF_LOOP);
        PhoneModelSet models = new PhoneModelSet(phones, statesPerPhone, start, emission, transcripts);

        int cap = context.regime().epochs();
        int every = context.regime().checkpointEvery();
        int first = 0;
        double previous = Double.NaN;
        Set<String> seen = new HashSet<>();
        Optional<PhoneFiles.Checkpoint> cp = context.restore(CHECKPOINT, PhoneFiles::readCheckpoint);
        if (cp.isPresent()) {
            if (!PhoneFiles.restore(cp.get(), models)) {
                throw new StageException(type + ": the checkpoint is of a different model (states or emission parameters differ)");
            }
            first = cp.get().updates();
            previous = cp.get().logLikelihood();
            context.log(type + ": resuming from the checkpoint after update " + first);
        } else {
            try {
                for (String note : EmbeddedTrainer.initialise(models, data, transcripts, init, initRounds)) {
                    if (seen.add(note)) {
                        context.log(type + ": start: " + note);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new StageException(type + ": " + data.name() + ": " + e.getMessage(), e);
            }
            context.log(type + ": " + phones.size() + " phones x " + statesPerPhone + " states started from "
                    + (init == EmbeddedTrainer.Init.FLAT ? "a uniform segmentation of each utterance over its transcript"
                            : "the frame labels' phone segments, each cut into " + statesPerPhone + " equal parts"));
        }
        EmbeddedTrainer trainer = new EmbeddedTrainer(inference, threads);
        EmbeddedTrainer.Result result;
        try (ProgressMonitor progress = context.progress("embedded Baum-Welch, " + phones.size() + " phones x " + statesPerPhone
                + " states", cap, "iterations")) {
            progress.set(first);
            result = trainer.train(models, data.observations(), transcripts, first, previous, cap, tolerance,
                    new EmbeddedTrainer.Listener() {
                        @Override
                        public void evaluated(EmbeddedTrainer.Iteration it) {
                            context.checkCancelled();
                            for (String note : it.notes()) {
                                if (seen.add(note)) { // an empty state is reported once, not every iteration
                                    context.log(type + ": iteration " + it.iteration() + ": " + note);
                                }
                            }
                            if (Double.isNaN(it.logLikelihood())) {
                                return;
                            }
                            if (!Double.isFinite(it.logLikelihood())) {
                                throw new IllegalStateException("the log-likelihood became " + it.logLikelihood() + " at iteration "
                                        + it.iteration());
                            }
                            if (it.decreased()) {
                                context.log(type + ": iteration " + it.iteration() + ": the log-likelihood decreased");
                            }
                            Map<String, Double> m = new LinkedHashMap<>();
                            m.put("logLikelihood", it.logLikelihood());
                            m.put("logLikelihoodPerFrame", it.logLikelihood() / Math.max(1, it.frames()));
                            m.put("decreased", it.decreased() ? 1.0 : 0.0);
                            context.metrics(it.iteration(), m);
                            progress.set(it.iteration());
                        }

                        @Override
                        public void updated(int updates, double logLikelihood) throws Exception {
                            if (every > 0 && updates % every == 0) {
                                context.checkpoint(CHECKPOINT, out -> PhoneFiles.writeCheckpoint(out, models, updates, logLikelihood));
                            }
                        }
                    });
        } catch (IllegalArgumentException e) {
            throw new StageException(type + ": " + data.name() + ": " + e.getMessage(), e);
        }
        if (result.skipped() > 0) {
            context.log(type + ": " + result.skipped() + " utterance(s) skipped: fewer frames than their transcript has states");
        }
        context.log(String.format(Locale.ROOT, "%s: %s after %d updates, log-likelihood %.4f (%.4f per frame, %d frames)", type,
                result.converged() ? "converged" : "stopped at the iteration cap", result.iterations(), result.logLikelihood(),
                result.logLikelihood() / Math.max(1, result.frames()), result.frames()));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("sequences", data.name());
        training.put("utterances", data.size());
        training.put("skipped", result.skipped());
        training.put("frames", result.frames());
        training.put("init", init.name().toLowerCase(Locale.ROOT));
        training.put("updates", result.iterations());
        training.put("converged", result.converged());
        training.put("logLikelihood", result.logLikelihood());
        training.put("seed", context.stageSeed());
        context.saveArtifact("model-" + context.stageName() + ".json", out -> PhoneFiles.write(out, models, training));
        io.output("models", PhonePorts.PHONE_MODELS, models);
        io.output("model", PortTypes.EMISSION_MODEL, emission);
    }
}
