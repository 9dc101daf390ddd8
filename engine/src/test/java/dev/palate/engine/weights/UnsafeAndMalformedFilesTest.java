package dev.palate.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are unsafe, truncated or inconsistent are refused with an error naming the file and the problem. */
class UnsafeAndMalformedFilesTest {
    @TempDir
    Path tmp;

    // ---- pickles

    @Test
    void pickleCallingPosixSystemIsRefusedAtTheGlobalAndNothingRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        byte[] evil = new PickleBuilder().global("posix", "system").mark().str("touch " + marker).tuple().reduce().stop().bytes();
        Path file = zipCheckpoint("evil.pt", evil);
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'posix.system'"), e.getMessage());
        assertTrue(e.getMessage().contains("at byte 2"), "refused at the GLOBAL opcode, before REDUCE: " + e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void otherCodeExecutingGlobalsAreRefusedToo() {
        for (String[] g : new String[][] {{"builtins", "eval"}, {"__builtin__", "exec"}, {"os", "system"},
                {"subprocess", "Popen"}, {"torch.storage", "_load_from_bytes"}, {"torch", "load"}}) {
            byte[] p = new PickleBuilder().global(g[0], g[1]).mark().str("1").tuple().reduce().stop().bytes();
            WeightFileException e = assertThrows(WeightFileException.class, () -> unpickle(p));
            assertTrue(e.getMessage().contains("'" + g[0] + "." + g[1] + "'"), e.getMessage());
        }
        // STACK_GLOBAL (protocol 4) goes through the same allow-list
        byte[] p = new PickleBuilder().str("posix").str("system").op(0x93).stop().bytes();
        assertTrue(assertThrows(WeightFileException.class, () -> unpickle(p)).getMessage().contains("'posix.system'"));
    }

    @Test
    void objectCreatingOpcodesAreRefused() {
        byte[] newobj = new PickleBuilder().global("collections", "OrderedDict").emptyTuple().op(0x81).stop().bytes();
        assertTrue(assertThrows(WeightFileException.class, () -> unpickle(newobj)).getMessage().contains("arbitrary objects"));
    }

    @Test
    void allowListedGlobalsCannotBeCalledWithOtherMeanings() {
        byte[] callStorage = new PickleBuilder().global("torch", "FloatStorage").mark().integer(3).tuple().reduce().stop().bytes();
        assertThrows(WeightFileException.class, () -> unpickle(callStorage));
    }

    @Test
    void handWrittenPickleWithStridesOffsetsAndNestingLoadsAsTorchWould() throws IOException {
        // {"epoch": 3, "state_dict": {"visual": {"w_t": storage0[2x3] transposed, "b": storage0[1:3]}, "p": f16 param}}
        float[] data = {0, 1, 2, 3, 4, 5};
        ByteBuffer b0 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) b0.putFloat(f);
        ByteBuffer b1 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3c00).putShort((short) 0xc000);
        PickleBuilder p = new PickleBuilder().emptyDict()
                .mark().str("epoch").integer(3).str("state_dict").emptyDict()
                .mark().str("visual").emptyDict()
                .mark().str("w_t").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3})
                .str("b").tensor("FloatStorage", "0", 6, 1, new long[] {2}, new long[] {1}).setItems()
                .str("p").global("torch._utils", "_rebuild_parameter")
                .mark().tensor("HalfStorage", "1", 2, 0, new long[] {2}, new long[] {1}).op(0x88)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItems().setItems().stop();
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("ckpt/data.pkl", p.bytes());
        records.put("ckpt/data/0", b0.array());
        records.put("ckpt/data/1", b1.array());
        records.put("ckpt/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Path file = tmp.resolve("ckpt.pt");
        TestZip.write(file, records, Set.of());
        try (StateDict sd = StateDict.load(file)) {
            assertEquals(java.util.List.of("visual.w_t", "visual.b", "p"), new java.util.ArrayList<>(sd.keys()));
            assertEquals(java.util.List.of(0f, 3f, 1f, 4f, 2f, 5f), boxed(dev.palate.engine.Tensors.toFloats(sd.get("visual.w_t"))));
            assertEquals(java.util.List.of(1f, 2f), boxed(dev.palate.engine.Tensors.toFloats(sd.get("visual.b"))));
            assertEquals(java.util.List.of(1f, -2f), boxed(dev.palate.engine.Tensors.toFloats(sd.get("p"))));
            assertEquals(dev.palate.engine.DType.F16, sd.info("p").dtype());
        }
    }

    @Test
    void tensorReachingPastItsStorageIsRefused() throws IOException {
        byte[] p = new PickleBuilder().emptyDict().str("w")
                .tensor("FloatStorage", "0", 4, 2, new long[] {4}, new long[] {1}).setItem().stop().bytes();
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("x/data.pkl", p);
        records.put("x/data/0", new byte[16]);
        Path file = tmp.resolve("x.pt");
        TestZip.write(file, records, Set.of());
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("past its storage"), e.getMessage());
    }

    @Test
    void truncatedZipCheckpointIsRefusedClearly() throws IOException {
        byte[] full = Files.readAllBytes(CheckpointParityTest.TESTDATA.resolve("aesthetic-weights/sac+logos+ava1-l14-linearMSE.pth"));
        Path file = tmp.resolve("partial.pth");
        Files.write(file, Arrays.copyOf(full, full.length / 2));
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedLegacyCheckpointIsRefusedClearly() throws IOException {
        byte[] full = Files.readAllBytes(CheckpointParityTest.TESTDATA.resolve("clip/clip-tiny-gelu/open_clip_state.legacy.pt"));
        for (int cut : new int[] {full.length - 100, 5000}) {
            Path file = tmp.resolve("partial" + cut + ".pt");
            Files.write(file, Arrays.copyOf(full, cut));
            WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void compressedStorageRecordIsRefusedWithAdvice() throws IOException {
        byte[] p = new PickleBuilder().emptyDict().str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).setItem().stop().bytes();
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("x/data.pkl", p);
        records.put("x/data/0", new byte[16]);
        Path file = tmp.resolve("deflated.pt");
        TestZip.write(file, records, Set.of("x/data.pkl", "x/data/0"));
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains("'x/data/0' is compressed"), e.getMessage());
    }

    @Test
    void notAStateDictSaysWhatItHolds() throws IOException {
        byte[] p = new PickleBuilder().emptyDict().str("epoch").integer(3).setItem().str("lr").str("0.1").setItem().stop().bytes();
        Path file = zipCheckpoint("meta.pt", p);
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains("epoch (a Long (3))"), e.getMessage());
    }

    // ---- safetensors

    @Test
    void safetensorsHeaderClaimingMoreBytesThanTheFileHoldsIsRefused() throws IOException {
        Path file = safetensors("short.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("'w'")
                && e.getMessage().contains("past the data region"), e.getMessage());
    }

    @Test
    void safetensorsOverlappingOffsetsAreRefused() throws IOException {
        Path file = safetensors("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("'b'") && e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void safetensorsUnknownDtypeIsRefused() throws IOException {
        Path file = safetensors("fp8.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);
        WeightFileException e = assertThrows(WeightFileException.class, () -> StateDict.load(file));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("'F8_E4M3'"), e.getMessage());
    }

    @Test
    void safetensorsOtherInconsistenciesAreRefused() throws IOException {
        String[][] cases = {
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", "needs 12"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}}", "begin after end"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", "negative"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[4]}}", "data_offsets"},
            {"{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "twice"},
            {"{\"w\":", "not valid JSON"},
            {"{\"__metadata__\":{\"n\":3}}", "not a string"},
        };
        for (String[] c : cases) {
            Path file = safetensors("bad.safetensors", c[0], 16);
            WeightFileException e = assertThrows(WeightFileException.class, () -> SafetensorsFile.open(file), c[0]);
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
        Path huge = tmp.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(assertThrows(WeightFileException.class, () -> SafetensorsFile.open(huge)).getMessage().contains("not sane"));
        Path past = tmp.resolve("past.safetensors");
        Files.write(past, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array());
        assertTrue(assertThrows(WeightFileException.class, () -> SafetensorsFile.open(past)).getMessage().contains("truncated"));
    }

    // ---- helpers

    private Object unpickle(byte[] p) {
        return new RestrictedUnpickler(new ByteArrayInputStream(p), tmp.resolve("test.pkl"), pid -> pid).load();
    }

    private Path zipCheckpoint(String name, byte[] pickle) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/data.pkl", pickle);
        records.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Path file = tmp.resolve(name);
        TestZip.write(file, records, Set.of());
        return file;
    }

    private Path safetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = tmp.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    private static java.util.List<Float> boxed(float[] a) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        for (float f : a) out.add(f);
        return out;
    }
}
