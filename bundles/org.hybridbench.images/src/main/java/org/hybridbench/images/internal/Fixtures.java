package org.hybridbench.images.internal;

import java.io.IOException;
import java.io.InputStream;

import org.hybridbench.api.StageException;

/**
 * The committed offline fixtures, gzipped IDX files under {@code fixture/<source>/} next to this class, made by
 * {@code scripts/make-fixtures.py}: per source the first 200 train and first 100 test rows of the full data in the
 * stage's own row order (Fashion-MNIST: the first images of its train and t10k files; MNIST: 20 train and 10 test
 * digits per class, interleaved). A fixture row is therefore the same image, label and key as the same row of the
 * full source, and is binarised the same way.
 */
final class Fixtures {
    static final int TRAIN = 200;
    static final int TEST = 100;

    private Fixtures() {
    }

    static String resourceName(String source, String file) {
        return "fixture/" + source + "/" + file;
    }

    static byte[] resource(String name) throws StageException {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new StageException("the bundle lacks its fixture resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StageException("cannot read fixture resource " + name + ": " + e.getMessage(), e);
        }
    }

    /** The image and label resource names of one split of {@code source} ("fashion-mnist" or "mnist"). */
    static String[] files(String source, String split) {
        String prefix = split.equals("test") ? "t10k" : "train";
        return new String[] {resourceName(source, prefix + "-images-idx3-ubyte.gz"),
            resourceName(source, prefix + "-labels-idx1-ubyte.gz")};
    }

    static ImageSet load(String source, String split) throws StageException {
        String[] f = files(source, split);
        int expected = split.equals("test") ? TEST : TRAIN;
        ImageSet set = FashionMnist.read(f[0], resource(f[0]), f[1], resource(f[1]), expected);
        if (source.equals("fashion-mnist")) {
            return set;
        }
        // MNIST: the k-th digit of a class in the fixture is the k-th digit of that class in the split.
        int[] seen = new int[MnistNpm.CLASSES];
        long[] keys = new long[set.size()];
        for (int r = 0; r < keys.length; r++) {
            int c = set.labels()[r];
            keys[r] = MnistNpm.key(c, MnistNpm.indexInClass(split, seen[c]++));
        }
        return new ImageSet(set.pixels(), set.labels(), keys);
    }
}
