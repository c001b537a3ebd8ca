package org.hybridbench.optim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;

/**
 * The common part of the first-order methods: input checks, clipping, the schedule and per-block state.
 *
 * <p>Each {@link #step} (1) checks every block's values and gradient are finite and that a block's size did not
 * change (before anything is updated, so a bad block leaves all blocks untouched), (2) when clipping applies,
 * copies the gradients, clamps them by value and scales them by the global-norm rule ({@link Clipping}), (3) counts
 * the update t and takes η(t) from the {@link Schedule}, and (4) applies the method's rule to every block with that
 * block's state, kept by block name.
 *
 * <p>{@link #state()} holds {@code "step"} = {t} and one entry {@code "<slot>/<block name>"} per state vector
 * (e.g. {@code "m/means"}); {@link #restore} takes such a map.
 */
public abstract class StochasticOptimizer implements Optimizer {
    private final String method;
    private final Schedule schedule;
    private final Clipping clipping;
    private final List<String> slots;
    /** Block name → one vector per slot. */
    private final Map<String, State> state = new LinkedHashMap<>();
    private final Map<String, double[]> scratch = new HashMap<>();
    private final Map<String, float[]> floatScratch = new HashMap<>();
    private long steps;
    private double lastRate = Double.NaN;

    protected StochasticOptimizer(String method, Schedule schedule, Clipping clipping, List<String> slots) {
        this.method = method;
        this.schedule = schedule;
        this.clipping = clipping;
        this.slots = List.copyOf(slots);
    }

    /**
     * The method's update of one block.
     *
     * @param x the values, updated in place
     * @param g the clipped gradient: the block's own gradient array when no clipping applies, so the rule must not
     *            change it
     * @param s the block's state vectors, in the order of the slots
     * @param rate η(t)
     * @param t the update number, from 1
     */
    protected abstract void update(double[] x, double[] g, double[][] s, double rate, long t);

    /**
     * The same rule for a single-precision block ({@link ParameterBlock#isSinglePrecision()}): state in floats too, as
     * PyTorch keeps Adam's moments in the parameters' dtype; the arithmetic is in float, with the scalar factors
     * computed in double first.
     */
    protected abstract void update(float[] x, float[] g, float[][] s, double rate, long t);

    @Override
    public final void step(List<ParameterBlock> blocks) {
        for (ParameterBlock b : blocks) {
            check(b);
        }
        // the gradients are copied only when clipping changes them: otherwise the rule reads the block's own array
        boolean clampByValue = clipping.value() > 0;
        double squared = 0;
        if (clipping.norm() > 0) {
            for (ParameterBlock b : blocks) {
                if (b.isSinglePrecision()) {
                    for (float v : b.floatGradient()) {
                        double g = clipping.clampValue(v);
                        squared += g * g;
                    }
                } else {
                    for (double v : b.gradient()) {
                        double g = clipping.clampValue(v);
                        squared += g * g;
                    }
                }
            }
        }
        double scale = clipping.normScale(squared);
        boolean clipped = clampByValue || scale != 1;
        steps++;
        double rate = schedule.rate(steps);
        lastRate = rate;
        for (ParameterBlock b : blocks) {
            State s = state.get(b.name());
            if (s == null) {
                s = new State(new double[slots.size()][b.size()]);
                initialize(s.doubles);
                state.put(b.name(), s);
            }
            if (b.isSinglePrecision()) {
                float[] g = b.floatGradient();
                if (clipped) {
                    // the owner's gradient stays as it is: clip a scratch copy
                    float[] src = g;
                    g = floatScratch.get(b.name());
                    if (g == null || g.length != src.length) {
                        g = new float[src.length];
                        floatScratch.put(b.name(), g);
                    }
                    for (int i = 0; i < g.length; i++) {
                        g[i] = (float) (clipping.clampValue(src[i]) * scale);
                    }
                }
                update(b.floatValues(), g, s.floats(), rate, steps);
            } else {
                double[] g = b.gradient();
                if (clipped) {
                    double[] src = g;
                    g = scratch.get(b.name());
                    if (g == null || g.length != src.length) {
                        g = new double[src.length];
                        scratch.put(b.name(), g);
                    }
                    for (int i = 0; i < g.length; i++) {
                        g[i] = clipping.clampValue(src[i]) * scale;
                    }
                }
                update(b.values(), g, s.doubles(), rate, steps);
            }
        }
    }

    /**
     * A block's state vectors, in the precision of the block's last update: created (and restored from a checkpoint) as
     * doubles, converted once when a single-precision block first uses them, and widened again for {@link #state()}.
     */
    private static final class State {
        private double[][] doubles;
        private float[][] floats;

        State(double[][] doubles) {
            this.doubles = doubles;
        }

        int length() {
            return doubles != null ? (doubles.length == 0 ? -1 : doubles[0].length) : (floats.length == 0 ? -1 : floats[0].length);
        }

        double[][] doubles() {
            if (doubles == null) {
                doubles = new double[floats.length][];
                for (int k = 0; k < floats.length; k++) {
                    doubles[k] = new double[floats[k].length];
                    for (int i = 0; i < floats[k].length; i++) {
                        doubles[k][i] = floats[k][i];
                    }
                }
                floats = null;
            }
            return doubles;
        }

        float[][] floats() {
            if (floats == null) {
                floats = new float[doubles.length][];
                for (int k = 0; k < doubles.length; k++) {
                    floats[k] = new float[doubles[k].length];
                    for (int i = 0; i < doubles[k].length; i++) {
                        floats[k][i] = (float) doubles[k][i];
                    }
                }
                doubles = null;
            }
            return floats;
        }

