package dev.palate.models.fid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.inception.FidInceptionV3;

/**
 * Folder (or {@code .npz}) in, FID/KID out, the way pytorch-fid's {@code calculate_fid_given_paths} goes: sorted
 * image files of the folder, Inception activations in batches, float64 statistics, Fréchet distance.
 */
public final class FidCalculator {
    /** pytorch-fid fid_score.py IMAGE_EXTENSIONS (matched case-sensitively, as its {@code Path.glob}). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("bmp", "jpg", "jpeg", "pgm", "png", "ppm", "tif", "tiff", "webp");

    /** Called after each batch with the number of images done and the total. */
    public interface Progress {
        void update(String what, int done, int total);

        Progress NONE = (w, d, t) -> {};
    }

    public record Options(int dims, InceptionInput.Mode mode, int batchSize) {
        public Options {
            if (!FidInceptionV3.BLOCK_INDEX_BY_DIM.containsKey(dims))
                throw new IllegalArgumentException("--dims must be 64, 192, 768 or 2048, not " + dims);
            if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
        }

        public static Options defaults() { return new Options(2048, InceptionInput.Mode.LEGACY, 50); }
    }

    /** KID subsets: clean-fid's defaults are 100 subsets of at most 1000 rows. */
    public record KidSettings(int subsets, int maxSubsetSize, long seed) {
        public KidSettings {
            if (subsets < 1 || maxSubsetSize < 2) throw new IllegalArgumentException("KID needs at least 1 subset of at least 2 images");
        }

        public static KidSettings defaults() {
            return new KidSettings(KernelInceptionDistance.DEFAULT_SUBSETS, KernelInceptionDistance.DEFAULT_MAX_SUBSET_SIZE,
                    KernelInceptionDistance.DEFAULT_SEED);
        }
    }

    /** Everything a report needs. KID fields are null when KID was not asked for. */
    public record Result(double fid, FrechetDistance.Result frechet, KernelInceptionDistance.Result kid,
                         int referenceCount, int generatedCount, Options options) {}

    private final FidInceptionV3 net;
    private final Options options;
    private final Progress progress;

    public FidCalculator(FidInceptionV3 net, Options options, Progress progress) {
        this.net = net;
        this.options = options;
        this.progress = progress;
    }

    /** Sorted image files directly in {@code dir} (not recursive); fails naming the folder when there are none. */
    public static List<Path> listImages(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a folder of images");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                int dot = n.lastIndexOf('.');
                return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().toList());
            if (files.isEmpty())
                throw new IllegalArgumentException("no images in " + dir + " (looked for *." + String.join(", *.", new java.util.TreeSet<>(IMAGE_EXTENSIONS))
                        + ", lower-case extensions as pytorch-fid)");
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Activations [n, dims] of {@code files}, in order, float64. */
    public FeatureMatrix features(List<Path> files, String what) {
        int d = options.dims();
        double[] out = new double[files.size() * d];
        int done = 0;
        for (int start = 0; start < files.size(); start += options.batchSize()) {
            List<Path> batch = files.subList(start, Math.min(files.size(), start + options.batchSize()));
            List<RgbImage> images = new ArrayList<>();
            for (Path p : batch) images.add(RgbImage.read(p));
            // pytorch-fid stacks a batch and fails on mixed sizes; runs of equal size give it the same numbers.
            int i = 0;
            while (i < images.size()) {
                int j = i + 1;
                if (options.mode() == InceptionInput.Mode.LEGACY)
                    while (j < images.size() && sameSize(images.get(i), images.get(j))) j++;
                else j = images.size();
                float[] f;
                try (NativeScope s = NativeScope.open()) {
                    Tensor x = InceptionInput.batch(images.subList(i, j), options.mode());
                    f = Tensors.toFloats(net.features(x, d));
                }
                for (int k = 0; k < f.length; k++) out[(start + i) * d + k] = f[k];
                i = j;
            }
            done += batch.size();
            progress.update(what, done, files.size());
        }
        return new FeatureMatrix(out, files.size(), d);
    }

    /**
     * FID (and KID unless {@code kid} is null) of {@code generated} against {@code reference} (a folder or a pytorch-fid
     * {@code .npz}); {@code saveReferenceStats}, when not null, receives the reference statistics.
     */
    public Result compute(Path reference, Path generated, KidSettings kid, Path saveReferenceStats) {
        boolean refIsStats = Files.isRegularFile(reference) && reference.getFileName().toString().endsWith(".npz");
        if (refIsStats && kid != null)
            throw new IllegalArgumentException("KID needs the reference images, not statistics: pass a folder as --reference instead of " + reference);
        FeatureMatrix refFeatures = null;
        FeatureStatistics refStats;
        int refCount;
        if (refIsStats) {
            refStats = NpzStats.read(reference);
            refCount = -1;
            if (refStats.dim() != options.dims())
                throw new IllegalArgumentException(reference + " holds " + refStats.dim() + "-d statistics but --dims is " + options.dims());
        } else {
            refFeatures = features(listImages(reference), "reference");
            refStats = FeatureStatistics.of(refFeatures);
            refCount = refFeatures.rows();
        }
        if (saveReferenceStats != null) NpzStats.write(saveReferenceStats, refStats);
        FeatureMatrix genFeatures = features(listImages(generated), "generated");
        FrechetDistance.Result fr = FrechetDistance.compute(refStats, FeatureStatistics.of(genFeatures));
        KernelInceptionDistance.Result k = kid == null ? null
                : KernelInceptionDistance.compute(refFeatures, genFeatures, kid.subsets(), kid.maxSubsetSize(), kid.seed());
        return new Result(fr.value(), fr, k, refCount, genFeatures.rows(), options);
    }

    /** pytorch-fid {@code --save-stats}: statistics of a folder written to {@code out}. */
    public FeatureStatistics saveStats(Path dir, Path out) {
        FeatureStatistics s = FeatureStatistics.of(features(listImages(dir), "images"));
        NpzStats.write(out, s);
        return s;
    }

    private static boolean sameSize(RgbImage a, RgbImage b) { return a.width() == b.width() && a.height() == b.height(); }
}
