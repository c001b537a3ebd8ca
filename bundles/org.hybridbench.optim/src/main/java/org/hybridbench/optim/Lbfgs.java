package org.hybridbench.optim;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.Minimization;
import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;

/**
 * Limited-memory BFGS for full-batch objectives (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed.,
 * Algorithm 7.5 with the two-loop recursion of Algorithm 7.4, H₀ = γI with γ = sᵀy / yᵀy of the newest pair,
 * eq. 7.20) and a line search satisfying the strong Wolfe conditions (Algorithms 3.5 and 3.6, cubic
 * interpolation in the zoom, safeguarded by bisection).
 *
 * <p>The parameter blocks are treated as one vector in list order. A pair (s, y) is stored only when the
 * curvature condition sᵀy &gt; 1e-12·‖s‖‖y‖ holds (strong Wolfe guarantees sᵀy &gt; 0 up to rounding); the newest {@code history} pairs are kept. If the direction is not a descent direction or the
 * line search fails, the history is dropped and the iteration is retried along −∇f; a failure from −∇f ends the
 * run (not converged). The first step along −∇f tries α = min(1, 1/‖∇f‖); later ones try α = 1.
 *
 * <p>{@link #step} is not available (a line search needs the objective): use {@link #minimize}. State:
 * {@code "iterations"} = {k}, {@code "dimension"} = {n} and the pairs {@code "s/i"}, {@code "y/i"}, oldest first;
 * restoring it makes a later {@link #minimize} continue exactly as the saved optimizer would have.
 */
public final class Lbfgs implements Optimizer {
    private final int history;
    private final double c1;
    private final double c2;
    private final int maxLineSearch;
    private final Deque<double[][]> pairs = new ArrayDeque<>();
    private long iterations;
    private int dimension = -1;

