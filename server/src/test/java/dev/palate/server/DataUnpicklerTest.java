package dev.palate.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The data-only unpickler on CPython's own pickles (testdata/server) and on hand-written hostile ones. */
class DataUnpicklerTest {

    @Test
    void everyAcceptedFixturePayloadReadsAsItsManifestSaysImagesAsJpegBytesAndPromptsExact() throws Exception {
        JsonObject files = ServerFixtures.manifest().getAsJsonObject("files");
        byte[][] p4Images = null;
        for (String name : files.keySet()) {
            JsonObject entry = files.getAsJsonObject(name);
            if (entry.get("refuse").getAsBoolean()) continue;
            Map<?, ?> root = (Map<?, ?>) DataUnpickler.load(ServerFixtures.payload(name));
            List<?> images = (List<?>) root.get("images"), prompts = (List<?>) root.get("prompts");
            assertEquals(entry.getAsJsonArray("images").size(), images.size(), name);
            List<String> expectedPrompts = entry.getAsJsonArray("prompts").asList().stream().map(JsonElement::getAsString).toList();
            assertEquals(expectedPrompts, prompts, name + ": prompts exact");
            for (Object im : images) {
                byte[] b = assertInstanceOf(byte[].class, im, name);
                assertTrue((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8, name + ": a JPEG (SOI marker)");
            }
            if (name.equals("payload_p4.pkl")) p4Images = images.toArray(new byte[0][]);
        }
        // protocol 2's _codecs.encode(latin-1 text, 'latin1') gives the very bytes protocol 3-5 carry as BINBYTES
        for (String name : new String[] {"payload_p2.pkl", "payload_p3.pkl", "payload_p5.pkl"}) {
            List<?> images = (List<?>) ((Map<?, ?>) DataUnpickler.load(ServerFixtures.payload(name))).get("images");
            for (int i = 0; i < images.size(); i++) assertArrayEquals(p4Images[i], (byte[]) images.get(i), name + " image " + i);
        }
    }

    @Test
    void nestedMetadataKeepsEveryPythonTypeAsData() throws Exception {
        Map<?, ?> root = (Map<?, ?>) DataUnpickler.load(ServerFixtures.payload("payload_metadata.pkl"));
        Map<?, ?> meta = (Map<?, ?>) root.get("metadata");
        assertEquals(120L, meta.get("step"));
        assertEquals(new DataUnpickler.Tuple(List.of(0L, 1L, 2L)), meta.get("group"));
        assertEquals(0.7, meta.get("temperature"));
        assertEquals(Boolean.TRUE, meta.get("ok"));
        assertTrue(meta.containsKey("none") && meta.get("none") == null);
        assertEquals("ßüñ", meta.get("name"));
        Map<?, ?> nested = (Map<?, ?>) meta.get("nested");
        assertEquals(List.of(1L, 2.5, "three"), nested.get("a"));
        assertArrayEquals(new byte[] {0, 1}, (byte[]) ((Map<?, ?>) nested.get("b")).get("c"));
        Map<?, ?> empty = (Map<?, ?>) DataUnpickler.load(ServerFixtures.payload("payload_empty.pkl"));
        assertEquals(List.of(), empty.get("images"));
    }

    @Test
    void evilFixturePayloadsAreRefusedAtTheGlobalTheyName() throws Exception {
        for (String name : new String[] {"evil_system.pkl", "evil_eval_in_list.pkl", "evil_top_level.pkl"}) {
            PickleRefusedException e = assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(ServerFixtures.payload(name)), name);
            assertTrue(e.unsafe(), name);
            assertTrue(e.getMessage().contains("global 'posix.system'") || e.getMessage().contains("global 'builtins.eval'"), e.getMessage());
            assertTrue(e.getMessage().contains("Nothing was executed"), e.getMessage());
        }
    }