        /** Copies of the vectors as doubles (floats widen exactly). */
        double[] copy(int k) {
            if (doubles != null) {
                return doubles[k].clone();
            }
            double[] out = new double[floats[k].length];
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[k][i];
            }
            return out;
        }
    }

    /** Sets the initial state of a block seen for the first time (default: zeros). */
    protected void initialize(double[][] s) {
    }

    private void check(ParameterBlock b) {
        // one pass over values and gradient, as the largest |entry| (NaN if any is NaN): a max reduction the JIT
        // vectorises, where a boolean and-reduction it does not (on a 650k-parameter VAE this check is memory-bound and
        // measured 1.7× faster so); only a block that fails is scanned again, gradient first, for the message
        boolean finite;
        if (b.isSinglePrecision()) {
            float[] g = b.floatGradient();
            float[] x = b.floatValues();
            float largest = 0;
            for (int i = 0; i < g.length; i++) {
                largest = Math.max(largest, Math.max(Math.abs(g[i]), Math.abs(x[i])));
            }
            finite = largest <= Float.MAX_VALUE;
        } else {
            double[] g = b.gradient();
            double[] x = b.values();
            double largest = 0;
            for (int i = 0; i < g.length; i++) {
                largest = Math.max(largest, Math.max(Math.abs(g[i]), Math.abs(x[i])));
            }
            finite = largest <= Double.MAX_VALUE;
        }
        if (!finite) {
            report(b);
        }
        State s = state.get(b.name());
        if (s != null && s.length() >= 0 && s.length() != b.size()) {
            throw new IllegalArgumentException(method + ": block '" + b.name() + "' has " + b.size() + " values but its state has "
                    + s.length() + " (a different block under the same name?)");
        }
    }

    /** Throws for the first non-finite gradient entry of {@code b}, else for its first non-finite value. */
    private void report(ParameterBlock b) {
        double[] g = new double[b.size()];
        b.copyGradientInto(g, 0);
        for (int i = 0; i < g.length; i++) {
            if (!Double.isFinite(g[i])) {
                throw new IllegalArgumentException(method + ": gradient of block '" + b.name() + "' is " + g[i] + " at index " + i
                        + " (element " + Arrays.toString(unravel(i, b.shape())) + " of shape " + Arrays.toString(b.shape()) + ")");
            }
        }
        double[] x = b.copyValues();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(method + ": value of block '" + b.name() + "' is " + x[i] + " at index " + i
                        + " (element " + Arrays.toString(unravel(i, b.shape())) + " of shape " + Arrays.toString(b.shape()) + ")");
            }
        }
        throw new IllegalStateException(method + ": block '" + b.name() + "' failed the finiteness check but has no non-finite entry");
    }

    static int[] unravel(int index, int[] shape) {
        int[] at = new int[shape.length];
        int rest = index;
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return at;
    }

    @Override
    public void reset() {
        state.clear();
        scratch.clear();
        floatScratch.clear();
        steps = 0;
        lastRate = Double.NaN;
    }

    /** Updates made since creation or the last {@link #reset()}. */
    public long steps() {
        return steps;
    }

    /** η of the last update (NaN before the first). */
    public double lastRate() {
        return lastRate;
    }

    public Schedule schedule() {
        return schedule;
    }

    public Clipping clipping() {
        return clipping;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("step", new double[] {steps});
        for (Map.Entry<String, State> e : state.entrySet()) {
            for (int k = 0; k < slots.size(); k++) {
                out.put(slots.get(k) + "/" + e.getKey(), e.getValue().copy(k));
            }
        }
        return out;
    }

    @Override
    public void restore(Map<String, double[]> saved) {
        Map<String, double[][]> blocks = new LinkedHashMap<>();
        long restoredSteps = 0;
        for (Map.Entry<String, double[]> e : saved.entrySet()) {
            String key = e.getKey();
            double[] v = e.getValue();
            if (key.equals("step")) {
                if (v.length != 1 || !(v[0] >= 0) || v[0] != Math.rint(v[0])) {
                    throw new IllegalArgumentException(method + ": state entry 'step' must be one whole number >= 0, got " + Arrays.toString(v));
                }
                restoredSteps = (long) v[0];
                continue;
            }
            int slash = key.indexOf('/');
            int slot = slash < 0 ? -1 : slots.indexOf(key.substring(0, slash));
            if (slot < 0) {
                throw new IllegalArgumentException(method + ": unknown state entry '" + key + "' (expected 'step' and "
                        + String.join(", ", slots.stream().map(s -> "'" + s + "/<block>'").toList()) + ")");
            }
            String block = key.substring(slash + 1);
            double[][] s = blocks.computeIfAbsent(block, n -> new double[slots.size()][]);
            s[slot] = v.clone();
        }
        for (Map.Entry<String, double[][]> e : blocks.entrySet()) {
            double[][] s = e.getValue();
            for (int k = 0; k < s.length; k++) {
                if (s[k] == null || s[k].length != s[0].length) {
                    throw new IllegalArgumentException(method + ": state of block '" + e.getKey() + "' is missing '" + slots.get(k)
                            + "' or its vectors differ in length");
                }
            }
        }
        if (!saved.containsKey("step")) {
            throw new IllegalArgumentException(method + ": state has no 'step' entry");
        }
        reset();
        blocks.forEach((name, vectors) -> state.put(name, new State(vectors)));
        steps = restoredSteps;
    }
}
