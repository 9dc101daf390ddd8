package dev.palate.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.ImageTransform;

/**
 * Images/s of decoding a 1024×1024 JPEG (OpenCV) and the exact P1 transform (Pillow BICUBIC to 224, center crop,
 * normalise), on one thread and on all cores ({@code @Threads(MAX)}, one image per thread per call). The JPEG is a
 * smooth gradient with noise, encoded by OpenCV at its default quality (95) in {@code @Setup}. Also decode alone,
 * P1 alone and HPSv2's P3 alone, single-threaded, to show where the time goes.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main PreprocessBench -f 1 -wi 1 -i 2 -w 1 -r 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xmx2g"})
public class PreprocessBench {
    private static final int SIDE = 1024;

    /** A JPEG file to decode instead of the generated one (bench/compare/cpu-speed.sh passes the file PIL decodes). */
    @Param({""})
    public String jpegFile;

    private byte[] jpeg;
    private DecodedImage decoded;
    private final ImageTransform p1 = ClipTransforms.openClip(224);
    private final ImageTransform p3 = ClipTransforms.hpsv2(224);

    @Setup(Level.Trial)
    public void setup() throws java.io.IOException {
        if (!jpegFile.isEmpty()) {
            jpeg = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(jpegFile));
            decoded = ImageDecoder.decode(jpeg, jpegFile);
            return;
        }
        byte[] bgr = new byte[SIDE * SIDE * 3];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int y = 0; y < SIDE; y++)
            for (int x = 0; x < SIDE; x++)
                for (int c = 0; c < 3; c++)
                    bgr[(y * SIDE + x) * 3 + c] = (byte) Math.min(255, (x + y * (c + 1)) / 12 + rnd.nextInt(40));
        try (BytePointer p = new BytePointer(bgr); Mat m = new Mat(SIDE, SIDE, CV_8UC3, p); BytePointer out = new BytePointer()) {
            if (!imencode(".jpg", m, out)) throw new IllegalStateException("OpenCV could not encode the benchmark JPEG");
            jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
        }
        decoded = ImageDecoder.decode(jpeg, "bench.jpg");
    }

    @Benchmark
    @Threads(1)
    public float decodeAndP1SingleThread() {
        return p1.apply(ImageDecoder.decode(jpeg, "bench.jpg"))[0];
    }

    @Benchmark
    @Threads(Threads.MAX)
    public float decodeAndP1AllCores() {
        return p1.apply(ImageDecoder.decode(jpeg, "bench.jpg"))[0];
    }

    @Benchmark
    @Threads(1)
    public int decodeOnly() {
        return ImageDecoder.decode(jpeg, "bench.jpg").width();
    }

    @Benchmark
    @Threads(1)
    public float p1Only() {
        return p1.apply(decoded)[0];
    }

    @Benchmark
    @Threads(1)
    public float hpsv2P3Only() {
        return p3.apply(decoded)[0];
    }
}
