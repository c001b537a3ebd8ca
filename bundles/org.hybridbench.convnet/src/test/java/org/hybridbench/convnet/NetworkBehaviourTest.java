package org.hybridbench.convnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shapes, geometry, layout, seeding, accumulation and errors of both networks and their stage providers. */
class NetworkBehaviourTest {
    @TempDir
    Path dir;

    static StageConfig config(StageProvider p, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("stage", v);
    }

    /** The network a provider's stage hands out, as a pipeline would get it. */
    static DifferentiableNetwork network(StageProvider p, Path dir, long seed, Map<String, Object> overrides) throws Exception {
        FakeStageIO io = new FakeStageIO();
        p.create(config(p, overrides)).run(io, new FakeRunContext(dir, new TrainingRegime(1, 1, seed, 0)));
        return io.output("network", PortTypes.NETWORK);
    }

    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble();
        }
        return new Matrix(rows, cols, v);
    }

    private static Matrix row(Matrix m, int r) {
        return new Matrix(1, m.cols(), Arrays.copyOfRange(m.data(), r * m.cols(), (r + 1) * m.cols()));
    }

    /** Outputs of batches of 1, 3 and 128 rows have the right width, and every row is the row computed alone. */
    private static void raggedBatches(DifferentiableNetwork net, int inputs, int outputs) {
        raggedBatches(net, inputs, outputs, 1e-10);
    }

    /**
     * As above, to {@code tolerance}: row sets of 1, 3 and 128 and back reuse each slab's largest native buffer (a smaller
     * shape is an array over its start), which must not leak values from one batch size into another.
     */
    private static void raggedBatches(DifferentiableNetwork net, int inputs, int outputs, double tolerance) {
        Matrix big = random(128, inputs, 3);
        Matrix alone = net.forward(row(big, 77), false);
        assertEquals(1, alone.rows());
        assertEquals(outputs, alone.cols());
        for (int rows : new int[] {1, 3, 128}) {
            Matrix x = new Matrix(rows, inputs, Arrays.copyOfRange(big.data(), 0, rows * inputs));
            Matrix y = net.forward(x, rows == 3); // a training pass gives the same values (no dropout)
            assertEquals(rows, y.rows());
            assertEquals(outputs, y.cols());
            for (int r = 0; r < rows; r += 37) {
                assertArrayEquals(net.forward(row(x, r), false).data(), row(y, r).data(), tolerance, rows + " rows, row " + r);
            }
        }
        assertArrayEquals(alone.data(), row(net.forward(big, false), 77).data(), tolerance);
        assertEquals(0, net.forward(new Matrix(0, inputs), false).rows(), "an empty batch is empty");
    }

    @Test
    void defaultEncoderTakes784PixelsAndGivesOutputs() throws Exception {
        DifferentiableNetwork net = network(new ConvEncoderStageProvider(), dir, 1, Map.of("precision", "double"));
        ConvEncoderNetwork enc = (ConvEncoderNetwork) net;
        // (28 + 2 - 4)/2 + 1 = 14, (14 + 2 - 4)/2 + 1 = 7: 64 maps of 7 x 7 = 3136 values into the linear layer
        assertArrayEquals(new int[] {28, 14, 7}, enc.arch.heights());
        assertEquals(3136, enc.arch.flattened());
        raggedBatches(net, 784, 40);
        // 32·1·16 + 32, 64·32·16 + 64, 3136·40 + 40
        assertEquals(544 + 32_832 + 125_480, ((ConvEncoderNetwork) net).parameterCount());
    }

    @Test
    void defaultDecoderGives784Pixels() throws Exception {
        DifferentiableNetwork net = network(new DeconvDecoderStageProvider(), dir, 1, Map.of("precision", "double"));
        DeconvDecoderNetwork dec = (DeconvDecoderNetwork) net;
        // out = 2·(in − 1) + 4 − 2·1 = 2·in: 7 -> 14 -> 28, so the dense layer makes 64 x 7 x 7
        assertArrayEquals(new int[] {7, 14, 28}, dec.arch.heights());
        assertArrayEquals(new int[] {7, 14, 28}, dec.arch.widths());
        assertEquals(3136, dec.arch.mapSize());
        raggedBatches(net, 20, 784);
        // 20·3136 + 3136, 64·32·16 + 32, 32·1·16 + 1
        assertEquals(65_856 + 32_800 + 513, ((DeconvDecoderNetwork) net).parameterCount());
    }

    @Test
    void floatNetworksGiveTheSameShapes() throws Exception {
        DifferentiableNetwork enc = network(new ConvEncoderStageProvider(), dir, 1, Map.of("outputs", 4L, "filters", "8,16"));
        DifferentiableNetwork dec = network(new DeconvDecoderStageProvider(), dir, 1, Map.of("filters", "16,8", "hidden", 32L));
        Matrix h = enc.forward(random(5, 784, 2), false);
        assertEquals(4, h.cols());
        Matrix y = dec.forward(new Matrix(5, 2, Arrays.copyOf(h.data(), 10)), true);
        assertEquals(784, y.cols());
        Matrix dz = dec.backward(random(5, 784, 4));
        assertEquals(5, dz.rows());
        assertEquals(2, dz.cols());
        assertTrue(Arrays.stream(dz.data()).allMatch(Double::isFinite));
    }

    /** The float networks (float blocks, float rows in encoder.dense, reused native buffers) on ragged batches. */
    @Test
    void floatNetworksTakeRaggedBatches() throws Exception {
        raggedBatches(network(new ConvEncoderStageProvider(), dir, 1, Map.of("outputs", 4L, "filters", "8,16")), 784, 4, 1e-5);
        raggedBatches(network(new DeconvDecoderStageProvider(), dir, 1, Map.of("filters", "16,8", "hidden", 32L)), 2, 784, 1e-5);
        raggedBatches(network(new DenseStageProvider(), dir, 1, Map.of("hidden", "30", "activation", "relu", "outputs", 6L)), 784, 6,
                1e-5);
    }

    /** Rectangular images: height and width are worked back separately. */
    @Test
    void rectangularDecoder() {
        DeconvDecoderNetwork dec = new DeconvDecoderNetwork(new DeconvDecoderNetwork.Architecture(12, 20, 3, new int[] {4, 2}, 4, 2, 1, "relu", 0, true), 1);
        assertArrayEquals(new int[] {3, 6, 12}, dec.arch.heights());
        assertArrayEquals(new int[] {5, 10, 20}, dec.arch.widths());
        assertEquals(12 * 20 * 3, dec.forward(random(2, 7, 1), false).cols());
    }

    @Test
    void sameSeedSameOutputs() throws Exception {
        Matrix x = random(4, 784, 9);
        Matrix z = random(4, 20, 10);
        Map<String, Object> cfg = Map.of("filters", "4,8");
        double[] a = network(new ConvEncoderStageProvider(), dir, 3, cfg).forward(x, false).data();
        double[] b = network(new ConvEncoderStageProvider(), dir, 3, cfg).forward(x, false).data();
        double[] c = network(new ConvEncoderStageProvider(), dir, 4, cfg).forward(x, false).data();
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c), "another run seed gives another initialisation");
        double[] d = network(new DeconvDecoderStageProvider(), dir, 3, Map.of("filters", "8,4")).forward(z, false).data();
        double[] e = network(new DeconvDecoderStageProvider(), dir, 3, Map.of("filters", "8,4")).forward(z, false).data();
        double[] f = network(new DeconvDecoderStageProvider(), dir, 4, Map.of("filters", "8,4")).forward(z, false).data();
        assertArrayEquals(d, e, 0.0);
        assertFalse(Arrays.equals(d, f), "another run seed gives another initialisation");
    }

    private static void set(ParameterBlock b, double... values) {
        assertEquals(values.length, b.size(), b.name());
        System.arraycopy(values, 0, b.values(), 0, values.length);
    }

    private static ParameterBlock block(ExternalErrorNetwork net, String name) {
        return net.parameters().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static void identity(ParameterBlock b, int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1; // symmetric: the same in either storage order
        }
        set(b, v);
    }

    /**
     * The documented layout, channel-first: a 1 x 1 convolution that keeps channel 0 and drops channel 1, then an
     * identity dense layer, gives back the first height·width values of the row.
     */
    @Test
    void encoderRowsAreChannelFirst() {
        ConvEncoderNetwork net = new ConvEncoderNetwork(new ConvEncoderNetwork.Architecture(2, 3, 2, new int[] {1}, 1, 1, 0, "relu", 0, 6, true), 1);
        Matrix x = new Matrix(1, 12, new double[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60});
        net.forward(x, false);
        set(block(net, "0_W"), 1, 0); // [1 map, 2 channels, 1, 1]
        set(block(net, "0_b"), 0);
        identity(block(net, "1_W"), 6);
        set(block(net, "1_b"), new double[6]);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, net.forward(x, false).data(), 1e-12);
    }

    /** The decoder writes the same layout: channel 0's image, then channel 1's. */
    @Test
    void decoderRowsAreChannelFirst() {
        DeconvDecoderNetwork net = new DeconvDecoderNetwork(new DeconvDecoderNetwork.Architecture(2, 3, 2, new int[] {1}, 1, 1, 0, "relu", 0, true), 1);
        Matrix z = new Matrix(1, 6, new double[] {1, 2, 3, 4, 5, 6});
        net.forward(z, false);
        identity(block(net, "0_W"), 6); // dense 6 -> 1 x 2 x 3
        set(block(net, "0_b"), new double[6]);
        set(block(net, "1_W"), 1, 10); // a 1 x 1 transposed convolution from 1 map to 2 channels: channel 0 = map, channel 1 = 10·map
        set(block(net, "1_b"), 0, 0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}, net.forward(z, false).data(), 1e-12);
    }

    /** backward adds to the blocks' gradients (SDK contract): two passes without zeroing give twice one pass. */
    @Test
    void backwardAccumulates() {
        for (ExternalErrorNetwork net : List.of(
                new ConvEncoderNetwork(new ConvEncoderNetwork.Architecture(8, 8, 1, new int[] {2}, 4, 2, 1, "relu", 0, 3, true), 1),
                new DeconvDecoderNetwork(new DeconvDecoderNetwork.Architecture(8, 8, 1, new int[] {2}, 4, 2, 1, "relu", 0, true), 1))) {
            Matrix x = random(2, net instanceof ConvEncoderNetwork ? 64 : 3, 5);
            Matrix y = net.forward(x, true);
            Matrix g = random(2, y.cols(), 6);
            net.backward(g);
            List<double[]> once = new ArrayList<>();
            for (ParameterBlock b : net.parameters()) {
                once.add(b.gradient().clone());
            }
            net.forward(x, true);
            net.backward(g);
            for (int bi = 0; bi < once.size(); bi++) {
                double[] twice = net.parameters().get(bi).gradient();
                for (int i = 0; i < twice.length; i++) {
                    assertEquals(2 * once.get(bi)[i], twice[i], 1e-12, net.stageType() + " " + net.parameters().get(bi).name());
                }
            }
        }
    }

    private static String failure(StageProvider p, Map<String, Object> overrides) {
        return assertThrows(StageException.class, () -> p.create(config(p, overrides))).getMessage();
    }

    @Test
    void impossibleGeometryIsNamed() {
        // kernel 3, stride 2, padding 1: out = 2·in − 1 is odd, 28 cannot be reached
        String m = failure(new DeconvDecoderStageProvider(), Map.of("kernel", 3L));
        assertTrue(m.startsWith("decoder.deconv: height 28 cannot be reached by 2 transposed convolutions of kernel 3, stride 2, padding 1"), m);
        assertTrue(m.contains("(28 + 2·1 − 3)/2 + 1 = 14.50"), m);
        // 28 -> 14 -> 7 -> 3.5: three doublings cannot reach a width of 28
        m = failure(new DeconvDecoderStageProvider(), Map.of("filters", "64,32,16", "height", 32L));
        assertTrue(m.startsWith("decoder.deconv: width 28 cannot be reached by 3 transposed convolutions"), m);
        m = failure(new ConvEncoderStageProvider(), Map.of("height", 8L, "filters", "4,4,4,4", "kernel", 4L));
        assertTrue(m.startsWith("encoder.conv: height 8 gives a map of 1 before convolution 3 (8 → 4 → 2 → 1), less than its kernel 4 with padding 1"), m);
        m = failure(new ConvEncoderStageProvider(), Map.of("width", 2L, "kernel", 5L, "padding", 0L));
        assertTrue(m.startsWith("encoder.conv: width 2 gives a map of 2 before convolution 0 (2), less than its kernel 5 with padding 0"), m);
        m = failure(new ConvEncoderStageProvider(), Map.of("filters", "32,x"));
        assertEquals("encoder.conv: filters entry 1 'x' is not an integer (e.g. \"32,64\")", m);
        m = failure(new DeconvDecoderStageProvider(), Map.of("filters", ""));
        assertTrue(m.contains("decoder.deconv: filters must list at least one map"), m);
        m = failure(new ConvEncoderStageProvider(), Map.of("activation", "softsign"));
        assertTrue(m.contains("unknown activation 'softsign'"), m);
    }

    @Test
    void wrongWidthsAndCallsAreNamed() throws Exception {
        DifferentiableNetwork enc = network(new ConvEncoderStageProvider(), dir, 1, Map.of("filters", "2"));
        IllegalStateException unbuilt = assertThrows(IllegalStateException.class, enc::parameters);
        assertTrue(unbuilt.getMessage().contains("encoder.conv: the network is not built yet"), unbuilt.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.forward(new Matrix(2, 100), false));
        assertEquals("encoder.conv: rows of 100 values, but height x width x channels = 28 x 28 x 1 = 784; set height, width and channels to "
                + "the images' size", e.getMessage());
        enc.forward(new Matrix(1, 784), false);
        e = assertThrows(IllegalArgumentException.class, () -> enc.forward(new Matrix(2, 783), false));
        assertEquals("encoder.conv takes rows of 784 values, got 783", e.getMessage());
        IllegalStateException noTraining = assertThrows(IllegalStateException.class, () -> enc.backward(new Matrix(1, 40)));
        assertTrue(noTraining.getMessage().contains("backward needs a training forward pass first"), noTraining.getMessage());
        enc.forward(new Matrix(3, 784), true);
        e = assertThrows(IllegalArgumentException.class, () -> enc.backward(new Matrix(3, 784)));
        assertEquals("encoder.conv: output gradient of shape 3x784, the last forward pass gave 3x40", e.getMessage());

        DifferentiableNetwork dec = network(new DeconvDecoderStageProvider(), dir, 1, Map.of("filters", "2"));
        dec.forward(new Matrix(1, 20), false); // built for 20 latent values: 2 x 14 x 14 -> 1 x 28 x 28
        e = assertThrows(IllegalArgumentException.class, () -> dec.forward(new Matrix(1, 2), false));
        assertEquals("decoder.deconv takes rows of 20 values, got 2", e.getMessage());
    }
}
