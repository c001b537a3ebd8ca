package org.hybridbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.hybridbench.acoustic.MlpStageProvider;
import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.convnet.DenseStageProvider;
import org.hybridbench.optim.Adam;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.vae.VaeStageProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6's speed figure: one training epoch of the 784-400-20 MLP VAE (Bernoulli decoder on grey pixels, analytic KL,
 * one draw, Adam 1e-3, batches of 128) on 60,000 images of 784 pixels — Fashion-MNIST's size — through the real
 * {@code model.vae} stage with the encoder and decoder of {@code encoder.dense} (ND4J GEMMs) or {@code encoder.mlp}
 * (DL4J layers). The images are synthetic (half the pixels 0, the rest uniform grey, as Fashion-MNIST's background and
 * foreground): the arithmetic per epoch does not depend on the values. One shot = one epoch (plus scoring 128 test
 * images); the stage's own {@code secondsPerEpoch} is printed too. One OpenMP thread, as the PyTorch reference
 * (4.3–4.9 s per epoch); compare with {@link MatmulBaseline} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class VaeEpochBench {
    @Param({"encoder.dense", "encoder.mlp"})
    public String network;

    private Path dir;
    private Dataset train;
    private Dataset test;
    private final List<Double> stageSeconds = new ArrayList<>();
    private int runs;

    private static Dataset images(String name, int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * 784];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextBoolean() ? 0 : rng.nextDouble();
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 10;
        }
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return new Dataset(name, new Matrix(rows, 784, v), labels, classes, Map.of());
    }

    private static StageConfig config(StageProvider p, String name, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig(name, v);
    }

    @Setup
    public void setup() throws IOException {
        StageBenchmarks.oneNd4jThread("VaeEpochBench");
        dir = Files.createTempDirectory("vae-bench");
        train = images("synthetic-train", 60_000, 1);
        test = images("synthetic-test", 128, 2);
    }

    private DifferentiableNetwork network(String name, int outputs) throws Exception {
        StageProvider p = switch (network) {
            case "encoder.dense" -> new DenseStageProvider();
            case "encoder.mlp" -> new MlpStageProvider();
            default -> throw new IllegalArgumentException("network must be encoder.dense or encoder.mlp, got '" + network + "'");
        };
        FakeStageIO io = new FakeStageIO();
        p.create(config(p, name, Map.of("hidden", "400", "activation", "relu", "outputs", (long) outputs)))
                .run(io, new FakeRunContext(dir.resolve(name), new TrainingRegime(1, 128, 1, 0)));
        return io.output("network", PortTypes.NETWORK);
    }

    @Benchmark
    public Object trainEpoch() throws Exception {
        VaeStageProvider provider = new VaeStageProvider(null); // null: no OSGi readiness service (as tests do)
        FakeStageIO io = new FakeStageIO().with("train", train).with("test", test).with("encoder", network("encoder", 40))
                .with("decoder", network("decoder", 784)).with("optimizer", Adam.standard(1e-3));
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run" + runs), new TrainingRegime(1, 128, 1, 0));
        provider.create(config(provider, "vae", Map.of("latent", 20L, "evalIwaeK", 0L))).run(io, ctx);
        stageSeconds.add(ctx.metrics.get(0).values().get("secondsPerEpoch").doubleValue());
        runs++;
        return ctx;
    }

    @TearDown
    public void report() throws IOException {
        System.out.printf("%nVaeEpochBench network=%s: stage secondsPerEpoch %s (first is JMH's warm-up)%n", network, stageSeconds);
        stageSeconds.clear();
        runs = 0;
        StageBenchmarks.deleteTree(dir);
    }
}
