package dev.palate.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pickles written by hand, opcode by opcode, for the tests (what CPython's pickler writes, and what an attacker might). */
final class TestPickles {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TestPickles() {}

    static TestPickles proto(int v) {
        TestPickles t = new TestPickles();
        t.op(0x80).op(v);
        return t;
    }

    TestPickles op(int b) {
        out.write(b);
        return this;
    }

    TestPickles str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le4(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    TestPickles bytes(byte[] b) {
        op('B');
        le4(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    TestPickles text(String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
        return this;
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void le4(int n) {
        for (int i = 0; i < 4; i++) out.write(n >>> (8 * i));
    }

    /** {"images": [bytes...], "prompts": [str...], "metadata": {}} in protocol 3, as CPython writes it without memo. */
    static byte[] payload(List<byte[]> images, List<String> prompts) {
        TestPickles t = proto(3).op('}').op('(');
        t.str("images").op(']');
        if (!images.isEmpty()) {
            t.op('(');
            for (byte[] b : images) t.bytes(b);
            t.op('e');
        }
        if (prompts != null) {
            t.str("prompts").op(']');
            if (!prompts.isEmpty()) {
                t.op('(');
                for (String p : prompts) t.str(p);
                t.op('e');
            }
        }
        t.str("metadata").op('}');
        return t.op('u').stop();
    }
}
