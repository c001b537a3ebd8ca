package org.hybridbench.images.internal;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.fetch.NpmPackFetcher;
import org.hybridbench.images.Binarization;
import org.hybridbench.images.ImageGrid;

/** One run of {@code dataset.images}. */
final class ImagesStage implements Stage {
    /** The sample grid shows this many rows, in {@link #GRID_COLUMNS} columns. */
    static final int GRID_IMAGES = 64;
    static final int GRID_COLUMNS = 8;
    /** {@code epoch} argument of the fixed binarisation's streams; dynamic draws use the trainer's epochs 0, 1, … */
    static final long FIXED_EPOCH = -1;

    private final String source;
    private final String split;
    private final int limit;
    private final String binarize;
    private final long seed;
    private final FashionMnist fashion;
    private final NpmPackFetcher mnistFetcher;

    ImagesStage(String source, String split, int limit, String binarize, long seed, FashionMnist fashion,
            NpmPackFetcher mnistFetcher) {
        this.source = source;
        this.split = split;
        this.limit = limit;
        this.binarize = binarize;
        this.seed = seed;
        this.fashion = fashion;
        this.mnistFetcher = mnistFetcher;
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Map<String, String> provenance = new LinkedHashMap<>();
        ImageSet images;
        boolean isFashion = source.startsWith("fashion-mnist");
        switch (source) {
            case "fashion-mnist" -> {
                FashionMnist.Located located = fashion.locate(context.dataCache(), context::log);
                images = FashionMnist.read(located.dir(), split,
                        split.equals("test") ? FashionMnist.TEST_COUNT : FashionMnist.TRAIN_COUNT);
                provenance.putAll(located.provenance());
            }
            case "mnist" -> {
                Path dir = mnistFetcher.ensureCached(context.dataCache(), context::log);
                images = MnistNpm.split(MnistNpm.read(dir), split);
                provenance.putAll(FashionMnist.readProvenance(dir.resolve("provenance.json")));
            }
            case "fashion-mnist-fixture", "mnist-fixture" -> {
                String base = isFashion ? "fashion-mnist" : "mnist";
                images = Fixtures.load(base, split);
                provenance.put("source", "fixture");
                provenance.put("derivedFrom", isFashion ? "Debian " + FashionMnist.PACKAGE + " " + FashionMnist.VERSION
                        : "npm " + MnistNpm.PACKAGE + "@" + MnistNpm.VERSION + " (sha256 " + MnistNpm.SHA256 + ")");
                String file = Fixtures.files(base, split)[0];
                provenance.put("file", file);
                provenance.put("sha256", NpmPackFetcher.sha256(new ByteArrayInputStream(Fixtures.resource(file))));
            }
            default -> throw new StageException("source '" + source + "' is not one of " + ImagesStageProvider.SOURCES);
        }
        if (!isFashion) {
            provenance.put("splitRule", MnistNpm.SPLIT_RULE);
        }
        provenance.put("split", split);
        images = images.first(limit);

        String name = source + ":" + split + (binarize.equals("none") ? "" : ":" + binarize);
        Matrix features = features(images, binarize, seed);
        provenance.put(Binarization.MODE_KEY, binarize);
        if (binarize.equals("fixed") || binarize.equals("dynamic")) {
            provenance.put(Binarization.SEED_KEY, Long.toString(seed));
        }
        List<String> classNames = isFashion ? FashionMnist.CLASS_NAMES
                : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Dataset dataset = new Dataset(name, features, images.labels(), classNames, provenance);
        context.log(name + ": " + dataset.size() + " images of " + Idx.PIXELS + " pixels" + (limit > 0 ? " (limit " + limit + ")" : "")
                + (binarize.equals("dynamic") ? "; grey values, the trainer resamples binary images every epoch" : ""));
        if (dataset.size() > 0) {
            ImageGrid.write(context, "samples-" + context.stageName() + ".png", features, GRID_IMAGES, GRID_COLUMNS,
                    name + ": first " + Math.min(GRID_IMAGES, dataset.size()) + " of " + dataset.size());
        }
        io.output("dataset", PortTypes.DATASET, dataset);
    }

    /**
     * The rows as doubles: grey {@code byte/255} for {@code none} and {@code dynamic}; {@code byte >= 128} (grey ≥ 0.5)
     * for {@code threshold}; for {@code fixed} one Bernoulli draw per pixel with p = grey, from the stream
     * {@code Binarization.streamSeed(seed, -1, key)} of the image's source key (independent of limit and order).
     */
    static Matrix features(ImageSet images, String binarize, long seed) {
        int n = images.size();
        byte[] px = images.pixels();
        double[] data = new double[n * Idx.PIXELS];
        for (int i = 0; i < data.length; i++) {
            int b = px[i] & 0xff;
            data[i] = binarize.equals("threshold") ? (b >= 128 ? 1.0 : 0.0) : b / 255.0;
        }
        if (binarize.equals("fixed")) {
            for (int r = 0; r < n; r++) {
                Binarization.drawRow(data, r * Idx.PIXELS, Idx.PIXELS, data,
                        new SplittableRandom(Binarization.streamSeed(seed, FIXED_EPOCH, images.keys()[r])), r);
            }
        }
        return new Matrix(n, Idx.PIXELS, data);
    }
}
