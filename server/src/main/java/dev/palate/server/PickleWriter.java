package dev.palate.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the replies of the reward-server protocol as pickle protocol 2, which every Python 3 {@code pickle.loads}
 * reads: dicts with str keys, lists, str, float, int, bool and None, and nothing else (no globals), opcodes as
 * CPython's pickler writes them for those types (Lib/pickle.py {@code save_dict}, {@code save_list},
 * {@code save_float}; no memo, as a reply has no shared values).
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PickleWriter() {}

    /** {@code pickle.dumps(value, protocol=2)} for a value made of the types above. */
    static byte[] dumps(Object value) {
        PickleWriter w = new PickleWriter();
        w.out.write(0x80); // PROTO 2
        w.out.write(2);
        w.save(value);
        w.out.write('.'); // STOP
        return w.out.toByteArray();
    }

    private void save(Object v) {
        if (v == null) {
            out.write('N'); // NONE
        } else if (v instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
        } else if (v instanceof Float || v instanceof Double) {
            out.write('G'); // BINFLOAT: big-endian IEEE double
            long bits = Double.doubleToRawLongBits(((Number) v).doubleValue());
            for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
        } else if (v instanceof Integer || v instanceof Long) {
            long x = ((Number) v).longValue();
            if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                out.write('J'); // BININT: 4 bytes little-endian
                le((int) x);
            } else {
                out.write(0x8a); // LONG1: 8 bytes, two's complement little-endian
                out.write(8);
                for (int i = 0; i < 8; i++) out.write((int) (x >>> (8 * i)));
            }
        } else if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X'); // BINUNICODE
            le(b.length);
            out.write(b, 0, b.length);
        } else if (v instanceof List<?> list) {
            out.write(']'); // EMPTY_LIST
            // CPython appends in batches of 1000 (MARK ... APPENDS); one batch reads the same
            if (!list.isEmpty()) {
                out.write('(');
                for (Object x : list) save(x);
                out.write('e'); // APPENDS
            }
        } else if (v instanceof Map<?, ?> map) {
            out.write('}'); // EMPTY_DICT
            if (!map.isEmpty()) {
                out.write('(');
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    save((String) e.getKey());
                    save(e.getValue());
                }
                out.write('u'); // SETITEMS
            }
        } else {
            throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName() + " in a reply");
        }
    }

    private void le(int x) {
        for (int i = 0; i < 4; i++) out.write(x >>> (8 * i));
    }
}
