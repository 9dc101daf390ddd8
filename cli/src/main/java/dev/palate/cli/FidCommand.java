package dev.palate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;


import dev.palate.engine.Device;
import dev.palate.models.fid.FeatureStatistics;
import dev.palate.models.fid.FidCalculator;
import dev.palate.models.fid.FidWeights;
import dev.palate.models.fid.FrechetDistance;
import dev.palate.models.fid.InceptionInput;
import dev.palate.models.inception.FidInceptionV3;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** pytorch-fid's {@code python -m pytorch_fid}, with clean-fid's KID and resize as options. */
@Command(name = "fid", mixinStandardHelpOptions = true,
        description = {"Frechet Inception Distance (pytorch-fid) between a reference and a folder of generated images,",
                "and optionally KID (clean-fid). Lower is better for both."},
        footer = {"", "Weights: pt_inception-2015-12-05-6726825d.pth (pytorch-fid release), looked up in",
                "$TORCH_HOME/hub/checkpoints and ~/.cache/torch/hub/checkpoints unless --weights is given.",
                "Statistics only: palate fid --reference DIR --save-stats ref.npz"})
public final class FidCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true, paramLabel = "DIR_OR_NPZ",
            description = "Reference images (a folder) or statistics (.npz with mu, sigma, as pytorch-fid --save-stats writes).")
    Path reference;

    @Option(names = "--generated", paramLabel = "DIR", description = "Folder of generated images.")
    Path generated;

    @Option(names = "--save-stats", paramLabel = "FILE.npz", description = "Write the reference statistics (mu, sigma) to this .npz.")
    Path saveStats;

    @Option(names = "--kid", description = "Also compute KID (clean-fid kernel_distance; needs reference images).")
    boolean kid;

    @Option(names = "--kid-subsets", defaultValue = "100", description = "KID subsets (default: ${DEFAULT-VALUE}).")
    int kidSubsets;

    @Option(names = "--kid-subset-size", defaultValue = "1000", description = "Largest KID subset (default: ${DEFAULT-VALUE}).")
    int kidSubsetSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the KID subsets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mode", defaultValue = "legacy", paramLabel = "legacy|clean",
            description = "legacy: pytorch-fid (bilinear resize to 299 inside the network); clean: clean-fid's Pillow bicubic"
                    + " resize to 299 first (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--dims", defaultValue = "2048", description = "Feature block: 64, 192, 768 or 2048 (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--weights", paramLabel = "PATH", description = "The Inception checkpoint (.pth or .safetensors).")
    Path weights;

    @Option(names = "--batch-size", defaultValue = "50", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Option(names = "--json", description = "Print the result as one JSON object instead of text.")
    boolean json;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        if (generated == null && saveStats == null)
            throw new IllegalArgumentException("nothing to do: give --generated DIR (to compute FID) and/or --save-stats FILE.npz");
        if (!Files.exists(reference)) throw new IllegalArgumentException("--reference " + reference + " does not exist");
        if (generated != null && !Files.isDirectory(generated))
            throw new IllegalArgumentException("--generated " + generated + " is not a folder of images");
        if (saveStats != null && !Files.isDirectory(reference))
            throw new IllegalArgumentException("--save-stats needs --reference to be a folder of images, not " + reference);
        InceptionInput.Mode m = InceptionInput.Mode.parse(mode);
        FidCalculator.Options options = new FidCalculator.Options(dims, m, batchSize);
        Device dev = runtime.apply();
        Path weightFile = FidWeights.locate(weights, FidWeights.INCEPTION_FILE, FidWeights.INCEPTION_URL);
        long start = System.nanoTime();
        try (FidInceptionV3 net = FidWeights.inception(weightFile, dev)) {
            FidCalculator calc = new FidCalculator(net, options, new StderrProgress(err, quiet));
            if (generated == null) {
                FeatureStatistics s = calc.saveStats(reference, saveStats);
                if (!quiet) err.printf("palate fid: wrote %d-d statistics to %s%n", s.dim(), saveStats);
                return 0;
            }
            FidCalculator.KidSettings k = kid ? new FidCalculator.KidSettings(kidSubsets, kidSubsetSize, seed) : null;
            FidCalculator.Result r = calc.compute(reference, generated, k, saveStats);
            for (String w : r.frechet().warnings()) err.println("palate fid: warning: " + w);
            double secs = (System.nanoTime() - start) / 1e9;
            out.println(json ? toJson(r, weightFile, secs) : toText(r, secs));
            return 0;
        }
    }

    private String toText(FidCalculator.Result r, double secs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "FID: %.6f%n", r.fid()));
        if (r.kid() != null)
            b.append(String.format(Locale.ROOT, "KID: %.8f +- %.8f (%d subsets of %d, seed %d)%n",
                    r.kid().mean(), r.kid().std(), r.kid().subsets(), r.kid().subsetSize(), r.kid().seed()));
        b.append(String.format(Locale.ROOT, "mode: %s, dims: %d, reference: %s, generated: %d images, %.1f s",
                r.options().mode().label(), r.options().dims(),
                r.referenceCount() < 0 ? reference.toString() : r.referenceCount() + " images", r.generatedCount(), secs));
        return b.toString();
    }

    private String toJson(FidCalculator.Result r, Path weightFile, double secs) {
        StringBuilder b = new StringBuilder("{");
        b.append(String.format(Locale.ROOT, "\"fid\": %.17g", r.fid()));
        if (r.kid() != null)
            b.append(String.format(Locale.ROOT, ", \"kid\": %.17g, \"kid_std\": %.17g, \"kid_subsets\": %d, \"kid_subset_size\": %d, \"kid_seed\": %d",
                    r.kid().mean(), r.kid().std(), r.kid().subsets(), r.kid().subsetSize(), r.kid().seed()));
        b.append(", \"mode\": ").append(quote(r.options().mode().label()));
        b.append(", \"dims\": ").append(r.options().dims());
        b.append(", \"reference\": ").append(quote(reference.toString()));
        if (r.referenceCount() >= 0) b.append(", \"reference_images\": ").append(r.referenceCount());
        b.append(", \"generated\": ").append(quote(generated.toString()));
        b.append(", \"generated_images\": ").append(r.generatedCount());
        b.append(", \"weights\": ").append(quote(weightFile.toString()));
        b.append(", \"sqrtm_method\": ").append(quote(FrechetDistance.METHOD));
        b.append(String.format(Locale.ROOT, ", \"seconds\": %.3f}", secs));
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** "palate fid: generated 150/1000 images" on stderr, redrawn on a terminal, every 10 s in logs. */
    static final class StderrProgress implements FidCalculator.Progress {
        private final PrintStream err;
        private final boolean quiet;
        private final boolean terminal = Boolean.getBoolean("palate.stderr.tty");
        private final long start = System.nanoTime();
        private long last;

        StderrProgress(PrintStream err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void update(String what, int done, int total) {
            if (quiet) return;
            long now = System.nanoTime();
            double rate = done / Math.max((now - start) / 1e9, 1e-9);
            String line = String.format(Locale.ROOT, "palate fid: %s %d/%d images (%.1f img/s)", what, done, total, rate);
            if (terminal) {
                err.print("\r" + line + (done == total ? "\n" : ""));
                err.flush();
            } else if (now - last >= 10_000_000_000L || done == total) {
                err.println(line);
                last = now;
            }
        }
    }
}
