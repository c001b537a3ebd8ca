package org.hybridbench.textcnn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ParameterBlock;

/**
 * The trained tagger as one binary file ({@code model-<stage>.bin}, big-endian {@link DataOutputStream} layout):
 * magic {@value #MAGIC}; the architecture; tag set name and tag names; the dictionaries (words with training counts,
 * suffixes per length); every parameter block (name, shape, values: lookup tables, network, the loss's scores); the
 * training summary as text. Binary because the word table alone is tens of thousands of rows.
 */
final class ModelFile {
    static final String MAGIC = "hybridbench-textcnn-model-1";

    /** What a model file holds besides the parameter values. */
    record Header(CnnEncoder.Architecture arch, int minCount, String tagSet, List<String> tagNames, TokenFeatures features,
            String summary) {
    }

    private ModelFile() {
    }

    static void write(OutputStream os, CnnTagger tagger, TaggedSentences train, int minCount, Map<String, Object> summary)
            throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.writeUTF(MAGIC);
        CnnEncoder.Architecture a = tagger.encoder.arch;
        out.writeInt(a.wordDim());
        out.writeInt(a.capsDim());
        out.writeInt(a.suffixDim());
        writeInts(out, a.suffixLengths());
        out.writeInt(a.window());
        writeInts(out, a.hidden());
        out.writeUTF(a.activation());
        out.writeDouble(a.dropout());
        out.writeBoolean(a.doublePrecision());
        out.writeInt(minCount);
        out.writeUTF(train.tagSet());
        writeStrings(out, train.tagNames());
        TokenFeatures f = tagger.encoder.features;
        writeStrings(out, f.wordList());
        writeInts(out, f.wordCounts());
        List<List<String>> suffixes = f.suffixLists();
        out.writeInt(suffixes.size());
        for (List<String> s : suffixes) {
            writeStrings(out, s);
        }
        writeBlocks(out, tagger.blocks);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        byte[] text = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        out.flush();
    }

    /** Reads the header; the returned stream is positioned at the parameter blocks ({@link #readBlocks}). */
    static Header readHeader(DataInputStream in, String source) throws IOException {
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException(source + ": not a CNN tagger model (magic '" + magic + "', expected '" + MAGIC + "')");
        }
        int wordDim = in.readInt();
        int capsDim = in.readInt();
        int suffixDim = in.readInt();
        int[] suffixLengths = readInts(in);
        int window = in.readInt();
        int[] hidden = readInts(in);
        String activation = in.readUTF();
        double dropout = in.readDouble();
        boolean dbl = in.readBoolean();
        int minCount = in.readInt();
        String tagSet = in.readUTF();
        List<String> tagNames = readStrings(in);
        List<String> words = readStrings(in);
        int[] counts = readInts(in);
        int ns = in.readInt();
        List<List<String>> suffixes = new ArrayList<>();
        for (int i = 0; i < ns; i++) {
            suffixes.add(readStrings(in));
        }
        CnnEncoder.Architecture arch = new CnnEncoder.Architecture(wordDim, capsDim, suffixDim, suffixLengths, window, hidden, activation,
                dropout, dbl);
        return new Header(arch, minCount, tagSet, tagNames, TokenFeatures.of(words, counts, suffixes, suffixLengths), null);
    }

    static DataInputStream open(InputStream is) {
        return new DataInputStream(new BufferedInputStream(is));
    }

    static void writeBlocks(DataOutputStream out, List<ParameterBlock> blocks) throws IOException {
        out.writeInt(blocks.size());
        for (ParameterBlock b : blocks) {
            out.writeUTF(b.name());
            writeInts(out, b.shape());
            writeArray(out, b.copyValues());
        }
    }

    /** Reads blocks into {@code blocks}, which must have the same names and sizes in the same order. */
    static void readBlocks(DataInputStream in, List<ParameterBlock> blocks, String source) throws IOException {
        int n = in.readInt();
        if (n != blocks.size()) {
            throw new IOException(source + " has " + n + " parameter blocks, the model " + blocks.size() + " "
                    + blocks.stream().map(ParameterBlock::name).toList());
        }
        for (ParameterBlock b : blocks) {
            String name = in.readUTF();
            readInts(in);
            double[] v = readArray(in);
            if (!name.equals(b.name()) || v.length != b.size()) {
                throw new IOException(source + ": block " + name + " (" + v.length + " values) does not fit the model's " + b.name()
                        + " (" + b.size() + " values)");
            }
            b.setValues(v, 0);
        }
    }

    static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static void writeStrings(DataOutputStream out, List<String> s) throws IOException {
        out.writeInt(s.size());
        for (String v : s) {
            out.writeUTF(v);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }
}
