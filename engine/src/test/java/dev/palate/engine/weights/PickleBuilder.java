package dev.palate.engine.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for tests (protocol 2, as torch.save does). */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder() {
        op(0x80);
        op(2);
    }

    PickleBuilder op(int b) {
        out.write(b);
        return this;
    }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder integer(long v) {
        op('J');
        le(v, 4);
        return this;
    }

    PickleBuilder mark() { return op('('); }

    PickleBuilder tuple() { return op('t'); }

    PickleBuilder emptyTuple() { return op(')'); }

    PickleBuilder emptyDict() { return op('}'); }

    PickleBuilder setItem() { return op('s'); }

    PickleBuilder setItems() { return op('u'); }

    PickleBuilder reduce() { return op('R'); }

    PickleBuilder stop() { return op('.'); }

    PickleBuilder ints(long... v) {
        mark();
        for (long x : v) integer(x);
        return tuple();
    }

    /** Pushes {@code _rebuild_tensor_v2(storage(key), offset, size, stride, False, OrderedDict())}. */
    PickleBuilder tensor(String storageType, String key, long storageNumel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(storageNumel).tuple();
        op('Q');
        integer(offset);
        ints(size);
        ints(stride);
        op(0x89);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple();
        return reduce();
    }

    private void le(long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }

    byte[] bytes() { return out.toByteArray(); }
}
