package dev.palate.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.Tensors;
import dev.palate.engine.NativeScope;

/**
 * Parity with open_clip 2.24 (testdata/clip/clip-tiny-*, fp32 CPU): image and text embeddings and cosines within
 * 1e-4 absolute, from every stored format and from Hugging Face copies (one file, and two shards with
 * {@code model.safetensors.index.json}) written through {@link HfClipNaming}.
 */
class ClipModelParityTest {
    static final double TOL = 1e-4;

    @TempDir
    static Path tmp;

    static Stream<Arguments> checkpoints() {
        List<Arguments> a = new ArrayList<>();
        for (String fx : List.of("clip-tiny-gelu", "clip-tiny-quickgelu"))
            for (String f : List.of("open_clip_state.pt", "open_clip_state.legacy.pt", "model.safetensors", "hf-copy", "hf-sharded"))
                a.add(Arguments.of(fx, f));
        return a.stream();
    }

    static Path checkpoint(ClipFixture fx, String name, String format) throws IOException {
        if (!format.startsWith("hf-")) return fx.dir.resolve(format);
        Path out = tmp.resolve(name + "-" + format);
        HfCopyWriter.write(fx.dir.resolve("model.safetensors"), ClipConfig.parseOpenClip(fx.dir.resolve("open_clip_config.json")), out,
                format.equals("hf-sharded"));
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("checkpoints")
    void embeddingsAndCosinesMatchOpenClipWithin1e4(String name, String format) throws IOException {
        ClipFixture fx = new ClipFixture(name);
        try (ClipModel m = ClipModel.load(checkpoint(fx, name, format), Device.CPU, DType.F32);
             NativeScope s = NativeScope.open()) {
            float[][] img = m.imageEmbeddings(Tensors.fromFloats(fx.pixelValues, fx.pixelShape));
            float[][] txt = m.textEmbeddings(fx.inputIds);
            float[][] cos = ClipFixture.cosines(img, txt);
            double di = ClipFixture.maxAbsDiff(img, fx.imageEmbeds), dt = ClipFixture.maxAbsDiff(txt, fx.textEmbeds);
            double dc = ClipFixture.maxAbsDiff(cos, fx.cosine);
            System.out.printf("parity %s %s: image %.2e text %.2e cosine %.2e%n", name, format, di, dt, dc);
            assertTrue(di <= TOL, "image embeds differ by " + di);
            assertTrue(dt <= TOL, "text embeds differ by " + dt);
            assertTrue(dc <= TOL, "cosines differ by " + dc);
            assertEquals(fx.logitScale, m.logitScale(), 0f);
            assertTrue(m.toString().contains(format.startsWith("hf-") ? "huggingface naming" : "open_clip naming"), m.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void hpsv2PixelsGiveHpsv2EmbeddingsAndCosinesWithin1e4(String name) {
        ClipFixture fx = new ClipFixture(name);
        try (ClipModel m = ClipModel.load(fx.dir.resolve("open_clip_state.pt"), Device.CPU, DType.F32);
             NativeScope s = NativeScope.open()) {
            float[][] img = m.imageEmbeddings(Tensors.fromFloats(fx.hpsv2PixelValues, fx.pixelShape));
            float[][] cos = ClipFixture.cosines(img, m.textEmbeddings(fx.inputIds));
            double di = ClipFixture.maxAbsDiff(img, fx.hpsv2ImageEmbeds), dc = ClipFixture.maxAbsDiff(cos, fx.hpsv2Cosine);
            System.out.printf("hpsv2 pixels %s: image %.2e cosine %.2e%n", name, di, dc);
            assertTrue(di <= TOL, "hpsv2 image embeds differ by " + di);
            assertTrue(dc <= TOL, "hpsv2 cosines differ by " + dc);
        }
    }

    static Stream<String> fixtures() {
        return Stream.of("clip-tiny-gelu", "clip-tiny-quickgelu");
    }

    @Test
    void textPoolsAtTheFirstEndToken() {
        // Changing ids after the end token (49407, the largest id) must not change the pooled embedding: causal
        // attention cannot see them and pooling takes the first maximum (open_clip: argmax(ids)).
        ClipFixture fx = new ClipFixture("clip-tiny-gelu");
        try (ClipModel m = ClipModel.load(fx.dir.resolve("model.safetensors"), Device.CPU, DType.F32)) {
            int[] row = fx.inputIds[0].clone();
            int end = 0;
            while (row[end] != 49407) end++;
            int[] noisy = row.clone();
            for (int i = end + 1; i < noisy.length; i++) noisy[i] = 49407;
            float[][] e = m.textEmbeddings(new int[][] {row, noisy});
            assertTrue(ClipFixture.maxAbsDiff(new float[][] {e[0]}, new float[][] {e[1]}) <= 1e-6);
        }
    }
}
