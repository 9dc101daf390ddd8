package dev.palate.server;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pickle that holds only data, as a reward client's {@code pickle.dumps(payload)} does, and executes nothing.
 *
 * <p>Values: {@code Long} or {@code BigInteger} (int), {@code Double} (float), {@code String} (str), {@code byte[]}
 * (bytes, bytearray), {@code Boolean}, {@code null} (None), {@code ArrayList} (list), {@code LinkedHashMap} (dict),
 * {@link Tuple} (tuple) and {@code LinkedHashSet} (set, frozenset). Every opcode CPython's pickler writes for those
 * types in protocols 0 to 5 is read. The one global allowed is {@code _codecs.encode}, and the one call allowed is
 * that global applied to {@code (str, 'latin1')}: protocols 0 to 2 have no bytes opcode and pickle {@code bytes} as
 * that call (CPython Lib/pickle.py {@code save_bytes}); it is evaluated here as Latin-1 encoding, not called.
 *
 * <p>Refused with {@link PickleRefusedException#unsafe}: any other GLOBAL/STACK_GLOBAL (at the opcode that names it,
 * before anything could use it), any other REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, PERSID, BINPERSID, EXT1/2/4
 * and the out-of-band buffer opcodes. Lengths are checked against the bytes left before anything is allocated, and
 * nothing recurses, so a hostile body costs at most its own size. Ported opcode by opcode from CPython 3.11
 * Lib/pickle.py {@code _Unpickler}; opcode names are as in Lib/pickletools.py.
 */
public final class DataUnpickler {
    /** A Python tuple (immutable). */
    public record Tuple(List<Object> items) {
        public Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /** The result of {@code GLOBAL _codecs encode}: only ever REDUCEd with (str, 'latin1'). */
    private enum CodecsEncode { INSTANCE }

    private static final Object MARK = new Object();
    private static final int MAX_TEXT_LINE = 4096;
    private static final int MAX_LONG_BYTES = 4096;

    private final byte[] data;
    private int pos;
    private int opStart;
    private final List<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private DataUnpickler(byte[] data) {
        this.data = data;
    }

