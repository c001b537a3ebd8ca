package org.hybridbench.images.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hybridbench.api.StageException;
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017), the standard split of 60,000 train and 10,000 test 28×28 grey
 * images in 10 classes, from Debian's package {@code dataset-fashion-mnist} (version {@value #VERSION}, upstream git
 * 55506a9), which installs four gzipped IDX files in {@value #SYSTEM_DIR}. That directory is used when present;
 * otherwise the package is downloaded without root into the data cache by {@link DebPackageFetcher}.
 */
final class FashionMnist {
    static final String PACKAGE = "dataset-fashion-mnist";
    static final String VERSION = "0.0~git20200523.55506a9-1";
    /** sha-256 of dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb (30,900,652 bytes; Debian bookworm). */
    static final String DEB_SHA256 = "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0";
    static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    /** sha-256 of the four files as the package ships them. */
    static final Map<String, String> FILE_SHA256 = Map.of(
            TRAIN_IMAGES, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            TRAIN_LABELS, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            TEST_IMAGES, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            TEST_LABELS, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");
    static final int TRAIN_COUNT = 60_000;
    static final int TEST_COUNT = 10_000;
    static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path systemDir;
    private final DebPackageFetcher fetcher;

    FashionMnist(Path systemDir, String aptGet, String dpkgDeb) {
        this(systemDir, new DebPackageFetcher(PACKAGE, VERSION, DEB_SHA256, packageFiles(FILE_SHA256), aptGet, dpkgDeb));
    }

    FashionMnist(Path systemDir, DebPackageFetcher fetcher) {
        this.systemDir = systemDir;
        this.fetcher = fetcher;
    }

    /** Paths inside the .deb of the wanted files → their sha-256. */
    static Map<String, String> packageFiles(Map<String, String> byName) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            out.put(SYSTEM_DIR.substring(1) + "/" + name, byName.get(name));
        }
        return out;
    }

    record Located(Path dir, Map<String, String> provenance) {
    }

    /** The directory holding the four files, and its provenance. */
    Located locate(Path cache, Consumer<String> log) throws StageException {
        if (Files.isDirectory(systemDir)) {
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("source", "debian-installed");
            provenance.put("package", PACKAGE);
            provenance.put("directory", systemDir.toString());
            boolean pinned = true;
            for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
                Path f = systemDir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    throw new StageException(systemDir + " exists but lacks " + name + ": reinstall it ('apt-get install "
                            + "--reinstall " + PACKAGE + "')");
                }
                String sha;
                try {
                    sha = NpmPackFetcher.sha256(f);
                } catch (IOException e) {
                    throw new StageException(f + ": unreadable (" + e.getMessage() + ")", e);
                }
                provenance.put("sha256:" + name, sha);
                pinned &= sha.equals(FILE_SHA256.get(name));
            }
            // Another Debian release may recompress the same images; the IDX checks still apply, so only note it.
            provenance.put("matchesPinnedVersion", Boolean.toString(pinned));
            if (!pinned) {
                log.accept("note: " + systemDir + " differs from " + PACKAGE + " " + VERSION + " (sha-256 recorded in provenance)");
            }
            return new Located(systemDir, provenance);
        }
        Path dir = fetcher.ensureCached(cache, log);
        return new Located(dir, readProvenance(dir.resolve("provenance.json")));
    }

    /** The flat string fields of a provenance.json written by the fetcher. */
    static Map<String, String> readProvenance(Path file) throws StageException {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"").matcher(Files.readString(file));
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
            return out;
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
    }

    /** One split from a directory holding the four files; {@code expected} image counts are enforced unless -1. */
    static ImageSet read(Path dir, String split, int expectedCount) throws StageException {
        boolean test = split.equals("test");
        String imagesName = test ? TEST_IMAGES : TRAIN_IMAGES;
        String labelsName = test ? TEST_LABELS : TRAIN_LABELS;
        return read(dir.resolve(imagesName).toString(), bytes(dir.resolve(imagesName)), dir.resolve(labelsName).toString(),
                bytes(dir.resolve(labelsName)), expectedCount);
    }

    static ImageSet read(String imagesName, byte[] images, String labelsName, byte[] labels, int expectedCount)
            throws StageException {
        byte[] pixels = Idx.images(imagesName, images, expectedCount);
        int[] lab = Idx.labels(labelsName, labels, pixels.length / Idx.PIXELS, CLASS_NAMES.size());
        long[] keys = new long[lab.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i;
        }
        return new ImageSet(pixels, lab, keys);
    }

    static byte[] bytes(Path file) throws StageException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StageException(file + ": unreadable (" + e + ")", e);
        }
    }

    String aptCommand() {
        return fetcher.aptCommand();
    }
}