    @Test
    void everyObjectOpcodeAndEveryOtherCallIsRefusedAsUnsafe() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("GLOBAL os.system", TestPickles.proto(2).op('c').text("os").text("system").stop());
        cases.put("GLOBAL builtins.getattr", TestPickles.proto(2).op('c').text("builtins").text("getattr").stop());
        cases.put("STACK_GLOBAL _codecs.decode", TestPickles.proto(4).str("_codecs").str("decode").op(0x93).stop());
        cases.put("encode with utf-8", TestPickles.proto(2).op('c').text("_codecs").text("encode").str("x").str("utf-8").op(0x86).op('R').stop());
        cases.put("encode with 3 args", TestPickles.proto(2).op('c').text("_codecs").text("encode").op('(').str("x").str("latin1").str("strict").op('t').op('R').stop());
        cases.put("encode of bytes", TestPickles.proto(3).op('c').text("_codecs").text("encode").bytes(new byte[] {1}).str("latin1").op(0x86).op('R').stop());
        cases.put("REDUCE on a str", TestPickles.proto(2).str("eval").op(')').op('R').stop());
        cases.put("BUILD", TestPickles.proto(2).op('}').op('}').op('b').stop());
        cases.put("INST", TestPickles.proto(0).op('(').op('i').text("os").text("system").stop());
        cases.put("OBJ", TestPickles.proto(1).op('(').op(')').op('o').stop());
        cases.put("NEWOBJ", TestPickles.proto(2).op(')').op(')').op(0x81).stop());
        cases.put("NEWOBJ_EX", TestPickles.proto(4).op(')').op(')').op('}').op(0x92).stop());
        cases.put("PERSID", TestPickles.proto(0).op('P').text("1").stop());
        cases.put("BINPERSID", TestPickles.proto(1).str("1").op('Q').stop());
        cases.put("EXT1", TestPickles.proto(2).op(0x82).op(1).stop());
        cases.put("EXT2", TestPickles.proto(2).op(0x83).op(1).op(0).stop());
        cases.put("EXT4", TestPickles.proto(2).op(0x84).op(1).op(0).op(0).op(0).stop());
        cases.put("NEXT_BUFFER", TestPickles.proto(5).op(0x97).stop());
        cases.put("READONLY_BUFFER", TestPickles.proto(5).op(')').op(0x98).stop());
        cases.forEach((what, pickle) -> {
            PickleRefusedException e = assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(pickle), what);
            assertTrue(e.unsafe(), what + ": " + e.getMessage());
        });
    }

    @Test
    void protocol0And2BytesAndTextOpcodesReadAsCPythonWritesThem() {
        // CPython 3.11: pickle.dumps(b'\x00\xff', protocol=0) and pickle.dumps('café 🟥', protocol=0), byte for byte
        byte[] p0 = "c_codecs\nencode\np0\n(V\\u0000\u00ff\np1\nVlatin1\np2\ntp3\nRp4\n.".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, (byte[]) DataUnpickler.load(p0));
        byte[] text0 = "Vcaf\u00e9 \\U0001f7e5\np0\n.".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café \uD83D\uDFE5", DataUnpickler.load(text0));
        assertEquals(Boolean.TRUE, DataUnpickler.load(TestPickles.proto(0).op('I').text("01").stop()));
        assertEquals(-7L, DataUnpickler.load(TestPickles.proto(0).op('I').text("-7").stop()));
        assertEquals(new java.math.BigInteger("123456789012345678901234567890"), DataUnpickler.load(TestPickles.proto(0).op('L').text("123456789012345678901234567890L").stop()));
        assertEquals(2.5, DataUnpickler.load(TestPickles.proto(0).op('F').text("2.5").stop()));
        // LONG1 of -1 (0xff), BININT2 of 513
        assertEquals(-1L, DataUnpickler.load(TestPickles.proto(2).op(0x8a).op(1).op(0xFF).stop()));
        assertEquals(513L, DataUnpickler.load(TestPickles.proto(2).op('M').op(1).op(2).stop()));
        // a frozenset and a bytearray are data too
        Object set = DataUnpickler.load(TestPickles.proto(4).op('(').str("a").str("b").op(0x91).stop());
        assertEquals(new java.util.LinkedHashSet<>(List.of("a", "b")), set);
        byte[] ba = TestPickles.proto(5).op(0x96).op(2).op(0).op(0).op(0).op(0).op(0).op(0).op(0).op(7).op(8).stop();
        assertArrayEquals(new byte[] {7, 8}, (byte[]) DataUnpickler.load(ba));
    }

    @Test
    void truncatedAndLyingPicklesAreMalformedNotAllocated() {
        byte[] cut = Arrays.copyOf(TestPickles.proto(4).str("abcdef").stop(), 8);
        PickleRefusedException e = assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(cut));
        assertTrue(!e.unsafe() && e.getMessage().contains("past the end"), e.getMessage());
        // BINBYTES8 declaring 2^62 bytes in a 20-byte body
        byte[] lying = TestPickles.proto(4).op(0x8e).op(0).op(0).op(0).op(0).op(0).op(0).op(0).op(0x40).stop();
        assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(lying));
        assertThrows(PickleRefusedException.class, () -> DataUnpickler.load("not a pickle".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(new byte[0]));
        assertThrows(PickleRefusedException.class, () -> DataUnpickler.load(TestPickles.proto(2).op('h').op(3).stop()), "memo key never stored");
    }

    @Test
    void repliesReadBackAsWritten() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("scores", Arrays.asList(0.25, null, -1.5e-8));
        reply.put("error", "1 of 3 items failed: ü");
        reply.put("n", 3);
        reply.put("fields", Map.of("log_sigma", List.of(1.0f)));
        Map<?, ?> back = (Map<?, ?>) DataUnpickler.load(PickleWriter.dumps(reply));
        assertEquals(Arrays.asList(0.25, null, -1.5e-8), back.get("scores"));
        assertEquals("1 of 3 items failed: ü", back.get("error"));
        assertEquals(3L, back.get("n"));
        assertEquals(Map.of("log_sigma", List.of(1.0)), back.get("fields"));
        // pickle.dumps({'scores': []}, protocol=2) without memo: PROTO 2, EMPTY_DICT, MARK, BINUNICODE, EMPTY_LIST, SETITEMS, STOP
        byte[] expected = {(byte) 0x80, 2, '}', '(', 'X', 6, 0, 0, 0, 's', 'c', 'o', 'r', 'e', 's', ']', 'u', '.'};
        assertArrayEquals(expected, PickleWriter.dumps(Map.of("scores", List.of())));
    }
}
