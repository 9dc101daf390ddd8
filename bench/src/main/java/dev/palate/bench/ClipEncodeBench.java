package dev.palate.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

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

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.nn.Activation;
import dev.palate.models.clip.ClipConfig;
import dev.palate.models.clip.ClipModel;

/**
 * CLIP image-encode throughput (images/s): the image tower and projection on preprocessed pixels already on the
 * device, one batch per invocation, the {@code images} counter adding the batch size. Random weights of the real
 * architecture, generated in memory.
 *
 * <pre>
 * # CPU smoke, ViT-B/16-sized, fp32, batch 1/8/32:
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main ClipEncodeBench -f 1 -wi 1 -i 2
 * # ViT-H/14 in bf16 on CUDA (gpu build):
 * java ... org.openjdk.jmh.Main ClipEncodeBench -p size=vit-h-14 -p device=cuda -p dtype=bf16 -p batch=1,8,32
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0",
        "-Xmx4g"})
public class ClipEncodeBench {

    /** {@code vit-b-16} (OpenAI ViT-B/16 sizes), {@code vit-l-14} or {@code vit-h-14}. */
    @Param({"vit-b-16"})
    public String size;

    @Param({"1", "8", "32"})
    public int batch;

    @Param({"cpu"})
    public String device;

    @Param({"fp32"})
    public String dtype;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private ClipModel model;
    private Tensor pixels;
    private boolean cuda;

    /** The named architecture. */
    static ClipConfig config(String size) {
        switch (size) {
            case "vit-b-16":
                return new ClipConfig(new ClipConfig.Vision(768, 12, 12, 16, 224, 3072, Activation.QUICK_GELU, 1e-5),
                        new ClipConfig.Text(77, 49408, 512, 8, 12, 2048, Activation.QUICK_GELU, 1e-5), 512, "ViT-B-16 sizes");
            case "vit-l-14": return ClipConfig.vitL14();
            case "vit-h-14": return ClipConfig.vitH14();
            default: throw new IllegalArgumentException("size must be vit-b-16, vit-l-14 or vit-h-14, got " + size);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) NativeRuntime.setThreads(threads); // libtorch intra-op and OpenBLAS
        Device dev = Device.parse(device).requireAvailable();
        DType dt = DType.parse(dtype);
        cuda = dev.isCuda();
        model = ClipModel.random(config(size), 1234, dev, dt);
        int s = model.config().vision().imageSize();
        Random rnd = new Random(7);
        float[] px = new float[batch * 3 * s * s];
        for (int i = 0; i < px.length; i++) px[i] = (float) rnd.nextGaussian();
        try (org.bytedeco.pytorch.Device d = dev.toTorch()) {
            Tensor host = Tensors.fromFloats(px, batch, 3, s, s);
            pixels = host.to(d, dt.scalarType()); // kept for the trial, outside any scope
            host.close();
        }
    }

    @Benchmark
    public float encode(ImageCounter counters) {
        try (NativeScope s = NativeScope.open()) {
            // item() copies to the host, so a CUDA batch has finished when it returns
            float r = model.encodeImages(pixels).sum().item_float();
            counters.images += batch;
            return r;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        pixels.close();
        model.close();
    }
}