    /**
     * The value {@code pickle} holds.
     *
     * @throws PickleRefusedException when it asks for anything beyond data, or is malformed; nothing was executed
     */
    public static Object load(byte[] pickle) {
        return new DataUnpickler(pickle).run();
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            if (op == '.') { // STOP
                if (stack.size() != 1 || !marks.isEmpty()) throw malformed("STOP with " + stack.size() + " values on the stack");
                return stack.get(0);
            }
            step(op);
        }
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> { // PROTO
                int v = u8();
                if (v > 5) throw malformed("pickle protocol " + v + " is newer than 5");
            }
            case 0x95 -> bytes(8); // FRAME: a length hint only
            case '(' -> { marks.add(stack.size()); stack.add(MARK); } // MARK
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'N' -> push(null); // NONE
            case 0x88 -> push(Boolean.TRUE); // NEWTRUE
            case 0x89 -> push(Boolean.FALSE); // NEWFALSE
            case 'I' -> push(textInt(line())); // INT (protocol 0: "I01" and "I00" are True and False)
            case 'L' -> push(textLong(line())); // LONG
            case 'J' -> push((long) le(4, true)); // BININT
            case 'K' -> push((long) u8()); // BININT1
            case 'M' -> push(le(2, false)); // BININT2
            case 0x8a -> push(longN(u8())); // LONG1
            case 0x8b -> push(longN(length(le(4, true), MAX_LONG_BYTES))); // LONG4
            case 'F' -> push(textFloat(line())); // FLOAT
            case 'G' -> push(Double.longBitsToDouble(be8())); // BINFLOAT: big-endian IEEE double
            case 'V' -> push(rawUnicodeEscape(line())); // UNICODE (protocol 0)
            case 'X' -> push(utf8(length(le(4, false)))); // BINUNICODE
            case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
            case 0x8d -> push(utf8(length(le(8, false)))); // BINUNICODE8
            case 'B' -> push(bytes(length(le(4, false)))); // BINBYTES
            case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
            case 0x8e -> push(bytes(length(le(8, false)))); // BINBYTES8
            case 0x96 -> push(bytes(length(le(8, false)))); // BYTEARRAY8 (protocol 5): a bytearray is bytes here
            case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
            case ']' -> push(new ArrayList<>()); // EMPTY_LIST
            case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
            case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
            case 'd' -> push(dictOf(popMark(), "DICT")); // DICT
            case 'l' -> push(new ArrayList<>(popMark())); // LIST
            case 't' -> push(new Tuple(popMark())); // TUPLE
            case 0x85 -> push(new Tuple(Collections.singletonList(pop()))); // TUPLE1
            case 0x86 -> { Object b = pop(), a = pop(); push(new Tuple(Arrays.asList(a, b))); } // TUPLE2
            case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(new Tuple(Arrays.asList(a, b, c))); } // TUPLE3
            case 'a' -> { Object v = pop(); list(peek(), "APPEND").add(v); } // APPEND
            case 'e' -> { List<Object> items = popMark(); list(peek(), "APPENDS").addAll(items); } // APPENDS
            case 's' -> { Object v = pop(), k = pop(); dict(peek(), "SETITEM").put(k, v); } // SETITEM
            case 'u' -> { List<Object> items = popMark(); dict(peek(), "SETITEMS").putAll(dictOf(items, "SETITEMS")); } // SETITEMS
            case 0x90 -> { List<Object> items = popMark(); set(peek(), "ADDITEMS").addAll(items); } // ADDITEMS
            case 0x91 -> push(new LinkedHashSet<>(popMark())); // FROZENSET
            case 'p' -> memo.put(memoKey(line()), peek()); // PUT
            case 'q' -> memo.put((long) u8(), peek()); // BINPUT
            case 'r' -> memo.put(le(4, false), peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'g' -> push(memoGet(memoKey(line()))); // GET
            case 'h' -> push(memoGet(u8())); // BINGET
            case 'j' -> push(memoGet(le(4, false))); // LONG_BINGET
            case 'c' -> { String module = line(), name = line(); push(global(module, name)); } // GLOBAL
            case 0x93 -> { Object name = pop(), module = pop(); push(global(globalPart(module), globalPart(name))); } // STACK_GLOBAL
            case 'R' -> { Object args = pop(), callable = pop(); push(reduce(callable, args)); } // REDUCE
            case 'b' -> throw unsafe("BUILD sets an object's state"); // BUILD
            case 'i' -> throw unsafe("INST creates an object of a named class"); // INST
            case 'o' -> throw unsafe("OBJ creates an object"); // OBJ
            case 0x81 -> throw unsafe("NEWOBJ creates an object"); // NEWOBJ
            case 0x92 -> throw unsafe("NEWOBJ_EX creates an object"); // NEWOBJ_EX
            case 'P', 'Q' -> throw unsafe((op == 'P' ? "PERSID" : "BINPERSID") + " asks the reader to resolve a persistent id");
            case 0x82, 0x83, 0x84 -> throw unsafe("EXT" + (op == 0x82 ? 1 : op == 0x83 ? 2 : 4) + " names a global through the copyreg extension registry");
            case 0x97, 0x98 -> throw unsafe((op == 0x97 ? "NEXT_BUFFER" : "READONLY_BUFFER") + " needs out-of-band buffers, which a request body cannot carry");
            case 'S', 'T', 'U' -> throw malformed("opcode " + opName(op) + " is a Python 2 str; send str or bytes from Python 3");
            default -> throw malformed("unknown pickle opcode " + opName(op));
        }
    }

    /** Only {@code _codecs.encode}; anything else is refused where it is named, before it could be called. */
    private Object global(String module, String name) {
        if (module.equals("_codecs") && name.equals("encode")) return CodecsEncode.INSTANCE;
        throw unsafe("the pickle references the global '" + module + "." + name + "'; a request may hold only data"
                + " (dict, list, tuple, str, bytes, int, float, bool, None), and the only global allowed is _codecs.encode,"
                + " as protocol 2 pickles bytes");
    }

    /** {@code _codecs.encode(text, 'latin1')} → the Latin-1 bytes of text; any other call is refused. */
    private Object reduce(Object callable, Object args) {
        if (callable != CodecsEncode.INSTANCE) throw unsafe("REDUCE calls " + describe(callable) + "; only _codecs.encode(str, 'latin1') is allowed");
        if (!(args instanceof Tuple t) || t.items().size() != 2 || !(t.items().get(0) instanceof String text)
                || !"latin1".equals(t.items().get(1)))
            throw unsafe("REDUCE calls _codecs.encode with " + describe(args) + "; only (str, 'latin1') is allowed, as protocol 2 pickles bytes");
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) throw malformed("_codecs.encode(..., 'latin1') of a str with U+" + String.format("%04X", (int) c)
                    + ", which Latin-1 cannot encode");
            out[i] = (byte) c;
        }
        return out;
    }

    // ---- stack

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw malformed("stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw malformed("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw malformed("no MARK on the stack");
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) throw malformed("memo key " + key + " was never stored");
        return memo.get(key);
    }

    private Map<Object, Object> dictOf(List<Object> items, String op) {
        if (items.size() % 2 != 0) throw malformed(op + " with an odd number of items");
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
        return m;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String op) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw malformed(op + " to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw malformed(op + " on " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object o, String op) {
        if (o instanceof LinkedHashSet<?> s) return (Set<Object>) s;
        throw malformed(op + " on " + describe(o));
    }

    private String globalPart(Object o) {
        if (o instanceof String s) return s;
        throw malformed("STACK_GLOBAL with " + describe(o) + " instead of a name");
    }

    // ---- input

    private int u8() {
        if (pos >= data.length) throw malformed("the pickle ends before its STOP opcode");
        return data[pos++] & 0xFF;
    }

    private byte[] bytes(int n) {
        if (n > data.length - pos) throw malformed("a value of " + n + " bytes runs past the end of the pickle");
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    private String utf8(int n) {
        if (n > data.length - pos) throw malformed("a str of " + n + " bytes runs past the end of the pickle");
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A little-endian integer of {@code n} bytes. */
    private long le(int n, boolean signed) {
        if (n > data.length - pos) throw malformed("the pickle ends inside an opcode argument");
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (data[pos + i] & 0xFF);
        if (signed && n < 8 && (data[pos + n - 1] & 0x80) != 0) v -= 1L << (8 * n);
        pos += n;
        return v;
    }

    private long be8() {
        if (8 > data.length - pos) throw malformed("the pickle ends inside a float");
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (data[pos + i] & 0xFF);
        pos += 8;
        return v;
    }

    /** LONG1/LONG4: two's complement, little-endian. */
    private Object longN(int n) {
        if (n == 0) return 0L;
        byte[] b = bytes(n);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = b[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private int length(long n) {
        return length(n, Integer.MAX_VALUE);
    }

    private int length(long n, int max) {
        if (n < 0 || n > max || n > data.length - pos) throw malformed("a length of " + n + " runs past the end of the pickle");
        return (int) n;
    }

    /** The text up to the next newline (protocol 0 arguments and GLOBAL names), as Latin-1 characters. */
    private String line() {
        int start = pos;
        while (true) {
            if (pos >= data.length) throw malformed("the pickle ends inside a text argument");
            if (data[pos] == '\n') break;
            if (pos - start > MAX_TEXT_LINE) throw malformed("a text argument longer than " + MAX_TEXT_LINE + " bytes");
            pos++;
        }
        String s = new String(data, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    private Object textInt(String s) {
        if (s.equals("00")) return Boolean.FALSE;
        if (s.equals("01")) return Boolean.TRUE;
        return textLong(s);
    }

    private Object textLong(String s) {
        String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        try {
            BigInteger v = new BigInteger(t.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw malformed("'" + s + "' is not an integer");
        }
    }

    private Double textFloat(String s) {
        String t = s.trim();
        switch (t) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw malformed("'" + s + "' is not a float");
                }
        }
    }

    /** Python's raw-unicode-escape decoding: \\uXXXX and \\UXXXXXXXX escapes, every other byte is Latin-1. */
    private String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int digits = c == '\\' && i + 1 < s.length() ? (s.charAt(i + 1) == 'u' ? 4 : s.charAt(i + 1) == 'U' ? 8 : 0) : 0;
            if (digits == 0) {
                out.append(c);
                continue;
            }
            if (i + 2 + digits > s.length()) throw malformed("a truncated \\u escape in UNICODE");
            try {
                out.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 2 + digits), 16));
            } catch (IllegalArgumentException e) {
                throw malformed("a bad \\u escape in UNICODE");
            }
            i += 1 + digits;
        }
        return out.toString();
    }

    private long memoKey(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw malformed("bad memo key '" + s + "'");
        }
    }

    private PickleRefusedException unsafe(String what) {
        return PickleRefusedException.unsafe("pickle refused at byte " + opStart + ": " + what + ". Nothing was executed");
    }

    private PickleRefusedException malformed(String what) {
        return PickleRefusedException.malformed("malformed pickle at byte " + opStart + ": " + what);
    }

    private static String opName(int op) {
        return (op >= 0x20 && op < 0x7f ? "'" + (char) op + "' " : "") + String.format("(0x%02x)", op);
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o == CodecsEncode.INSTANCE) return "_codecs.encode";
        if (o instanceof Tuple t) return "a tuple of " + t.items().size();
        if (o instanceof Map) return "a dict";
        if (o instanceof List) return "a list";
        if (o instanceof Set) return "a set";
        if (o instanceof byte[] b) return "bytes of length " + b.length;
        if (o instanceof String s) return "the str '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (o instanceof Boolean b) return b ? "True" : "False";
        if (o instanceof Double) return "the float " + o;
        return "the int " + o;
    }
}
