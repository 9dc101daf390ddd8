package dev.palate.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

class StateDictTest {
    static final Path TESTDATA = CheckpointParityTest.TESTDATA;

    @TempDir
    Path tmp;

    @Test
    void writerRoundTripsEveryDtypeAndStridesAndMetadataExactly() {
        Path file = tmp.resolve("rt.safetensors");
        try (NativeScope s = NativeScope.open()) {
            Tensor base = Tensors.fromFloats(new float[] {1.5f, -2f, 3.25f, 4f, 5f, -6.125f}, 2, 3);
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("z.transposed", base.t());                           // non-contiguous [3, 2]
            in.put("a.half", base.to(DType.F16.scalarType()));
            in.put("a.bf16", base.to(DType.BF16.scalarType()));
            in.put("ids", Tensors.fromLongs(new long[] {1, -2, 1L << 40}, 3));
            in.put("mask", Tensors.fromBytes(new byte[] {0, 1}, 2).to(DType.BOOL.scalarType()));
            in.put("scalar", Tensors.fromDoubles(new double[] {Math.PI}).view(new long[0]));
            in.put("empty", Tensors.fromFloats(new float[0], 0, 4));
            SafetensorsWriter.write(file, in, Map.of("format", "pt", "note", "ünïcode"));
            try (StateDict sd = StateDict.load(file)) {
                assertEquals(List.of("a.bf16", "a.half", "empty", "ids", "mask", "scalar", "z.transposed"), new ArrayList<>(sd.keys()));
                assertEquals(Map.of("format", "pt", "note", "ünïcode"), sd.metadata());
                for (Map.Entry<String, Tensor> e : in.entrySet()) {
                    Tensor got = sd.get(e.getKey());
                    assertEquals(Tensors.dtype(e.getValue()), Tensors.dtype(got), e.getKey());
                    assertArrayEquals(Tensors.shape(e.getValue()), Tensors.shape(got), e.getKey());
                    assertTrue(torch.equal(e.getValue(), got), e.getKey());
                }
            }
        }
    }

    @Test
    void writerIsDeterministicWhateverTheMapOrder() throws IOException {
        try (NativeScope s = NativeScope.open()) {
            Tensor a = Tensors.fromFloats(new float[] {1, 2}, 2), b = Tensors.fromInts(new int[] {3}, 1);
            Map<String, Tensor> ab = new LinkedHashMap<>(), ba = new LinkedHashMap<>();
            ab.put("a", a); ab.put("b", b);
            ba.put("b", b); ba.put("a", a);
            SafetensorsWriter.write(tmp.resolve("ab.safetensors"), ab, null);
            SafetensorsWriter.write(tmp.resolve("ba.safetensors"), ba, Map.of());
        }
        byte[] x = Files.readAllBytes(tmp.resolve("ab.safetensors")), y = Files.readAllBytes(tmp.resolve("ba.safetensors"));
        assertArrayEquals(x, y);
        long headerLen = java.nio.ByteBuffer.wrap(x).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8 bytes");
        assertEquals(8 + headerLen + 12, x.length, "then 8 + 4 data bytes");
    }

