package dev.palate.engine.weights;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.engine.DType;

/**
 * A pickle reader for what {@code torch.save} writes, that executes nothing.
 *
 * <p>It reads the opcodes of protocols 2 to 4 that checkpoints use and builds plain Java values: {@code Long} /
 * {@code BigInteger}, {@code Double}, {@code String}, {@code byte[]}, {@code Boolean}, {@code null}, {@link Tuple},
 * {@code ArrayList}, {@code LinkedHashMap} (dict and {@code OrderedDict}). Of Python's globals it knows only an
 * allow-list ({@link #ALLOWED}), whose meaning it implements itself: {@code OrderedDict()}, the typed storage
 * classes, and torch's tensor and parameter rebuild functions, which give a {@link TensorRef} (storage, offset,
 * size, stride) without touching data. Any other global (e.g. {@code posix.system}, {@code builtins.eval}) is refused
 * when the {@code GLOBAL} opcode names it, before any call could be made, with an error naming the file.
 * Persistent ids (storages) are handed to a {@link PersistentLoader}.
 */
final class RestrictedUnpickler {
    /** A Python tuple. */
    record Tuple(List<Object> items) {
        Object get(int i) { return items.get(i); }

        int size() { return items.size(); }
    }

    /** An allow-listed global as pushed by {@code GLOBAL}. */
    record Global(String module, String name) {
        @Override
        public String toString() { return module + "." + name; }
    }

    /** A torch storage class, e.g. {@code torch.FloatStorage}: only ever an argument, never called. */
    record StorageType(String name, DType dtype) {}

    /** A tensor as torch rebuilds it: a view of {@code size}/{@code stride} at {@code offset} elements into a storage. */
    record TensorRef(Object storage, long offset, long[] size, long[] stride) {}

    /** Resolves a persistent id (for torch files, a storage tuple). */
    interface PersistentLoader {
        Object load(Object pid);
    }

    /** The globals a state-dict checkpoint needs, as {@code module.name}. */
    static final List<String> ALLOWED;
    private static final Map<String, DType> STORAGE_TYPES = new LinkedHashMap<>();

