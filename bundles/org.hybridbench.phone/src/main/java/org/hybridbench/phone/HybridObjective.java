package org.hybridbench.phone;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.DifferentiableNetwork;

/**
 * The end-to-end hybrid's objective for one utterance and its gradient (Bengio et al. 1992; the seed lecture §2.1):
 * the network maps the utterance's input rows X to features Z, normalised to Y ({@link FeatureNormalization}, or
 * Y = Z), the phone models' emission (e.g. a GMM) gives log b_i(Y_t), and J is
 * <ul>
 * <li>{@link Criterion#TRANSCRIPT}: log p(Y | transcript's composite HMM), summed over every alignment by
 * forward-backward; dJ/d log b_i(Y_t) = γ_t(i), the occupancy of emission state i, summed over the composite
 * states that use it;</li>
 * <li>{@link Criterion#LABELS}: log p(S, Y) for the one alignment S given by the frame labels (each labelled phone
 * segment cut into S equal parts, as model.phone.hmm's label start); dJ/d log b = one-hot of S.</li>
 * </ul>
 * Then dJ/dY_t = Σ_i (dJ/d log b_i(Y_t)) ∂ log b_i(Y_t)/∂Y_t (the emission's observation gradient), through the
 * normalisation to dJ/dZ, and back through the network as its external error; the emission parameters get
 * Σ_t Σ_i (dJ/d log b_i) ∂ log b_i/∂θ from its parameter gradient. The loss handed to the network and the emission
 * is −scale·J (optimizers minimise).
 */
final class HybridObjective {
    enum Criterion {
        TRANSCRIPT, LABELS, MMI;

        static Criterion fromConfig(String s) {
            return switch (s) {
                case "transcript" -> TRANSCRIPT;
                case "labels" -> LABELS;
                case "mmi" -> MMI;
                default -> throw new IllegalArgumentException("unknown criterion '" + s + "' (transcript, labels, mmi)");
            };
        }
    }

    /**
     * J, dJ/d log b (T × P·S), the transcript's (numerator's) state occupancy — the weights of an EM step, equal to
     * dJ/d log b except for MMI — and its expected stays and exits per phone state (for the self-loops).
     */
    record Scored(double logLikelihood, Matrix dLogB, Matrix occupancy, double[] stays, double[] exits) {
    }

    /** {@link Scored} of one utterance with its features Y. */
    record Evaluation(double logLikelihood, Matrix features, Matrix dLogB, Matrix occupancy, double[] stays, double[] exits) {
    }

    private final DifferentiableNetwork network;
    private final PhoneModelSet models;
    private final ChainInference inference;
    private final Criterion criterion;
    private final boolean normalize;
    private PhoneLoop loop;

    HybridObjective(DifferentiableNetwork network, PhoneModelSet models, ChainInference inference, Criterion criterion, boolean normalize) {
        this.network = network;
        this.models = models;
        this.inference = inference;
        this.criterion = criterion;
        this.normalize = normalize;
    }

    /** The phone loop of the MMI denominator (needed for {@link Criterion#MMI}; rebuilt by the caller when self-loops change). */
    void denominator(PhoneLoop l) {
        this.loop = l;
    }

    PhoneModelSet models() {
        return models;
    }

    ChainInference inference() {
        return inference;
    }

    /** The features Y of one utterance's input rows (no training state kept). */
    Matrix features(Matrix input) {
        Matrix z = network.forward(input, false);
        return normalize ? FeatureNormalization.forward(z).features() : z;
    }

    /**
     * J of one utterance; with {@code backward}, also adds the gradient of −scale·J to the network's parameter
     * blocks and, with {@code emissionGradient}, to the emission's.
     *
     * @param transcript the utterance's phones (for {@link Criterion#TRANSCRIPT})
     * @param alignment the emission state of every frame (for {@link Criterion#LABELS})
     */
    Evaluation evaluate(Matrix input, int[] transcript, int[] alignment, boolean backward, double scale, boolean emissionGradient) {
        Matrix z = network.forward(input, backward);
        FeatureNormalization.Normalized n = normalize ? FeatureNormalization.forward(z) : null;
        Matrix y = normalize ? n.features() : z;
        Matrix logB = new Matrix(y.rows(), models.numStates());
        models.emission().logDensity(y, logB);
        Scored s = score(models, inference, criterion, transcript, alignment, logB, loop);
        if (backward) {
            Matrix dy = new Matrix(y.rows(), y.cols());
            models.emission().observationGradient(y, s.dLogB(), dy);
            Matrix dz = normalize ? FeatureNormalization.backward(n, dy) : dy;
            double[] g = dz.data();
            for (int i = 0; i < g.length; i++) {
                g[i] *= -scale;
            }
            network.backward(dz);
            if (emissionGradient) {
                Matrix w = s.dLogB().copy();
                double[] wd = w.data();
                for (int i = 0; i < wd.length; i++) {
                    wd[i] *= -scale;
                }
                models.emission().parameterGradient(y, w);
            }
        }
        return new Evaluation(s.logLikelihood(), y, s.dLogB(), s.occupancy(), s.stays(), s.exits());
    }

    /** J and dJ/d log b from the log-densities of one utterance (T × P·S). */
    static Scored score(PhoneModelSet m, ChainInference inference, Criterion criterion, int[] transcript, int[] alignment, Matrix logB,
            PhoneLoop loop) {
        int k = m.numStates();
        int t = logB.rows();
        Matrix w = new Matrix(t, k);
        double[] wd = w.data();
        double[] stays = new double[k];
        double[] exits = new double[k];
        if (criterion == Criterion.LABELS) {
            if (alignment.length != t) {
                throw new IllegalArgumentException("alignment of " + alignment.length + " frames for " + t + " frames");
            }
            double j = 0;
            for (int r = 0; r < t; r++) {
                int i = alignment[r];
                j += logB.get(r, i);
                wd[r * k + i] = 1;
                boolean stay = r + 1 < t && alignment[r + 1] == i;
                double a = m.selfLoop(i / m.statesPerPhone(), i % m.statesPerPhone());
                j += stay ? Math.log(a) : Math.log1p(-a);
                (stay ? stays : exits)[i] += 1;
            }
            return new Scored(j, w, w, stays, exits);
        }
        int[] e = CompositeHmm.emissionStates(m, transcript);
        ChainMarginals g = inference.marginals(CompositeHmm.potentials(m, transcript, logB));
        int kc = e.length;
        double[] gd = g.posteriors().data();
        for (int r = 0; r < t; r++) {
            for (int j = 0; j < kc; j++) {
                wd[r * k + e[j]] += gd[r * kc + j];
            }
        }
        Matrix xi = g.expectedTransitions();
        for (int j = 0; j < kc; j++) {
            stays[e[j]] += xi.get(j, j);
            exits[e[j]] += j + 1 < kc ? xi.get(j, j + 1) : 1;
        }
        double j = g.logPartition();
        Matrix occupancy = w;
        if (criterion == Criterion.MMI) {
            occupancy = w.copy();
            if (loop == null) {
                throw new IllegalStateException("the MMI criterion needs the phone loop of its denominator");
            }
            ChainMarginals den = inference.marginals(loop.potentials(logB));
            j -= den.logPartition();
            double[] dd = den.posteriors().data();
            for (int i = 0; i < wd.length; i++) {
                wd[i] -= dd[i];
            }
        }
        return new Scored(j, w, occupancy, stays, exits);
    }
}