    @Test
    void tensorsAreViewsOnOneMappingOfTheFile() {
        // zero copy: the distance between two tensors' data equals the distance between their records in the file
        try (StateDict st = StateDict.load(TESTDATA.resolve("imagereward/model.safetensors"));
             StateDict pt = StateDict.load(TESTDATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"))) {
            List<String> k = new ArrayList<>(st.keys());
            long a = st.get(k.get(0)).data_ptr().address(), b = st.get(k.get(1)).data_ptr().address();
            assertTrue(Math.abs(b - a) < Files.size(st.source()), "both in one mapping of the file");
            // archive/data/0 starts at 384 and archive/data/1 at 3520 in this zip (unzip -v; 64-byte aligned)
            assertEquals(3520 - 384, pt.get("bias").data_ptr().address() - pt.get("weight").data_ptr().address());
            assertSame(pt.get("bias"), pt.get("bias"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tensorsOutliveTheCallersNativeScope() {
        try (StateDict sd = StateDict.load(TESTDATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"))) {
            float first;
            try (NativeScope s = NativeScope.open()) {
                first = Tensors.toFloats(sd.get("weight"))[0];
            }
            try (NativeScope s = NativeScope.open()) {
                assertEquals(first, Tensors.toFloats(sd.get("weight"))[0]);
            }
        }
    }

    @Test
    void shardedSafetensorsIndexLoadsEveryShard() throws IOException {
        try (NativeScope s = NativeScope.open()) {
            SafetensorsWriter.write(tmp.resolve("model-00001-of-00002.safetensors"), Map.of("a", Tensors.fromFloats(new float[] {1}, 1)), null);
            SafetensorsWriter.write(tmp.resolve("model-00002-of-00002.safetensors"), Map.of("b", Tensors.fromFloats(new float[] {2}, 1)), null);
        }
        Files.writeString(tmp.resolve("model.safetensors.index.json"), "{\"metadata\":{\"total_size\":8},\"weight_map\":"
                + "{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        try (StateDict sd = StateDict.load(tmp)) { // the folder: the index is preferred
            assertEquals(tmp.resolve("model.safetensors.index.json"), sd.source());
            assertEquals(List.of("a", "b"), new ArrayList<>(sd.keys()));
            assertEquals(2f, Tensors.toFloats(sd.get("b"))[0]);
        }
        Files.delete(tmp.resolve("model-00002-of-00002.safetensors"));
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(tmp));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void pytorchBinIndexLoadsPickleShards() throws IOException {
        Files.copy(TESTDATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"), tmp.resolve("pytorch_model-00001-of-00002.bin"));
        Files.copy(TESTDATA.resolve("aesthetic-weights/sac+logos+ava1-l14-linearMSE.pth"), tmp.resolve("pytorch_model-00002-of-00002.bin"));
        Files.writeString(tmp.resolve("pytorch_model.bin.index.json"), "{\"weight_map\":{\"weight\":\"pytorch_model-00001-of-00002.bin\","
                + "\"layers.7.bias\":\"pytorch_model-00002-of-00002.bin\"}}");
        try (StateDict sd = StateDict.load(tmp)) {
            assertEquals(List.of("weight", "layers.7.bias"), new ArrayList<>(sd.keys()));
            assertArrayEquals(new long[] {1}, sd.info("layers.7.bias").shape());
        }
    }

    @Test
    void folderWithoutWeightsSaysWhereItLooked() {
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(tmp));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("pytorch_model.bin"), e.getMessage());
    }

    @Test
    void renameStripSelectAndRequireKeys() {
        try (StateDict raw = StateDict.load(TESTDATA.resolve("imagereward/ImageReward.pt"))) {
            StateDict blip = raw.select("blip.");
            assertTrue(blip.contains("visual_encoder.cls_token") && !blip.contains("mlp.layers.0.weight"));
            KeyMap map = KeyMap.builder().exact("mlp.layers.7.bias", "head.out.bias").prefix("mlp.layers.", "head.")
                    .prefix("blip.visual_encoder.", "vision.").build();
            StateDict renamed = raw.renamed(map);
            assertTrue(renamed.contains("head.out.bias") && renamed.contains("head.0.weight") && renamed.contains("vision.cls_token"));
            assertSame(raw.get("mlp.layers.0.weight"), renamed.get("head.0.weight"));
            assertEquals("head.0.weight", renamed.info("head.0.weight").key());
            StateDict stripped = raw.stripPrefix("blip.");
            assertTrue(stripped.contains("mlp.layers.0.weight") && stripped.contains("visual_encoder.cls_token"));

            Set<String> expected = new java.util.HashSet<>(stripped.keys());
            expected.add("visual_encoder.missing_one");
            expected.removeIf(k -> k.startsWith("text_encoder."));
            WeightFileException e = assertThrows(WeightFileException.class, () -> stripped.requireKeys(expected, Set.of()));
            assertTrue(e.getMessage().startsWith(raw.source().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("1 missing key(s) [visual_encoder.missing_one]"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected key(s) [text_encoder."), e.getMessage());
            expected.remove("visual_encoder.missing_one");
            stripped.requireKeys(expected, Set.of("text_encoder.*"));

            KeyMap clash = KeyMap.builder().prefix("mlp.layers.0.", "x.").prefix("mlp.layers.2.", "x.").build();
            assertThrows(WeightFileException.class, () -> raw.renamed(clash));
            WeightFileException missing = assertThrows(WeightFileException.class, () -> raw.get("mlp.layers.9.weight"));
            assertTrue(missing.getMessage().contains("'mlp.layers.9.weight'") && missing.getMessage().contains("ImageReward.pt"));
        }
    }

    @Test
    void keyMapPrefersExactThenLongestPrefix() {
        KeyMap m = KeyMap.builder().prefix("a.", "x.").prefix("a.b.", "y.").exact("a.b.c", "z").build();
        assertEquals("z", m.map("a.b.c"));
        assertEquals("y.d", m.map("a.b.d"));
        assertEquals("x.q", m.map("a.q"));
        assertEquals("other", m.map("other"));
        assertThrows(IllegalArgumentException.class, () -> KeyMap.builder().exact("a", "b").exact("a", "c"));
    }

    @Test
    void safetensorsMetadataIsExposed() {
        try (SafetensorsFile f = SafetensorsFile.open(TESTDATA.resolve("clip/clip-tiny-gelu/expected.safetensors"))) {
            assertTrue(f.metadata().containsKey("image_order"), f.metadata().toString());
            assertEquals(DType.F32, f.info("cosine").dtype());
        }
    }
}
