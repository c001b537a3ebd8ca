package org.hybridbench.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.StageException;
import org.hybridbench.api.data.TaggedSentences;

/**
 * CoNLL-style two-column files: one token per line, {@code word<TAB>tag}, a blank line (empty or only white space)
 * after each sentence; the last sentence may end at the end of the file. Lines starting with {@code #} outside a
 * sentence are comments. UTF-8. Words and tags may not contain tabs or line breaks and may not be empty; a line
 * with another number of columns is an error naming the file and line.
 */
final class Conll {
    /** A sentence read from a file, with the line its first token is on. */
    record Sentence(int line, List<String> words, List<String> tags) {
    }

    /** At most this many problems are listed in one error. */
    static final int MAX_PROBLEMS = 20;

    private Conll() {
    }

    /**
     * All sentences of a file; every malformed line is reported (up to {@link #MAX_PROBLEMS}) in one error, each
     * as {@code file:line: ...}.
     */
    static List<Sentence> read(String file, BufferedReader in) throws StageException {
        List<Sentence> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int problemCount = 0;
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        try {
            for (String line; (line = in.readLine()) != null;) {
                lineNo++;
                if (line.isBlank()) {
                    if (!words.isEmpty()) {
                        out.add(new Sentence(start, List.copyOf(words), List.copyOf(tags)));
                        words.clear();
                        tags.clear();
                    }
                    continue;
                }
                if (words.isEmpty() && line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String problem = null;
                if (f.length != 2) {
                    problem = "expected word<TAB>tag, found " + f.length + " tab-separated column" + (f.length == 1 ? "" : "s");
                } else if (f[0].isBlank()) {
                    problem = "empty word";
                } else if (f[1].isBlank()) {
                    problem = "empty tag";
                } else if (!f[1].equals(f[1].strip())) {
                    problem = "tag '" + f[1] + "' has leading or trailing white space";
                }
                if (problem != null) {
                    problemCount++;
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add(file + ":" + lineNo + ": " + problem + ": \"" + abbreviate(line) + "\"");
                    }
                    continue;
                }
                if (words.isEmpty()) {
                    start = lineNo;
                }
                words.add(f[0]);
                tags.add(f[1]);
            }
        } catch (IOException e) {
            throw new StageException(file + ":" + lineNo + ": unreadable (" + e.getMessage() + ")", e);
        }
        if (!words.isEmpty()) {
            out.add(new Sentence(start, List.copyOf(words), List.copyOf(tags)));
        }
        if (problemCount > 0) {
            throw new StageException(file + ": " + problemCount + " malformed line" + (problemCount == 1 ? "" : "s")
                    + " (expected word<TAB>tag, a blank line between sentences):\n  " + String.join("\n  ", problems)
                    + (problemCount > problems.size() ? "\n  ... and " + (problemCount - problems.size()) + " more" : ""));
        }
        return out;
    }

    /** Writes sentences as word<TAB>tag lines with a blank line after each sentence. */
    static void write(TaggedSentences sentences, Writer out) throws IOException {
        List<String> names = sentences.tagNames();
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = 0; j < sentences.length(i); j++) {
                String w = sentences.word(i, j);
                if (w.indexOf('\t') >= 0 || w.indexOf('\n') >= 0 || w.indexOf('\r') >= 0) {
                    throw new IOException("sentence " + i + " word " + j + " contains a tab or line break: cannot be written as CoNLL");
                }
                out.write(w);
                out.write('\t');
                out.write(names.get(sentences.tag(i, j)));
                out.write('\n');
            }
            out.write('\n');
        }
        out.flush();
    }

    /**
     * Tags not in {@code known}: tag → "count (first at file:line)", in order of first appearance.
     */
    static Map<String, String> unknownTags(String file, List<Sentence> sentences, List<String> known) {
        Map<String, int[]> seen = new LinkedHashMap<>();
        java.util.Set<String> k = new java.util.HashSet<>(known);
        for (Sentence s : sentences) {
            for (int j = 0; j < s.tags().size(); j++) {
                String t = s.tags().get(j);
                if (!k.contains(t)) {
                    int line = s.line() + j;
                    seen.computeIfAbsent(t, x -> new int[] {0, line})[0]++;
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        seen.forEach((t, c) -> out.put(t, c[0] + "x, first at " + file + ":" + c[1]));
        return out;
    }

    private static String abbreviate(String line) {
        String v = line.replace("\t", "\\t");
        return v.length() <= 60 ? v : v.substring(0, 57) + "...";
    }
}
