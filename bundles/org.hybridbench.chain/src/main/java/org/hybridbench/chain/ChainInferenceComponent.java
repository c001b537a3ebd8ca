package org.hybridbench.chain;

import java.util.List;
import java.util.random.RandomGenerator;

import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link ChainInference} service for bundles that look it up instead of wiring the {@code inference.chain}
 * stage (the HMM and CRF families). Configuration PID {@code org.hybridbench.chain}: numerics and threads.
 */
@Component(service = ChainInference.class, configurationPid = "org.hybridbench.chain")
@Designate(ocd = ChainInferenceComponent.Config.class)
public class ChainInferenceComponent implements ChainInference {

    /** Configuration of the service. */
    @org.osgi.service.metatype.annotations.ObjectClassDefinition(name = "Chain inference")
    public @interface Config {
        /** scaled, log or verify. */
        String numerics() default "scaled";

        /** Threads for batches; 0 means one per available processor. */
        int threads() default 0;
    }

    private final ChainEngine engine;

    @Activate
    public ChainInferenceComponent(Config config) {
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        this.engine = new ChainEngine(ChainNumerics.fromName(config.numerics()), threads);
    }

    @Override
    public ChainNumerics numerics() {
        return engine.numerics();
    }

    @Override
    public ChainInference withNumerics(ChainNumerics numerics) {
        return numerics == engine.numerics() ? this : engine.withNumerics(numerics);
    }

    @Override
    public double logPartition(ChainPotentials potentials) {
        return engine.logPartition(potentials);
    }

    @Override
    public ChainMarginals marginals(ChainPotentials potentials) {
        return engine.marginals(potentials);
    }

    @Override
    public ChainPath viterbi(ChainPotentials potentials) {
        return engine.viterbi(potentials);
    }

    @Override
    public List<ChainPath> nBest(ChainPotentials potentials, int n) {
        return engine.nBest(potentials, n);
    }

    @Override
    public ChainPath sample(ChainPotentials potentials, RandomGenerator rng) {
        return engine.sample(potentials, rng);
    }

    @Override
    public double[] logPartition(ChainBatch batch) {
        return engine.logPartition(batch);
    }

    @Override
    public ChainBatchMarginals marginals(ChainBatch batch) {
        return engine.marginals(batch);
    }

    @Override
    public List<ChainPath> viterbi(ChainBatch batch) {
        return engine.viterbi(batch);
    }
}
