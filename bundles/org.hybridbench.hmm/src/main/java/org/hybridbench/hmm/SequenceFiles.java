package org.hybridbench.hmm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.StageException;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;

/**
 * Reads the sequence text format of {@code dataset.sequences}.
 *
 * <p><b>Format.</b> UTF-8 text, one observation (position) per line, its values separated by commas and/or
 * whitespace. One or more blank lines end a sequence (so a file without blank lines is one sequence). Lines whose
 * first non-blank character is {@code #} are comments. Every observation line has the same number of fields. With
 * a state column ({@code states = last}) the last field is the hidden state of that position: a non-negative
 * integer, or {@code ?} or {@code -} when it is not known (semi-supervised data). Errors name the file, line and
 * field.
 */
final class SequenceFiles {
    private SequenceFiles() {
    }

    static LabelledSequences read(Path file, boolean stateColumn) throws IOException, StageException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Integer> lengths = new ArrayList<>();
        double[] values = new double[1024];
        int[] states = new int[256];
        int n = 0;
        int positions = 0;
        int fields = -1;
        int current = 0;
        int maxState = -1;
        boolean anyLabel = false;
        try (InputStream raw = Files.newInputStream(file);
                BufferedReader r = new BufferedReader(new InputStreamReader(new DigestInputStream(raw, sha), StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null;) {
                lineNo++;
                String t = line.strip();
                if (t.startsWith("#")) {
                    continue;
                }
                if (t.isEmpty()) {
                    if (current > 0) {
                        lengths.add(current);
                        current = 0;
                    }
                    continue;
                }
                String[] f = t.split("[,\\s]+");
                if (fields < 0) {
                    fields = f.length;
                    if (stateColumn && fields < 2) {
                        throw new StageException(file + ":" + lineNo + ": a state column needs at least one value before it, found "
                                + fields + " field(s)");
                    }
                } else if (f.length != fields) {
                    throw new StageException(file + ":" + lineNo + ": expected " + fields + " fields like the first observation, found "
                            + f.length);
                }
                int d = stateColumn ? fields - 1 : fields;
                if ((long) (n + d) > values.length) {
                    values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, n + d));
                }
                for (int j = 0; j < d; j++) {
                    double v;
                    try {
                        v = Double.parseDouble(f[j]);
                    } catch (NumberFormatException e) {
                        throw new StageException(file + ":" + lineNo + ": field " + (j + 1) + " '" + f[j] + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        throw new StageException(file + ":" + lineNo + ": field " + (j + 1) + " is " + f[j] + " (must be finite)");
                    }
                    values[n++] = v;
                }
                if (stateColumn) {
                    if (positions == states.length) {
                        states = java.util.Arrays.copyOf(states, states.length * 2);
                    }
                    String s = f[fields - 1];
                    int st;
                    if (s.equals("?") || s.equals("-")) {
                        st = LabelledSequences.UNLABELLED;
                    } else {
                        try {
                            st = Integer.parseInt(s);
                        } catch (NumberFormatException e) {
                            st = -2;
                        }
                        if (st < 0) {
                            throw new StageException(file + ":" + lineNo + ": state '" + s
                                    + "' must be a non-negative integer, or ? or - when unknown");
                        }
                        maxState = Math.max(maxState, st);
                        anyLabel = true;
                    }
                    states[positions] = st;
                }
                positions++;
                current++;
            }
        }
        if (current > 0) {
            lengths.add(current);
        }
        if (positions == 0) {
            throw new StageException(file + ": no observations (the file is empty or has only comments and blank lines)");
        }
        int d = stateColumn ? fields - 1 : fields;
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= maxState; i++) {
            names.add(Integer.toString(i));
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source", file.toAbsolutePath().toString());
        provenance.put("sha256", HexFormat.of().formatHex(sha.digest()));
        provenance.put("sequences", Integer.toString(lengths.size()));
        provenance.put("positions", Integer.toString(positions));
        SequenceBatch batch = new SequenceBatch(d, lengths.stream().mapToInt(Integer::intValue).toArray(),
                java.util.Arrays.copyOf(values, n));
        return new LabelledSequences(file.getFileName().toString(), batch,
                stateColumn && anyLabel ? java.util.Arrays.copyOf(states, positions) : null, names, provenance);
    }
}