    static {
        STORAGE_TYPES.put("FloatStorage", DType.F32);
        STORAGE_TYPES.put("HalfStorage", DType.F16);
        STORAGE_TYPES.put("BFloat16Storage", DType.BF16);
        STORAGE_TYPES.put("DoubleStorage", DType.F64);
        STORAGE_TYPES.put("LongStorage", DType.I64);
        STORAGE_TYPES.put("IntStorage", DType.I32);
        STORAGE_TYPES.put("ShortStorage", DType.I16);
        STORAGE_TYPES.put("CharStorage", DType.I8);
        STORAGE_TYPES.put("ByteStorage", DType.U8);
        STORAGE_TYPES.put("BoolStorage", DType.BOOL);
        STORAGE_TYPES.put("UntypedStorage", DType.U8);
        List<String> allowed = new ArrayList<>(List.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
                "torch.Size"));
        for (String s : STORAGE_TYPES.keySet()) allowed.add("torch." + s);
        ALLOWED = List.copyOf(allowed);
    }

    private static final Object MARK_SENTINEL = new Object();

    private final InputStream in;
    private final Path file;
    private final PersistentLoader persistentLoader;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long opStart;

    RestrictedUnpickler(InputStream in, Path file, PersistentLoader persistentLoader) {
        this.in = in;
        this.file = file;
        this.persistentLoader = persistentLoader;
    }

    /** Bytes consumed so far (over every {@link #load()}). */
    long position() { return pos; }

    /** Reads one pickle, up to and including its STOP opcode, and returns its value. */
    Object load() {
        stack.clear();
        marks.clear();
        memo.clear();
        try {
            while (true) {
                opStart = pos;
                int op = u8();
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) throw bad("STOP with " + stack.size() + " values on the stack");
                    return stack.remove(0);
                }
                step(op);
            }
        } catch (EOFException e) {
            throw new WeightFileException(file, "the pickle ends before its STOP opcode (at byte " + pos + "); the file is truncated", e);
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private void step(int op) throws IOException {
        switch (op) {
            case 0x80 -> { // PROTO
                int v = u8();
                if (v > 5) throw bad("pickle protocol " + v + " is newer than any Palate knows");
            }
            case 0x95 -> bytes(8); // FRAME: a length hint only
            case '(' -> { marks.push(stack.size()); stack.add(MARK_SENTINEL); }
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) le(4, true));
            case 'K' -> push((long) u8());
            case 'M' -> push(le(2, false));
            case 0x8a -> push(longN(u8()));
            case 0x8b -> push(longN(length(le(4, true))));
            case 'G' -> push(Double.longBitsToDouble(new BigInteger(1, bytes(8)).longValue()));
            case 'X' -> push(utf8(bytes(length(le(4, false)))));
            case 0x8c -> push(utf8(bytes(u8())));
            case 0x8d -> push(utf8(bytes(length(le(8, false)))));
            case 'T' -> push(utf8(bytes(length(le(4, true)))));
            case 'U' -> push(utf8(bytes(u8())));
            case 'B' -> push(bytes(length(le(4, false))));
            case 'C' -> push(bytes(u8()));
            case 0x8e -> push(bytes(length(le(8, false))));
            case '}' -> push(new LinkedHashMap<>());
            case ']' -> push(new ArrayList<>());
            case ')' -> push(new Tuple(List.of()));
            case 'd' -> {
                List<Object> items = popMark();
                if (items.size() % 2 != 0) throw bad("DICT with an odd number of items");
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                push(m);
            }
            case 'l' -> push(new ArrayList<>(popMark()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(List.of(pop())));
            case 0x86 -> { Object b = pop(), a = pop(); push(tuple(Arrays.asList(a, b))); }
            case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(tuple(Arrays.asList(a, b, c))); }
            case 'a' -> { Object v = pop(); list(peek()).add(v); }
            case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); }
            case 's' -> { Object v = pop(), k = pop(); dict(peek()).put(k, v); }
            case 'u' -> {
                List<Object> items = popMark();
                if (items.size() % 2 != 0) throw bad("SETITEMS with an odd number of items");
                Map<Object, Object> m = dict(peek());
                for (int i = 0; i < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
            }
            case 'c' -> push(global(line(), line()));
            case 0x93 -> { Object name = pop(), module = pop(); push(global(string(module), string(name))); }
            case 'R' -> { Object args = pop(), callable = pop(); push(reduce(callable, args)); }
            case 'b' -> build();
            case 'Q' -> push(persistentLoader.load(pop()));
            case 'q' -> memo.put((long) u8(), peek());
            case 'r' -> memo.put(le(4, false), peek());
            case 'p' -> memo.put(parseLong(line()), peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(le(4, false)));
            case 'g' -> push(memoGet(parseLong(line())));
            case 0x81, 0x92, 'i', 'o' -> throw bad("opcode " + opName(op) + " creates arbitrary objects; refused. A weights-only"
                    + " checkpoint does not need it: convert the file to safetensors in a trusted environment");
            default -> throw bad("unsupported pickle opcode " + opName(op) + "; this is not a torch.save state dict Palate can read");
        }
    }

    private Object global(String module, String name) {
        String qualified = module + "." + name;
        if (!ALLOWED.contains(qualified))
            throw new WeightFileException(file, "the pickle references the global '" + qualified + "' (at byte " + opStart
                    + "), which is not allowed: Palate reads only tensors and dicts (allowed: " + String.join(", ", ALLOWED)
                    + "). Nothing was executed. The file may be malicious or may hold more than weights; if you trust it,"
                    + " convert it to safetensors with Python");
        if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) return new StorageType(name, STORAGE_TYPES.get(name));
        return new Global(module, name);
    }

    private Object reduce(Object callable, Object argsObj) {
        if (!(callable instanceof Global g)) throw bad("REDUCE on " + describe(callable) + ", which is not callable");
        if (!(argsObj instanceof Tuple args)) throw bad("REDUCE of " + g + " without an argument tuple");
        switch (g.toString()) {
            case "collections.OrderedDict": {
                Map<Object, Object> m = new LinkedHashMap<>();
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        if (!(p instanceof Tuple t) || t.size() != 2) throw bad("OrderedDict of something other than pairs");
                        m.put(t.get(0), t.get(1));
                    }
                } else if (args.size() != 0) {
                    throw bad("OrderedDict called with " + args.size() + " arguments");
                }
                return m;
            }
            case "torch._utils._rebuild_tensor_v2":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.size() < 4 || args.size() > 7) throw bad(g + " with " + args.size() + " arguments");
                return tensorRef(args);
            case "torch._utils._rebuild_tensor":
                // (storage, storage_offset, size, stride)
                if (args.size() != 4) throw bad(g + " with " + args.size() + " arguments");
                return tensorRef(args);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                // (data, requires_grad, backward_hooks[, state]): the parameter is its data for inference
                if (args.size() < 1 || !(args.get(0) instanceof TensorRef)) throw bad(g + " without a tensor");
                return args.get(0);
            case "torch.Size":
                if (args.size() != 1 || !(args.get(0) instanceof Tuple)) throw bad("torch.Size without a tuple");
                return args.get(0);
            default:
                throw bad(g + " cannot be called");
        }
    }

    private TensorRef tensorRef(Tuple args) {
        long offset = integer(args.get(1), "storage offset");
        long[] size = ints(args.get(2), "size");
        long[] stride = ints(args.get(3), "stride");
        if (size.length != stride.length) throw bad("tensor with " + size.length + " sizes but " + stride.length + " strides");
        return new TensorRef(args.get(0), offset, size, stride);
    }

    private void build() {
        pop(); // the state: for an OrderedDict, its _metadata attribute (module versions), which loading ignores
        Object target = peek();
        if (!(target instanceof Map)) throw bad("BUILD on " + describe(target) + " is not supported");
    }

    private long[] ints(Object o, String what) {
        if (!(o instanceof Tuple t)) throw bad("tensor " + what + " is " + describe(o) + ", not a tuple");
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(t.get(i), what);
        return out;
    }

    private long integer(Object o, String what) {
        if (o instanceof Long l && l >= 0) return l;
        throw bad("tensor " + what + " is " + describe(o) + ", not a non-negative integer");
    }

    // ---- stack

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK_SENTINEL) throw bad("stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK_SENTINEL) throw bad("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK on the stack");
        int m = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) throw bad("memo key " + key + " was never stored");
        return memo.get(key);
    }

    private static Tuple tuple(List<Object> items) { return new Tuple(java.util.Collections.unmodifiableList(new ArrayList<>(items))); }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw bad("APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw bad("SETITEM on " + describe(o));
    }

    private String string(Object o) {
        if (o instanceof String s) return s;
        throw bad("STACK_GLOBAL with " + describe(o) + " instead of a name");
    }

    // ---- input

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        pos++;
        return b;
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n); // grows as data arrive, so a lying length cannot allocate gigabytes up front
        if (b.length != n) throw new EOFException();
        pos += n;
        return b;
    }

    /** A little-endian integer of {@code n} bytes. */
    private long le(int n, boolean signed) throws IOException {
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xFF);
        if (signed && n < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
        return v;
    }

    private Object longN(int n) throws IOException {
        if (n == 0) return 0L;
        byte[] b = bytes(n);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = b[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private int length(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 16) throw bad("implausible length " + n);
        return (int) n;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = u8(); b != '\n'; b = u8()) {
            if (sb.length() > 1024) throw bad("line too long");
            sb.append((char) b);
        }
        return sb.toString();
    }

    private long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw bad("bad memo key '" + s + "'");
        }
    }

    private static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    private WeightFileException bad(String what) {
        return new WeightFileException(file, "malformed or unsupported pickle at byte " + opStart + ": " + what);
    }

    private static String opName(int op) {
        return (op >= 0x20 && op < 0x7f ? "'" + (char) op + "' " : "") + String.format("(0x%02x)", op);
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Tuple) return "a tuple";
        if (o instanceof Map) return "a dict";
        if (o instanceof List) return "a list";
        if (o instanceof TensorRef) return "a tensor";
        if (o instanceof String s) return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        return "a " + o.getClass().getSimpleName() + " (" + o + ")";
    }
}