    /**
     * @param history m, the number of (s, y) pairs kept (≥ 1)
     * @param c1 sufficient-decrease constant, 0 &lt; c1 &lt; c2 &lt; 1
     * @param c2 curvature constant
     * @param maxLineSearch the most objective evaluations per line search (≥ 1)
     */
    public Lbfgs(int history, double c1, double c2, int maxLineSearch) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be >= 1, got " + history);
        }
        if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("line search needs 0 < c1 < c2 < 1, got c1 = " + c1 + ", c2 = " + c2);
        }
        if (maxLineSearch < 1) {
            throw new IllegalArgumentException("maxLineSearch must be >= 1, got " + maxLineSearch);
        }
        this.history = history;
        this.c1 = c1;
        this.c2 = c2;
        this.maxLineSearch = maxLineSearch;
    }

    /** m = 10, c1 = 1e-4, c2 = 0.9, 40 evaluations per line search. */
    public static Lbfgs standard() {
        return new Lbfgs(10, 1e-4, 0.9, 40);
    }

    @Override
    public void step(List<ParameterBlock> blocks) {
        throw new UnsupportedOperationException("optimizer.lbfgs works on a full-batch objective (its line search evaluates it "
                + "several times): call minimize(Objective, ...); for step-by-step training use optimizer.sgd, optimizer.adagrad "
                + "or optimizer.adam");
    }

    @Override
    public void reset() {
        pairs.clear();
        iterations = 0;
        dimension = -1;
    }

    /** Iterations made since creation or the last {@link #reset()}. */
    public long iterations() {
        return iterations;
    }

    @Override
    public Minimization minimize(Objective objective, int maxIterations, double gradientTolerance) {
        if (maxIterations < 0 || !(gradientTolerance >= 0)) {
            throw new IllegalArgumentException("minimize needs maxIterations >= 0 and gradientTolerance >= 0, got "
                    + maxIterations + " and " + gradientTolerance);
        }
        Problem p = new Problem(objective);
        if (dimension >= 0 && dimension != p.n) {
            throw new IllegalArgumentException("optimizer.lbfgs: its state is for " + dimension + " parameters but the objective has "
                    + p.n + " (" + p.describe() + ")");
        }
        dimension = p.n;
        double[] x = p.gather();
        double[] g = new double[p.n];
        double f = p.evaluate(g);
        int evaluations = 1;
        if (!Double.isFinite(f)) {
            throw new IllegalArgumentException("optimizer.lbfgs: the objective is " + f + " at the starting point (" + p.describe() + ")");
        }
        double[] d = new double[p.n];
        double[] trialX = new double[p.n];
        double[] trialG = new double[p.n];
        for (int it = 0;; it++) {
            double gnorm = norm(g);
            if (gnorm <= gradientTolerance) {
                return new Minimization(f, gnorm, it, evaluations, true, "gradient norm " + gnorm + " <= " + gradientTolerance);
            }
            if (it == maxIterations) {
                return new Minimization(f, gnorm, it, evaluations, false, "iteration limit " + maxIterations + " reached");
            }
            LineSearch ls = null;
            for (int attempt = 0; attempt < 2 && ls == null; attempt++) {
                direction(g, d);
                double slope = dot(g, d);
                if (!(slope < 0)) {
                    pairs.clear();
                    direction(g, d);
                    slope = dot(g, d);
                }
                double alpha0 = pairs.isEmpty() ? Math.min(1, 1 / gnorm) : 1;
                ls = lineSearch(p, x, f, slope, d, alpha0, trialX, trialG);
                evaluations += ls.evaluations;
                if (!ls.ok) {
                    boolean hadHistory = !pairs.isEmpty();
                    pairs.clear();
                    p.scatter(x);
                    f = p.evaluate(g);
                    evaluations++;
                    if (!hadHistory) {
                        return new Minimization(f, gnorm, it, evaluations, false,
                                "line search found no point satisfying the strong Wolfe conditions along -gradient");
                    }
                    ls = null;
                }
            }
            double[] s = new double[p.n];
            double[] y = new double[p.n];
            for (int i = 0; i < p.n; i++) {
                s[i] = trialX[i] - x[i];
                y[i] = trialG[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * norm(s) * norm(y)) {
                pairs.addLast(new double[][] {s, y});
                if (pairs.size() > history) {
                    pairs.removeFirst();
                }
            }
            System.arraycopy(trialX, 0, x, 0, p.n);
            System.arraycopy(trialG, 0, g, 0, p.n);
            f = ls.value;
            iterations++;
        }
    }

    /** d = −H∇f by the two-loop recursion (N&amp;W Algorithm 7.4). */
    private void direction(double[] g, double[] d) {
        int m = pairs.size();
        double[] a = new double[m];
        double[] rho = new double[m];
        for (int i = 0; i < d.length; i++) {
            d[i] = -g[i];
        }
        int k = m - 1;
        for (Iterator<double[][]> it = pairs.descendingIterator(); it.hasNext(); k--) {
            double[][] sy = it.next();
            rho[k] = 1 / dot(sy[1], sy[0]);
            a[k] = rho[k] * dot(sy[0], d);
            axpy(-a[k], sy[1], d);
        }
        if (m > 0) {
            double[][] last = pairs.peekLast();
            double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
            for (int i = 0; i < d.length; i++) {
                d[i] *= gamma;
            }
        }
        k = 0;
        for (double[][] sy : pairs) {
            double b = rho[k] * dot(sy[1], d);
            axpy(a[k] - b, sy[0], d);
            k++;
        }
    }

    private static final class LineSearch {
        boolean ok;
        double value;
        int evaluations;
    }

    /**
     * Strong-Wolfe line search (N&amp;W Algorithm 3.5 with zoom, Algorithm 3.6). On success trialX/trialG hold the
     * accepted point and its gradient (also the last point evaluated, so the blocks agree with it).
     */
    private LineSearch lineSearch(Problem p, double[] x, double f0, double d0, double[] d, double alpha0, double[] trialX,
            double[] trialG) {
        LineSearch r = new LineSearch();
        double aPrev = 0;
        double fPrev = f0;
        double dPrev = d0;
        double a = alpha0;
        for (int i = 1; r.evaluations < maxLineSearch; i++) {
            double fa = phi(p, x, d, a, trialX, trialG);
            r.evaluations++;
            double da = dot(trialG, d);
            if (!Double.isFinite(fa) || fa > f0 + c1 * a * d0 + flat(f0) || (i > 1 && fa >= fPrev)) {
                return zoom(p, x, f0, d0, d, aPrev, fPrev, dPrev, a, fa, da, trialX, trialG, r);
            }
            if (Math.abs(da) <= -c2 * d0) {
                r.ok = true;
                r.value = fa;
                return r;
            }
            if (da >= 0) {
                return zoom(p, x, f0, d0, d, a, fa, da, aPrev, fPrev, dPrev, trialX, trialG, r);
            }
            aPrev = a;
            fPrev = fa;
            dPrev = da;
            a *= 2;
        }
        return r;
    }

    private LineSearch zoom(Problem p, double[] x, double f0, double d0, double[] d, double lo, double fLo, double dLo, double hi,
            double fHi, double dHi, double[] trialX, double[] trialG, LineSearch r) {
        while (r.evaluations < maxLineSearch) {
            double a = interpolate(lo, fLo, dLo, hi, fHi, dHi);
            double fa = phi(p, x, d, a, trialX, trialG);
            r.evaluations++;
            double da = dot(trialG, d);
            if (!Double.isFinite(fa) || fa > f0 + c1 * a * d0 + flat(f0) || fa > fLo + flat(f0)) {
                hi = a;
                fHi = fa;
                dHi = da;
            } else {
                if (Math.abs(da) <= -c2 * d0) {
                    r.ok = true;
                    r.value = fa;
                    return r;
                }
                if (da * (hi - lo) >= 0) {
                    hi = lo;
                    fHi = fLo;
                    dHi = dLo;
                }
                lo = a;
                fLo = fa;
                dLo = da;
            }
            if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) {
                break;
            }
        }
        return r;
    }

    /**
     * The rounding allowance of the sufficient-decrease test, 1e-14·|f(0)|: close to a minimum the decrease c1·α·φ'(0)
     * falls below the resolution of f, and φ(α) may round above φ(0) although φ' shows the step is good. With it the
     * test is the approximate-Wolfe one of Hager &amp; Zhang (2005) with a much smaller ε; the curvature test is unchanged.
     */
    private static double flat(double f0) {
        return 1e-14 * Math.abs(f0);
    }

    /** The minimiser of the cubic through both end points (N&amp;W eq. 3.59), kept 10% inside the interval. */
    static double interpolate(double lo, double fLo, double dLo, double hi, double fHi, double dHi) {
        double left = Math.min(lo, hi);
        double right = Math.max(lo, hi);
        double margin = 0.1 * (right - left);
        double a = Double.NaN;
        if (Double.isFinite(fHi) && Double.isFinite(dHi)) {
            double e1 = dLo + dHi - 3 * (fLo - fHi) / (lo - hi);
            double disc = e1 * e1 - dLo * dHi;
            if (disc >= 0) {
                double e2 = Math.signum(hi - lo) * Math.sqrt(disc);
                a = hi - (hi - lo) * (dHi + e2 - e1) / (dHi - dLo + 2 * e2);
            }
        }
        if (!(a >= left + margin && a <= right - margin)) {
            a = (lo + hi) / 2;
        }
        return a;
    }

    private static double phi(Problem p, double[] x, double[] d, double a, double[] trialX, double[] trialG) {
        for (int i = 0; i < x.length; i++) {
            trialX[i] = x[i] + a * d[i];
        }
        p.scatter(trialX);
        return p.evaluate(trialG);
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("iterations", new double[] {iterations});
        out.put("dimension", new double[] {dimension});
        int i = 0;
        for (double[][] sy : pairs) {
            out.put("s/" + i, sy[0].clone());
            out.put("y/" + i, sy[1].clone());
            i++;
        }
        return out;
    }

    @Override
    public void restore(Map<String, double[]> saved) {
        double[] its = saved.get("iterations");
        double[] dim = saved.get("dimension");
        if (its == null || its.length != 1 || dim == null || dim.length != 1) {
            throw new IllegalArgumentException("optimizer.lbfgs: state needs one-number entries 'iterations' and 'dimension', has "
                    + saved.keySet());
        }
        int n = (int) dim[0];
        int count = 0;
        while (saved.containsKey("s/" + count)) {
            count++;
        }
        if (count > history) {
            throw new IllegalArgumentException("optimizer.lbfgs: state has " + count + " pairs but history is " + history);
        }
        for (String key : saved.keySet()) {
            boolean known = key.equals("iterations") || key.equals("dimension");
            for (int i = 0; i < count && !known; i++) {
                known = key.equals("s/" + i) || key.equals("y/" + i);
            }
            if (!known) {
                throw new IllegalArgumentException("optimizer.lbfgs: unknown state entry '" + key + "'");
            }
        }
        Deque<double[][]> restored = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            double[] s = saved.get("s/" + i);
            double[] y = saved.get("y/" + i);
            if (y == null || s.length != n || y.length != n) {
                throw new IllegalArgumentException("optimizer.lbfgs: pair " + i + " is missing 'y/" + i + "' or is not of dimension " + n);
            }
            restored.addLast(new double[][] {s.clone(), y.clone()});
        }
        reset();
        pairs.addAll(restored);
        iterations = (long) its[0];
        dimension = n;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    /** The blocks of an objective seen as one vector. */
    private static final class Problem {
        final Objective objective;
        final List<ParameterBlock> blocks;
        final int n;

        Problem(Objective objective) {
            this.objective = objective;
            this.blocks = List.copyOf(objective.parameters());
            int total = 0;
            for (ParameterBlock b : blocks) {
                total += b.size();
            }
            this.n = total;
        }

        double[] gather() {
            double[] x = new double[n];
            int off = 0;
            for (ParameterBlock b : blocks) {
                b.copyValuesInto(x, off); // either precision: L-BFGS works in double
                for (int i = 0; i < b.size(); i++) {
                    if (!Double.isFinite(x[off + i])) {
                        throw new IllegalArgumentException("optimizer.lbfgs: value of block '" + b.name() + "' is " + x[off + i] + " at index "
                                + i + " (element " + Arrays.toString(StochasticOptimizer.unravel(i, b.shape())) + ")");
                    }
                }
                off += b.size();
            }
            return x;
        }

        void scatter(double[] x) {
            int off = 0;
            for (ParameterBlock b : blocks) {
                b.setValues(x, off);
                off += b.size();
            }
        }

        /**
         * Evaluates, copies the gradient into g. A non-finite value is returned as is (the line search backs off);
         * a non-finite gradient entry at a finite value is an error naming the block and index.
         */
        double evaluate(double[] g) {
            double f = objective.evaluate();
            int off = 0;
            for (ParameterBlock b : blocks) {
                b.copyGradientInto(g, off);
                if (Double.isFinite(f)) {
                    for (int i = 0; i < b.size(); i++) {
                        if (!Double.isFinite(g[off + i])) {
                            throw new IllegalArgumentException("optimizer.lbfgs: gradient of block '" + b.name() + "' is " + g[off + i]
                                    + " at index " + i + " (element " + Arrays.toString(StochasticOptimizer.unravel(i, b.shape()))
                                    + " of shape " + Arrays.toString(b.shape()) + ") where the objective is " + f);
                        }
                    }
                }
                off += b.size();
            }
            return f;
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            for (ParameterBlock b : blocks) {
                sb.append(sb.length() == 0 ? "" : ", ").append(b.name()).append(' ').append(Arrays.toString(b.shape()));
            }
            return sb.toString();
        }
    }
}
