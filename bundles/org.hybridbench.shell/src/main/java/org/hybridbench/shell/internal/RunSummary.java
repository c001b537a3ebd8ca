package org.hybridbench.shell.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.hybridbench.api.workbench.RunInfo;

/**
 * A sweep summary: finished runs grouped by pipeline and overrides other than the seed, and for each group the
 * mean and sample standard deviation of final metrics over its runs, so a setting is reported as
 * mean ± sd over seeds rather than as one lucky run.
 */
final class RunSummary {
    static final String SEED_KEY = "training.seed";

    private RunSummary() {
    }

    /**
     * Runs of one pipeline with the same overrides apart from the seed.
     *
     * @param pipeline the pipeline name
     * @param overrides its overrides without the seed, sorted (so their order on the command line does not matter)
     * @param runs its runs, oldest first
     */
    record Group(String pipeline, List<String> overrides, List<RunInfo> runs) {
        String overridesText() {
            return overrides.isEmpty() ? "-" : String.join(" ", overrides);
        }

        /** The seeds of its runs, sorted, "?" for a run whose seed is unknown. */
        List<String> seeds() {
            return runs.stream().sorted(Comparator.comparing(RunInfo::seed, Comparator.nullsLast(Comparator.naturalOrder())))
                    .map(r -> r.seed() == null ? "?" : r.seed().toString()).toList();
        }

        /** Seeds that occur more than once: such runs repeat one another and are not independent samples. */
        List<String> repeatedSeeds() {
            Map<String, Long> count = seeds().stream().filter(s -> !s.equals("?"))
                    .collect(Collectors.groupingBy(s -> s, LinkedHashMap::new, Collectors.counting()));
            return count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * The mean and sample standard deviation of one metric over a group.
     *
     * @param n how many runs have the metric
     * @param of how many runs the group has
     * @param sd the sample standard deviation (divisor n − 1); NaN when n &lt; 2
     */
    record Stat(int n, int of, double mean, double sd) {
    }

    static boolean isSeed(String override) {
        return override.startsWith(SEED_KEY + "=");
    }

    /** Groups {@code runs} by pipeline and non-seed overrides; groups sorted by pipeline, then overrides. */
    static List<Group> group(List<RunInfo> runs) {
        Map<List<String>, List<RunInfo>> byKey = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> String.join("\u0000", k.subList(1, k.size()))));
        for (RunInfo r : runs) {
            List<String> key = new ArrayList<>();
            key.add(r.pipeline());
            key.addAll(r.overrides().stream().filter(o -> !isSeed(o)).sorted().toList());
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        byKey.forEach((k, rs) -> groups.add(new Group(k.get(0), List.copyOf(k.subList(1, k.size())),
                rs.stream().sorted(Comparator.comparing(RunInfo::started, Comparator.nullsLast(Comparator.naturalOrder())))
                        .toList())));
        return groups;
    }

