package dev.palate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.fid.DeterministicWeights;
import dev.palate.models.fid.FeatureStatistics;
import dev.palate.models.fid.FidCalculator;
import dev.palate.models.fid.InceptionInput;
import dev.palate.models.fid.NpzStats;
import dev.palate.models.inception.FidInceptionV3;

/**
 * FID Inception throughput: pool3 features/s of 299×299 inputs already in memory ([B,3,299,299] in [0,1]; the
 * in-network resize is then the identity), one batch per invocation, the {@code images} counter adding the batch.
 * Deterministic weights (the fixture rule), same arithmetic as the released checkpoint.
 *
 * <pre>
 * # JMH, CPU, batch 32:
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main InceptionBench -f 1 -wi 1 -i 3
 * # FID end to end (decode, features, statistics, distance) on N generated 256×256 PNGs against saved stats:
 * java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
 *      -cp "bench/target/classes:bench/target/lib/*" dev.palate.bench.InceptionBench 1000 [cpu|cuda] [batch]
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx4g"})
public class InceptionBench {

    @Param({"32"})
    public int batch;

    @Param({"cpu"})
    public String device;

    /** Native threads, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private FidInceptionV3 net;
    private Tensor pixels;
    private boolean cuda;

    @Setup(Level.Trial)
    public void setup() {
        if (threads > 0) NativeRuntime.setThreads(threads);
        Device dev = Device.parse(device).requireAvailable();
        cuda = dev.isCuda();
        net = FidInceptionV3.load(new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, FidInceptionV3.parameterShapes()), dev);
        float[] px = new float[batch * 3 * 299 * 299];
        Random r = new Random(1);
        for (int i = 0; i < px.length; i++) px[i] = r.nextFloat();
        Tensor cpu = Tensors.fromFloats(px, batch, 3, 299, 299);
        pixels = cuda ? cpu.to(dev.toTorch(), torch.ScalarType.Float) : cpu;
    }

    @Benchmark
    public float pool3(ImageCounter counters) {
        try (NativeScope s = NativeScope.open()) {
            Tensor f = net.pool3(pixels);                     // [B, 2048]
            float v = f.sum().item_float();                   // synchronises on CUDA
            counters.images += batch;
            return v;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pixels.close();
        net.close();
    }

    /** FID end to end on {@code args[0]} generated PNGs (default 1000) against 64 reference images' saved stats. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Device dev = Device.parse(args.length > 1 ? args[1] : "cpu").requireAvailable();
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path root = Files.createTempDirectory("palate-fid-bench");
        Path gen = writeImages(root.resolve("generated"), n, 1);
        Path ref = writeImages(root.resolve("reference"), 64, 2);
        try (FidInceptionV3 net = FidInceptionV3.load(
                new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, FidInceptionV3.parameterShapes()), dev)) {
            FidCalculator calc = new FidCalculator(net, new FidCalculator.Options(2048, InceptionInput.Mode.LEGACY, batchSize),
                    (what, done, total) -> { if (done == total || done % 200 == 0) System.err.printf("%s %d/%d%n", what, done, total); });
            Path stats = root.resolve("ref.npz");
            FeatureStatistics refStats = calc.saveStats(ref, stats);
            long t0 = System.nanoTime();
            FidCalculator.Result r = calc.compute(stats, gen, null, null);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "FID end to end: %d generated 256x256 PNGs vs %s (%d-d stats), device %s, batch %d,"
                    + " threads %d: %.1f s (%.2f images/s), FID %.4f%n", n, stats.getFileName(), refStats.dim(), dev, batchSize,
                    torch.get_num_threads(), secs, n / secs, r.fid());
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Smoothed-noise 256×256 RGB PNGs, like the fixtures' images. */
    private static Path writeImages(Path dir, int n, long seed) throws Exception {
        Files.createDirectories(dir);
        opencv_core.setRNGSeed((int) seed);
        for (int i = 0; i < n; i++) {
            try (Mat noise = new Mat(256, 256, opencv_core.CV_8UC3); Mat blurred = new Mat()) {
                opencv_core.randu(noise, new Mat(new double[]{0}), new Mat(new double[]{255}));
                opencv_imgproc.GaussianBlur(noise, blurred, new Size(9, 9), 2.0);
                opencv_imgcodecs.imwrite(dir.resolve(String.format("img%05d.png", i)).toString(), blurred);
            }
        }
        return dir;
    }
}
