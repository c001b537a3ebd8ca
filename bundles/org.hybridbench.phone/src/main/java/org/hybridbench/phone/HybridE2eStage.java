package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.TrainingCheckpoint;

/**
 * {@code model.hybrid.e2e}: start — the untrained network's features of the training set, the emission and
 * self-loops estimated from the label segmentation (model.phone.hmm's label start); each epoch — shuffled steps of
 * {@code utterancesPerStep} utterances, each adding the gradient of −J / (frames of the step) to the network's (and,
 * with emission gradients, the emission's) blocks before one optimizer step, then a pass over the training set with
 * the new network that measures J and re-estimates the self-loops (and, with EM, the emission) from its
 * occupancies; then the dev metrics. One thread; the order of utterances comes from the stage seed, so a run is
 * repeatable. Not resumable: a killed run starts again.
 */
final class HybridE2eStage implements Stage {
    private final ChainInference defaultInference;
    private final int statesPerPhone;
    private final int context;
    private final HybridObjective.Criterion criterion;
    private final boolean normalize;
    private final boolean emissionGradient;
    private final int initRounds;
    private final int utterancesPerStep;
    private final double lmScale;
    private final double insertionPenalty;

    HybridE2eStage(ChainInference inference, int statesPerPhone, int context, HybridObjective.Criterion criterion, boolean normalize,
            boolean emissionGradient, int initRounds, int utterancesPerStep, double lmScale, double insertionPenalty, String shortUtterances) {
        this.defaultInference = inference;
        this.shortUtterances = shortUtterances;
        this.statesPerPhone = statesPerPhone;
        this.context = context;
        this.criterion = criterion;
        this.normalize = normalize;
        this.emissionGradient = emissionGradient;
        this.initRounds = initRounds;
        this.utterancesPerStep = utterancesPerStep;
        this.lmScale = lmScale;
        this.insertionPenalty = insertionPenalty;
    }

    private final String shortUtterances;
    private static final String TYPE = HybridE2eStageProvider.TYPE;
    static final String CHECKPOINT = "hybrid-e2e";
    static final String CHECKPOINT_MAGIC = "hybridbench-hybrid-e2e-checkpoint-1";
    static final String NETWORK_MAGIC = "hybridbench-hybrid-e2e-network-1";

    /** Everything one pass over a set measured. */
    private record Pass(double logLikelihood, long frames, double[] stays, double[] exits) {
    }

