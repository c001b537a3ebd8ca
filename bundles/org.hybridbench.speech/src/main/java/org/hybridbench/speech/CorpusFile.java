package org.hybridbench.speech;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus file {@code corpus.bin} (cache) and the fixture {@code speech-fixture.bin.gz}, format
 * {@code hybridbench.speech} version 1, big-endian (Java {@code DataOutputStream}): the magic string, the version,
 * the number of cepstra c, the phone set (count and names, must equal {@link Phones#SET}), the number of
 * utterances, then per utterance: id, voice, index, text, stretch, f0, snr, samples, phones (count, then phone
 * index as a byte and end time as a double), the flite command line, the frame count T, T label bytes and T·c
 * float cepstra. Only static cepstra are stored; deltas and normalisation are computed when loading.
 */
final class CorpusFile {
    static final String MAGIC = "hybridbench.speech";
    static final int VERSION = 1;

    private CorpusFile() {
    }

    static void write(OutputStream os, List<Utterance> utterances, int cepstra) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(cepstra);
        out.writeInt(Phones.SET.size());
        for (String p : Phones.SET) {
            out.writeUTF(p);
        }
        out.writeInt(utterances.size());
        for (Utterance u : utterances) {
            out.writeUTF(u.id());
            out.writeUTF(u.voice());
            out.writeInt(u.index());
            out.writeUTF(u.text());
            out.writeDouble(u.stretch());
            out.writeDouble(u.f0());
            out.writeDouble(u.snr());
            out.writeInt(u.samples());
            out.writeInt(u.phones().size());
            for (Phones.Segment s : u.phones()) {
                out.writeByte(Phones.index(s.phone()));
                out.writeDouble(s.end());
            }
            out.writeUTF(u.command());
            out.writeInt(u.frames());
            out.write(u.labels());
            for (float f : u.statics()) {
                out.writeFloat(f);
            }
        }
        out.flush();
    }

    /** Reads a corpus; {@code name} (the file) is used in error messages. */
    static List<Utterance> read(InputStream is, String name) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is, 1 << 16));
        try {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!magic.equals(MAGIC) || version != VERSION) {
                throw new IOException(name + ": not a " + MAGIC + " v" + VERSION + " file (found '" + magic + "' v" + version + ")");
            }
            int cepstra = in.readInt();
            int np = in.readInt();
            List<String> phones = new ArrayList<>();
            for (int i = 0; i < np; i++) {
                phones.add(in.readUTF());
            }
            if (!phones.equals(Phones.SET)) {
                throw new IOException(name + ": phone set " + phones + " differs from this bundle's " + Phones.SET);
            }
            int n = in.readInt();
            List<Utterance> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String voice = in.readUTF();
                int index = in.readInt();
                String text = in.readUTF();
                double stretch = in.readDouble();
                double f0 = in.readDouble();
                double snr = in.readDouble();
                int samples = in.readInt();
                int nseg = in.readInt();
                List<Phones.Segment> segs = new ArrayList<>(nseg);
                for (int s = 0; s < nseg; s++) {
                    int p = in.readByte();
                    if (p < 0 || p >= Phones.SET.size()) {
                        throw new IOException(name + ": utterance " + id + " has phone index " + p);
                    }
                    segs.add(new Phones.Segment(Phones.SET.get(p), in.readDouble()));
                }
                String command = in.readUTF();
                int frames = in.readInt();
                byte[] labels = new byte[frames];
                in.readFully(labels);
                for (byte l : labels) {
                    if (l < 0 || l >= Phones.SET.size()) {
                        throw new IOException(name + ": utterance " + id + " has frame label " + l);
                    }
                }
                float[] statics = new float[frames * cepstra];
                for (int k = 0; k < statics.length; k++) {
                    statics[k] = in.readFloat();
                }
                out.add(new Utterance(id, voice, index, text, stretch, f0, snr, samples, List.copyOf(segs), frames, statics, labels,
                        command));
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(name + ": truncated", e);
        }
    }

    /** The number of cepstra per frame of a corpus's utterances. */
    static int cepstra(Utterance u) {
        return u.frames() == 0 ? 0 : u.statics().length / u.frames();
    }
}
