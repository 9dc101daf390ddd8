package dev.palate.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
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

import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.engine.weights.StateDict;

/**
 * Loading a checkpoint of {@code sizeMb} MiB of float32 tensors ([1024, 1024] each, random), as safetensors and as a
 * torch zip-pickle, both memory-mapped: {@code openAndTouch} opens the file, makes every tensor's view and sums it
 * (so every page is read); {@code openOnly} stops after the views (headers, pickle, mapping). Milliseconds per GB =
 * ms/op × 1024 / sizeMb. The files stay in the page cache between iterations, so this is the warm-cache cost; a cold
 * load adds the disk's read time.
 *
 * <pre>
 * mvn -q -o -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main CheckpointLoadBench -f 1 -wi 1 -i 1
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx2g"})
public class CheckpointLoadBench {
    @Param({"safetensors", "zip-pickle"})
    public String format;

    @Param({"200"})
    public int sizeMb;

    private Path dir;
    private Path file;

    @Setup(Level.Trial)
    public void writeCheckpoints() throws IOException {
        dir = Files.createTempDirectory("palate-bench-ckpt");
        int count = Math.max(1, sizeMb / 4); // 4 MiB per [1024, 1024] float32 tensor
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(0);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) tensors.put(String.format("blocks.%03d.weight", i), torch.randn(1024, 1024));
            if (format.equals("safetensors")) {
                file = dir.resolve("model.safetensors");
                SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
            } else {
                file = dir.resolve("model.pt");
                TorchZipWriter.write(file, tensors);
            }
        }
    }

    @TearDown(Level.Trial)
    public void deleteCheckpoints() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public double openAndTouch() {
        double total = 0;
        try (StateDict sd = StateDict.load(file); NativeScope s = NativeScope.open()) {
            for (String k : sd.keys()) total += sd.get(k).sum().item_double();
        }
        return total;
    }

    @Benchmark
    public long openOnly() {
        long addresses = 0;
        try (StateDict sd = StateDict.load(file)) {
            for (String k : sd.keys()) addresses += sd.get(k).data_ptr().address();
        }
        return addresses;
    }

    /**
     * The smallest {@code torch.save(OrderedDict)} zip for contiguous float32 tensors: {@code archive/data.pkl}
     * (protocol 2, {@code _rebuild_tensor_v2} per tensor), one STORED 64-byte aligned record per storage, {@code version}.
     */
    static final class TorchZipWriter {
        private TorchZipWriter() {}

        static void write(Path path, Map<String, Tensor> tensors) throws IOException {
            Map<String, ByteBuffer> records = new LinkedHashMap<>();
            records.put("archive/data.pkl", ByteBuffer.wrap(pickle(tensors)));
            int i = 0;
            for (Tensor t : tensors.values()) {
                Tensor c = t.contiguous();
                long n = c.numel() * c.element_size();
                records.put("archive/data/" + i++, new BytePointer(c.data_ptr()).limit(n).asByteBuffer());
            }
            records.put("archive/version", ByteBuffer.wrap("3\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream central = new ByteArrayOutputStream();
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                for (Map.Entry<String, ByteBuffer> e : records.entrySet()) {
                    byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer data = e.getValue();
                    CRC32 crc = new CRC32();
                    crc.update(data.duplicate());
                    long offset = ch.position(), size = data.remaining();
                    if (offset + size > 0xFFFFFFFFL) throw new IOException("this minimal writer does not do ZIP64");
                    int pad = (int) ((64 - (offset + 30 + name.length + 4) % 64) % 64);
                    ByteBuffer h = ByteBuffer.allocate(30 + name.length + 4 + pad).order(ByteOrder.LITTLE_ENDIAN);
                    h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0x00210000)
                            .putInt((int) crc.getValue()).putInt((int) size).putInt((int) size)
                            .putShort((short) name.length).putShort((short) (4 + pad)).put(name)
                            .putShort((short) 0x4246).putShort((short) pad).put(new byte[pad]).flip();
                    writeFully(ch, h);
                    writeFully(ch, data.duplicate());
                    ByteBuffer c = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
                    c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                            .putInt(0x00210000).putInt((int) crc.getValue()).putInt((int) size).putInt((int) size)
                            .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                            .putShort((short) 0).putInt(0).putInt((int) offset).put(name);
                    central.writeBytes(c.array());
                }
                long cdOffset = ch.position();
                writeFully(ch, ByteBuffer.wrap(central.toByteArray()));
                ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
                end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) records.size())
                        .putShort((short) records.size()).putInt(central.size()).putInt((int) cdOffset).putShort((short) 0).flip();
                writeFully(ch, end);
            }
        }

        private static byte[] pickle(Map<String, Tensor> tensors) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(0x80); p.write(2);
            global(p, "collections", "OrderedDict"); p.write(')'); p.write('R');
            p.write('(');
            int i = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                str(p, e.getKey());
                global(p, "torch._utils", "_rebuild_tensor_v2");
                p.write('(');
                p.write('('); str(p, "storage"); global(p, "torch", "FloatStorage"); str(p, Integer.toString(i++)); str(p, "cpu");
                integer(p, t.numel()); p.write('t');
                p.write('Q');
                integer(p, 0);
                p.write('(');
                for (int d = 0; d < t.dim(); d++) integer(p, t.size(d));
                p.write('t');
                p.write('(');
                long stride = 1;
                long[] strides = new long[(int) t.dim()];
                for (int d = strides.length - 1; d >= 0; d--) { strides[d] = stride; stride *= t.size(d); }
                for (long s : strides) integer(p, s);
                p.write('t');
                p.write(0x89);
                global(p, "collections", "OrderedDict"); p.write(')'); p.write('R');
                p.write('t');
                p.write('R');
            }
            p.write('u');
            p.write('.');
            return p.toByteArray();
        }

        private static void global(ByteArrayOutputStream p, String module, String name) {
            p.write('c');
            p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }

        private static void str(ByteArrayOutputStream p, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            p.write('X');
            p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            p.writeBytes(b);
        }

        private static void integer(ByteArrayOutputStream p, long v) {
            p.write('J');
            p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(v)).array());
        }

        private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) ch.write(b);
        }
    }
}