    @Override
    public void run(StageIO io, RunContext ctx) throws Exception {
        LabelledSequences train = io.input("sequences", PortTypes.SEQUENCES);
        Optional<LabelledSequences> dev = io.optionalInput("dev", PortTypes.SEQUENCES);
        Optional<LabelledSequences> test = io.optionalInput("test", PortTypes.SEQUENCES);
        DifferentiableNetwork network = io.input("network", PortTypes.NETWORK);
        EmissionModel emission = io.input("emission", PortTypes.EMISSION_MODEL);
        Optimizer optimizer = io.input("optimizer", PortTypes.OPTIMIZER);
        ChainInference inference = io.optionalInput("inference", PortTypes.CHAIN_INFERENCE).orElse(defaultInference);

        List<String> phones = train.stateNames();
        if (train.states() == null || phones.isEmpty()) {
            throw new StageException(TYPE + ": the training sequences '" + train.name() + "' have no phone labels");
        }
        int k = phones.size() * statesPerPhone;
        if (emission.numStates() != k) {
            throw new StageException(TYPE + ": " + phones.size() + " phones x " + statesPerPhone + " states need an emission with " + k
                    + " states, the wired one has " + emission.numStates());
        }
        for (LabelledSequences s : List.of(dev, test).stream().flatMap(Optional::stream).toList()) {
            if (s.observations().dimension() != train.observations().dimension()) {
                throw new StageException(TYPE + ": '" + s.name() + "' has " + s.observations().dimension() + " features per frame, the training set '"
                        + train.name() + "' " + train.observations().dimension());
            }
            if (s.states() != null && !s.stateNames().equals(phones)) {
                throw new StageException(TYPE + ": '" + s.name() + "' is labelled with other phones than the training set: "
                        + PhoneLoopStageProvider.abbreviate(s.stateNames()) + " vs " + PhoneLoopStageProvider.abbreviate(phones));
            }
        }
        List<int[]> transcripts;
        try {
            transcripts = Transcripts.all(train);
        } catch (IllegalArgumentException e) {
            throw new StageException(TYPE + ": " + e.getMessage(), e);
        }
        if (criterion != HybridObjective.Criterion.LABELS) { // the labelled criterion aligns along the labels, any length
            Transcripts.checkShort(TYPE, shortUtterances, Transcripts.tooShort(train, transcripts, statesPerPhone), ctx);
        }
        double[] loops = new double[k];
        Arrays.fill(loops, EmbeddedTrainer.DEFAULT_SELF_LOOP);
        PhoneModelSet models = new PhoneModelSet(phones, statesPerPhone, loops, emission, transcripts);
        SequenceBatch obs = train.observations();
        List<int[]> alignments = new ArrayList<>();
        List<Integer> usable = new ArrayList<>();
        int skipped = 0;
        for (int u = 0; u < obs.size(); u++) {
            alignments.add(EmbeddedTrainer.labelled(models, train, u));
            if (obs.length(u) == 0) {
                continue;
            }
            if (criterion != HybridObjective.Criterion.LABELS && obs.length(u) < transcripts.get(u).length * statesPerPhone) {
                skipped++;
                continue;
            }
            usable.add(u);
        }
        SplicedInputs inputs = SplicedInputs.fit(obs, context);
        HybridObjective objective = new HybridObjective(network, models, inference, criterion, normalize);

        // start: the untrained network's features, emission and self-loops from the label segmentation
        LabelledSequences features = transform(objective, inputs, train, emission.dimension());
        List<String> notes = EmbeddedTrainer.initialise(models, features, transcripts, EmbeddedTrainer.Init.LABELS, initRounds);
        notes.forEach(n -> ctx.log(TYPE + ": start: " + n));
        objective.denominator(denominator(models));
        List<ParameterBlock> blocks = new ArrayList<>(network.parameters());
        if (emissionGradient) {
            blocks.addAll(emission.parameters());
        }
        long parameters = blocks.stream().mapToLong(ParameterBlock::size).sum();
        ctx.log(String.format(Locale.ROOT, "%s: %d training utterances (%d skipped: fewer frames than states), %d input values per frame -> "
                + "%d features, %s, %s, emission by %s; %d trained parameters", TYPE, usable.size(), skipped, inputs.width(), emission.dimension(),
                criterion.name().toLowerCase(Locale.ROOT), normalize ? "features normalised per utterance" : "features not normalised",
                emissionGradient ? "gradient" : "EM", parameters));

        int epochs = ctx.regime().epochs();
        int every = ctx.regime().checkpointEvery();
        // checkpoint: network and emission blocks, self-loops and the optimizer's state after an epoch's M-step; the
        // epoch's shuffle is seeded by the epoch, so a resumed run continues as the uninterrupted one would have
        double[] loopValues = models.selfLoops();
        List<ParameterBlock> saved = new ArrayList<>(network.parameters());
        saved.addAll(emission.parameters());
        ParameterBlock loopBlock = new ParameterBlock("selfLoops", new int[] {k}, loopValues, new double[k]);
        saved.add(loopBlock);
        Optional<Integer> restored = ctx.restore(CHECKPOINT, in -> TrainingCheckpoint.read(in, CHECKPOINT_MAGIC, saved, optimizer,
                "the " + TYPE + " checkpoint"));
        int first = 1;
        if (restored.isPresent()) {
            first = restored.get() + 1;
            models.setSelfLoops(loopBlock.values());
            objective.denominator(denominator(models));
            ctx.log(TYPE + ": resuming from the checkpoint after epoch " + restored.get());
        } else {
            report(ctx, 0, epochs, objective, inputs, train, transcripts, alignments, usable, dev, test, Double.NaN);
        }
        long started = System.nanoTime();
        for (int epoch = first; epoch <= epochs; epoch++) {
            List<Integer> order = new ArrayList<>(usable);
            shuffle(order, new SplittableRandom(ctx.stageSeed() * 1_000_003L + epoch));
            double stepSum = 0;
            long stepFrames = 0;
            for (int b = 0; b < order.size(); b += utterancesPerStep) {
                ctx.checkCancelled();
                List<Integer> batch = order.subList(b, Math.min(order.size(), b + utterancesPerStep));
                long frames = 0;
                for (int u : batch) {
                    frames += obs.length(u);
                }
                for (ParameterBlock p : blocks) {
                    p.zeroGradient();
                }
                for (int u : batch) {
                    HybridObjective.Evaluation e;
                    try {
                        e = objective.evaluate(inputs.rows(obs.sequence(u)), transcripts.get(u), alignments.get(u), true, 1.0 / frames,
                                emissionGradient);
                    } catch (RuntimeException ex) {
                        throw new StageException(TYPE + ": epoch " + epoch + ", training utterance " + u + ": " + ex.getMessage(), ex);
                    }
                    if (!Double.isFinite(e.logLikelihood())) {
                        throw new StageException(TYPE + ": epoch " + epoch + ", training utterance " + u + ": log-likelihood " + e.logLikelihood());
                    }
                    stepSum += e.logLikelihood();
                }
                stepFrames += frames;
                try {
                    optimizer.step(blocks);
                } catch (IllegalArgumentException ex) {
                    throw new StageException(TYPE + ": epoch " + epoch + ", step " + (b / utterancesPerStep) + ": " + ex.getMessage(), ex);
                }
            }
            report(ctx, epoch, epochs, objective, inputs, train, transcripts, alignments, usable, dev, test, stepSum / Math.max(1, stepFrames));
            if (every > 0 && (epoch % every == 0 || epoch == epochs)) {
                System.arraycopy(models.selfLoops(), 0, loopBlock.values(), 0, k);
                int done = epoch;
                ctx.checkpoint(CHECKPOINT, out -> TrainingCheckpoint.write(out, CHECKPOINT_MAGIC, done, saved, optimizer));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        LabelledSequences trainFeatures = transform(objective, inputs, train, emission.dimension());
        io.output("models", PhonePorts.PHONE_MODELS, models);
        io.output("model", PortTypes.EMISSION_MODEL, emission);
        io.output("train", PortTypes.SEQUENCES, trainFeatures);
        if (dev.isPresent()) {
            io.output("dev", PortTypes.SEQUENCES, transform(objective, inputs, dev.get(), emission.dimension()));
        }
        if (test.isPresent()) {
            io.output("test", PortTypes.SEQUENCES, transform(objective, inputs, test.get(), emission.dimension()));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sequences", train.name());
        summary.put("utterances", usable.size());
        summary.put("skipped", skipped);
        summary.put("criterion", criterion.name().toLowerCase(Locale.ROOT));
        summary.put("normalize", normalize ? "utterance" : "none");
        summary.put("emissionUpdate", emissionGradient ? "gradient" : "em");
        summary.put("context", context);
        summary.put("epochs", epochs);
        summary.put("seconds", seconds);
        summary.put("seed", ctx.stageSeed());
        ctx.saveArtifact("model-" + ctx.stageName() + ".json", out -> PhoneFiles.write(out, models, summary));
        // the trained network's parameters (SDK TrainingCheckpoint format, blocks by name), next to the HMMs
        List<ParameterBlock> networkBlocks = network.parameters();
        ctx.saveArtifact("network-" + ctx.stageName() + ".bin", out -> TrainingCheckpoint.write(out, NETWORK_MAGIC, epochs, networkBlocks, null));
        ctx.metrics(epochs, Map.of("trainSeconds", seconds, "parameters", (double) parameters));
    }

    /** The MMI denominator: the phone loop with the bigram LM of the training transcripts, LM scale and insertion penalty. */
    private PhoneLoop denominator(PhoneModelSet models) {
        return new PhoneLoop(models, new BigramLm(models.numPhones(), models.trainingTranscripts(), 1.0), lmScale, insertionPenalty);
    }

    /**
     * A pass over the training set (J, M-step after an epoch) and the dev metrics, as metrics of {@code epoch}; the test
     * metrics at the start (epoch 0: the separately trained parts — e.g. a pretrained network's features under a GMM-HMM
     * fitted to them — before any joint training) and after the last epoch.
     */
    private void report(RunContext ctx, int epoch, int epochs, HybridObjective objective, SplicedInputs inputs, LabelledSequences train,
            List<int[]> transcripts, List<int[]> alignments, List<Integer> usable, Optional<LabelledSequences> dev,
            Optional<LabelledSequences> test, double stepPerFrame) throws Exception {
        PhoneModelSet models = objective.models();
        EmissionModel emission = models.emission();
        boolean update = epoch > 0;
        // one EM step per epoch: the network moves between epochs, so further rounds would fit features about to change
        Pass first = pass(objective, inputs, train, transcripts, alignments, usable, update && !emissionGradient);
        if (update && !emissionGradient) {
            emission.maximize();
            emission.lastMaximizeReport().forEach(n -> ctx.log(TYPE + ": epoch " + epoch + ": " + n));
        }
        if (update) {
            double[] a = models.selfLoops();
            for (int j = 0; j < a.length; j++) {
                double n = first.stays()[j] + first.exits()[j];
                if (n > 0) {
                    a[j] = Math.min(0.99, first.stays()[j] / n);
                }
            }
            models.setSelfLoops(a);
            objective.denominator(denominator(models));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("logLikelihoodPerFrame", first.logLikelihood() / Math.max(1, first.frames()));
        if (!Double.isNaN(stepPerFrame)) {
            m.put("stepLogLikelihoodPerFrame", stepPerFrame);
        }
        if (dev.isPresent()) {
            m.putAll(setMetrics("dev", objective, inputs, dev.get(), models));
        }
        if (test.isPresent() && (epoch == 0 || epoch == epochs)) {
            m.putAll(setMetrics("test", objective, inputs, test.get(), models));
        }
        ctx.metrics(epoch, m);
        ctx.log(String.format(Locale.ROOT, "%s: epoch %d: %s", TYPE, epoch, m));
    }

    /** J over the training set with the current network; with {@code accumulate}, the emission's γ-weighted statistics. */
    private static Pass pass(HybridObjective objective, SplicedInputs inputs, LabelledSequences train, List<int[]> transcripts,
            List<int[]> alignments, List<Integer> usable, boolean accumulate) throws StageException {
        PhoneModelSet models = objective.models();
        int k = models.numStates();
        double[] stays = new double[k];
        double[] exits = new double[k];
        double sum = 0;
        long frames = 0;
        SequenceBatch obs = train.observations();
        for (int u : usable) {
            HybridObjective.Evaluation e;
            try {
                e = objective.evaluate(inputs.rows(obs.sequence(u)), transcripts.get(u), alignments.get(u), false, 0, false);
            } catch (RuntimeException ex) {
                throw new StageException(TYPE + ": training utterance " + u + ": " + ex.getMessage(), ex);
            }
            sum += e.logLikelihood();
            frames += obs.length(u);
            for (int j = 0; j < k; j++) {
                stays[j] += e.stays()[j];
                exits[j] += e.exits()[j];
            }
            if (accumulate) {
                models.emission().accumulate(e.features(), e.occupancy());
            }
        }
        return new Pass(sum, frames, stays, exits);
    }

    /**
     * A labelled set's log-likelihood of the transcripts, and the phone loop's PER and frame accuracy (bigram LM of the
     * training transcripts), as {@code <prefix>LogLikelihoodPerFrame}, {@code <prefix>PhoneErrorRate}, {@code <prefix>FrameAccuracy}.
     */
    private Map<String, Double> setMetrics(String prefix, HybridObjective objective, SplicedInputs inputs, LabelledSequences dev,
            PhoneModelSet models) throws StageException {
        Map<String, Double> m = new LinkedHashMap<>();
        if (dev.states() == null) {
            return m;
        }
        PhoneLoop loop = denominator(models);
        SequenceBatch obs = dev.observations();
        double ll = 0;
        long llFrames = 0;
        long errors = 0;
        long refPhones = 0;
        long correctFrames = 0;
        long frames = 0;
        for (int c = 0; c < obs.size(); c += PhoneLoopStageProvider.CHUNK) {
            List<Matrix> logB = new ArrayList<>();
            List<int[]> refs = new ArrayList<>();
            for (int u = c; u < Math.min(obs.size(), c + PhoneLoopStageProvider.CHUNK); u++) {
                Matrix y = objective.features(inputs.rows(obs.sequence(u)));
                Matrix lb = new Matrix(y.rows(), models.numStates());
                models.emission().logDensity(y, lb);
                logB.add(lb);
                int[] ref;
                try {
                    ref = Transcripts.of(dev, u);
                } catch (IllegalArgumentException ex) {
                    throw new StageException(TYPE + ": " + prefix + ": " + ex.getMessage(), ex);
                }
                refs.add(ref);
                if (y.rows() >= ref.length * models.statesPerPhone() && y.rows() > 0) {
                    ll += HybridObjective.score(models, objective.inference(), HybridObjective.Criterion.TRANSCRIPT, ref, null, lb, null).logLikelihood();
                    llFrames += y.rows();
                }
            }
            List<PhoneLoop.Decoded> decoded = loop.decode(logB, objective.inference());
            for (int i = 0; i < decoded.size(); i++) {
                int u = c + i;
                errors += ErrorCount.levenshtein(refs.get(i), decoded.get(i).phones());
                refPhones += refs.get(i).length;
                int[] fp = decoded.get(i).framePhones();
                for (int t = 0; t < fp.length; t++) {
                    correctFrames += fp[t] == dev.states()[obs.offset(u) + t] ? 1 : 0;
                }
                frames += fp.length;
            }
        }
        m.put(prefix + "LogLikelihoodPerFrame", ll / Math.max(1, llFrames));
        m.put(prefix + "PhoneErrorRate", errors / (double) Math.max(1, refPhones));
        m.put(prefix + "FrameAccuracy", correctFrames / (double) Math.max(1, frames));
        return m;
    }

    /** The learned features of every utterance of {@code s}, with its labels. */
    private static LabelledSequences transform(HybridObjective objective, SplicedInputs inputs, LabelledSequences s, int dimension)
            throws StageException {
        SequenceBatch obs = s.observations();
        double[] out = new double[Math.multiplyExact(obs.totalLength(), dimension)];
        int[] lengths = new int[obs.size()];
        for (int u = 0; u < obs.size(); u++) {
            lengths[u] = obs.length(u);
            if (lengths[u] == 0) {
                continue;
            }
            Matrix y = objective.features(inputs.rows(obs.sequence(u)));
            if (y.cols() != dimension) {
                throw new StageException(TYPE + ": the network gives " + y.cols() + " features per frame, the emission model has dimension "
                        + dimension + " (set the network's outputs, or the emission's dimension, so they agree)");
            }
            System.arraycopy(y.data(), 0, out, obs.offset(u) * dimension, y.data().length);
        }
        return new LabelledSequences(s.name(), new SequenceBatch(dimension, lengths, out), s.states(), s.stateNames(), s.provenance());
    }

    /** Fisher-Yates with the given generator. */
    private static void shuffle(List<Integer> l, SplittableRandom rng) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }
}