    /** Every metric key that all runs of at least one group have, in the order the runs logged them. */
    static List<String> sharedMetrics(List<Group> groups) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Group g : groups) {
            LinkedHashSet<String> shared = new LinkedHashSet<>(g.runs().get(0).lastMetrics().keySet());
            g.runs().forEach(r -> shared.retainAll(r.lastMetrics().keySet()));
            keys.addAll(shared);
        }
        return List.copyOf(keys);
    }

    /**
     * The metric keys {@code requested} names: a full key {@code stage.metric}, or a bare metric name matching it
     * in every stage that logs it.
     *
     * @throws IllegalArgumentException naming the keys that exist, when a request matches none
     */
    static List<String> select(List<String> requested, Collection<String> available) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String want : requested) {
            List<String> match = available.stream().filter(k -> k.equals(want) || k.endsWith("." + want)).toList();
            if (match.isEmpty()) {
                throw new IllegalArgumentException("no final metric '" + want + "' in the selected runs; their metrics are "
                        + new java.util.TreeSet<>(available));
            }
            keys.addAll(match);
        }
        return List.copyOf(keys);
    }

    static Stat stat(Group g, String key) {
        List<Double> xs = g.runs().stream().map(r -> r.lastMetrics().get(key)).filter(Objects::nonNull).toList();
        int n = xs.size();
        double mean = xs.stream().mapToDouble(Double::doubleValue).sum() / n;
        double sd = Double.NaN;
        if (n >= 2) {
            double ss = 0;
            for (double x : xs) {
                ss += (x - mean) * (x - mean);
            }
            sd = Math.sqrt(ss / (n - 1));
        }
        return new Stat(n, g.runs().size(), n == 0 ? Double.NaN : mean, sd);
    }

    /**
     * {@code mean ± sd} with the sd to two significant digits and the mean to the same decimal place, as results
     * are usually reported; a lone value to four significant digits; {@code (n/of)} when some runs lack the metric.
     */
    static String format(Stat s) {
        if (s.n() == 0) {
            return "-";
        }
        String text;
        if (!Double.isFinite(s.mean())) {
            text = Double.toString(s.mean());
        } else if (s.n() < 2) {
            text = significant(s.mean(), 4);
        } else if (!(s.sd() > 0) || !Double.isFinite(s.sd())) {
            text = significant(s.mean(), 4) + " ± " + (s.sd() == 0 ? "0" : Double.toString(s.sd()));
        } else {
            int decimals = Math.min(12, Math.max(0, 1 - (int) Math.floor(Math.log10(s.sd()))));
            text = String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", s.mean(), s.sd());
        }
        return s.n() < s.of() ? text + " (" + s.n() + "/" + s.of() + ")" : text;
    }

    private static String significant(double x, int digits) {
        return new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** The table as rows of cells, header first: pipeline, overrides, runs, seeds, one column per metric. */
    static List<String[]> rows(List<Group> groups, List<String> metrics) {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("PIPELINE", "OVERRIDES", "RUNS", "SEEDS"));
        header.addAll(metrics);
        rows.add(header.toArray(String[]::new));
        for (Group g : groups) {
            List<String> row = new ArrayList<>(List.of(g.pipeline(), g.overridesText(), Integer.toString(g.runs().size()),
                    String.join(",", g.seeds())));
            metrics.forEach(m -> row.add(format(stat(g, m))));
            rows.add(row.toArray(String[]::new));
        }
        return rows;
    }

    /** A GitHub-flavoured Markdown table, numeric columns right-aligned. */
    static String markdown(List<Group> groups, List<String> metrics) {
        List<String[]> rows = rows(groups, metrics);
        StringBuilder sb = new StringBuilder();
        String[] header = rows.get(0);
        header[0] = "pipeline";
        header[1] = "overrides";
        header[2] = "runs";
        header[3] = "seeds";
        for (int i = 0; i < rows.size(); i++) {
            sb.append('|');
            for (String cell : rows.get(i)) {
                sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
            if (i == 0) {
                sb.append("|---|---|---:|---|").append("---:|".repeat(metrics.size())).append('\n');
            }
        }
        return sb.toString();
    }

    /** CSV (RFC 4180) with full-precision numbers: mean, sd and n of each metric in their own columns. */
    static String csv(List<Group> groups, List<String> metrics) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("pipeline", "overrides", "runs", "seeds"));
        for (String m : metrics) {
            header.addAll(List.of(m + " mean", m + " sd", m + " n"));
        }
        line(sb, header);
        for (Group g : groups) {
            List<String> row = new ArrayList<>(List.of(g.pipeline(), String.join(" ", g.overrides()),
                    Integer.toString(g.runs().size()), String.join(" ", g.seeds())));
            for (String m : metrics) {
                Stat s = stat(g, m);
                row.add(s.n() == 0 ? "" : Double.toString(s.mean()));
                row.add(Double.isNaN(s.sd()) ? "" : Double.toString(s.sd()));
                row.add(Integer.toString(s.n()));
            }
            line(sb, row);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append(cells.stream().map(RunSummary::csvCell).collect(Collectors.joining(","))).append("\r\n");
    }

    private static String csvCell(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
