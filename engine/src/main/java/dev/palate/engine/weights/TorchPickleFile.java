package dev.palate.engine.weights;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.weights.RestrictedUnpickler.StorageType;
import dev.palate.engine.weights.RestrictedUnpickler.TensorRef;
import dev.palate.engine.weights.RestrictedUnpickler.Tuple;

/**
 * A checkpoint written by {@code torch.save}: the zip format (torch ≥ 1.6: {@code <name>/data.pkl} plus one STORED,
 * 64-byte aligned record {@code <name>/data/<key>} per storage) or the legacy stream (magic number, protocol
 * version and sys-info pickles, the main pickle, the list of storage keys, then per storage an 8-byte element count
 * and its raw bytes). The pickle is read by {@link RestrictedUnpickler}; the tensors are views on the mapped file
 * (see torch/serialization.py {@code _load} and {@code _legacy_load}). CRCs are not checked: that would read all data.
 */
final class TorchPickleFile implements TensorSource {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    private static final int MAX_PICKLE_BYTES = Integer.MAX_VALUE - 64;

    /** A storage: {@code numel} elements of {@code dtype}, whose bytes start at file offset {@code dataOffset} (set once known). */
    private static final class Storage {
        final String key;
        final DType dtype;
        final long numel;
        long dataOffset = -1;

        Storage(String key, DType dtype, long numel) {
            this.key = key;
            this.dtype = dtype;
            this.numel = numel;
        }
    }

    /** What a persistent id resolves to: a root storage, seen from {@code offset} elements on, {@code numel} long. */
    private record StorageView(Storage root, long offset, long numel) {}

    private final Path path;
    private final Map<String, TensorRef> refs; // file order
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final String wrapperPath;
    private final MappedFile mapped;
    private final Map<String, Tensor> tensors = new HashMap<>();

    private TorchPickleFile(Path path, long fileSize, CheckpointLayout.Found found) {
        this.path = path;
        this.refs = found.tensors();
        this.wrapperPath = found.wrapperPath();
        this.mapped = new MappedFile(path, fileSize);
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            StorageView sv = checkView(e.getKey(), e.getValue());
            infos.put(e.getKey(), new TensorInfo(e.getKey(), sv.root.dtype, e.getValue().size()));
        }
    }

    /** Opens a zip or legacy torch checkpoint (told apart by the first bytes). */
    static TorchPickleFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] head = new byte[(int) Math.min(4, size)];
            SafetensorsFile.readFully(ch, 0, head.length, path).get(head);
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return openZip(path, ch, size);
            if (head.length >= 2 && (head[0] & 0xFF) == 0x80 && head[1] == 2) return openLegacy(path, ch, size);
            throw new WeightFileException(path, "is neither a torch zip checkpoint nor a legacy torch checkpoint (unknown first bytes)");
        } catch (IOException e) {
            throw new WeightFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    // ---- zip format

    private static TorchPickleFile openZip(Path path, FileChannel ch, long size) throws IOException {
        ZipDirectory zip = ZipDirectory.read(path, ch);
        String prefix = null;
        for (String name : zip.records().keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("constants.pkl"))
                throw new WeightFileException(path, "is a TorchScript archive (torch.jit.save), not a state dict; save the"
                        + " model's state_dict() with torch.save or as safetensors");
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (prefix != null) throw new WeightFileException(path, "holds two data.pkl records; not a torch.save checkpoint");
                prefix = name.substring(0, slash + 1);
            }
        }
        if (prefix == null)
            throw new WeightFileException(path, "is a zip archive without a <name>/data.pkl record; not a torch.save checkpoint");
        ZipDirectory.Record order = zip.get(prefix + "byteorder");
        if (order != null) {
            String bo = new String(readRecord(path, ch, order), StandardCharsets.US_ASCII).trim();
            if (!bo.equals("little"))
                throw new WeightFileException(path, "was saved with byte order '" + bo + "'; Palate reads little-endian checkpoints only");
        }
        Map<String, Storage> storages = new HashMap<>();
        String dataPrefix = prefix + "data/";
        RestrictedUnpickler.PersistentLoader loader = pid -> {
            // ('storage', storage_type, key, location, numel)
            Storage s = declareStorage(path, storages, storageTuple(path, pid, 5));
            return new StorageView(s, 0, s.numel);
        };
        byte[] pickle = readRecord(path, ch, zip.get(prefix + "data.pkl"));
        Object root = new RestrictedUnpickler(new ByteArrayInputStream(pickle), path, loader).load();
        for (Storage s : storages.values()) {
            ZipDirectory.Record r = zip.get(dataPrefix + s.key);
            if (r == null) throw new WeightFileException(path, "storage record '" + dataPrefix + s.key + "' is missing; the file is corrupt");
            if (!r.stored())
                throw new WeightFileException(path, "storage record '" + r.name() + "' is compressed (zip method " + r.method()
                        + "); Palate maps tensors without copying and needs them stored, as torch.save writes them."
                        + " Re-save the checkpoint with torch.save or convert it to safetensors");
            long nbytes = Math.multiplyExact(s.numel, (long) s.dtype.byteSize());
            if (r.size() < nbytes)
                throw new WeightFileException(path, "storage record '" + r.name() + "' holds " + r.size() + " bytes but its tensors"
                        + " need " + nbytes + "; the file is corrupt");
            s.dataOffset = r.dataStart();
        }
        return new TorchPickleFile(path, size, CheckpointLayout.find(path, root));
    }

    private static byte[] readRecord(Path path, FileChannel ch, ZipDirectory.Record r) throws IOException {
        if (r.compressedSize() > MAX_PICKLE_BYTES || r.size() > MAX_PICKLE_BYTES)
            throw new WeightFileException(path, "record '" + r.name() + "' is too large to be a pickle");
        byte[] raw = new byte[(int) r.compressedSize()];
        SafetensorsFile.readFully(ch, r.dataStart(), raw.length, path).get(raw);
        if (r.stored()) return raw;
        if (r.method() != 8)
            throw new WeightFileException(path, "record '" + r.name() + "' uses zip compression method " + r.method() + ", which Palate cannot read");
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(raw), new Inflater(true))) {
            byte[] out = in.readNBytes((int) r.size());
            if (out.length != r.size()) throw new WeightFileException(path, "record '" + r.name() + "' inflates to fewer bytes than declared");
            return out;
        }
    }

    // ---- legacy format

    private static TorchPickleFile openLegacy(Path path, FileChannel ch, long size) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(0)), 1 << 16);
        Map<String, Storage> storages = new LinkedHashMap<>();
        RestrictedUnpickler.PersistentLoader loader = pid -> {
            // ('storage', storage_type, root_key, location, numel, view_metadata)
            Tuple t = storageTuple(path, pid, 6);
            Storage root = declareStorage(path, storages, t);
            Object view = t.get(5);
            if (view == null) return new StorageView(root, 0, root.numel);
            // view_metadata = (view_key, offset, view_size), in elements: a slice of the root storage
            if (!(view instanceof Tuple v) || v.size() != 3) throw new WeightFileException(path, "malformed storage view metadata");
            long offset = nonNegative(path, v.get(1), "storage view offset");
            long viewNumel = nonNegative(path, v.get(2), "storage view size");
            if (offset + viewNumel > root.numel) throw new WeightFileException(path, "storage view outside storage '" + root.key + "'");
            return new StorageView(root, offset, viewNumel);
        };
        RestrictedUnpickler u = new RestrictedUnpickler(in, path, loader);
        Object magic = u.load();
        if (!LEGACY_MAGIC.equals(magic))
            throw new WeightFileException(path, "starts with a pickle but not torch's magic number; not a torch checkpoint");
        Object protocol = u.load();
        if (!(protocol instanceof Long p) || p != LEGACY_PROTOCOL)
            throw new WeightFileException(path, "legacy torch format version " + protocol + " is not " + LEGACY_PROTOCOL);
        if (u.load() instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian")))
            throw new WeightFileException(path, "was saved on a big-endian machine; Palate reads little-endian checkpoints only");
        Object root = u.load();
        Object keys = u.load();
        if (!(keys instanceof List<?> keyList)) throw new WeightFileException(path, "the storage key list is missing; the file is corrupt");
        long offset = u.position();
        for (Object k : keyList) {
            Storage s = storages.get(string(path, k, "storage key"));
            if (s == null) throw new WeightFileException(path, "storage '" + k + "' is listed but no tensor uses it; the file is corrupt");
            if (offset + 8 > size) throw truncated(path, s.key);
            long count = SafetensorsFile.readFully(ch, offset, 8, path).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (count != s.numel)
                throw new WeightFileException(path, "storage '" + s.key + "' holds " + count + " elements but the pickle says "
                        + s.numel + "; the file is corrupt");
            s.dataOffset = offset + 8;
            offset = s.dataOffset + Math.multiplyExact(count, (long) s.dtype.byteSize());
            if (offset > size) throw truncated(path, s.key);
        }
        for (Storage s : storages.values())
            if (s.dataOffset < 0) throw new WeightFileException(path, "storage '" + s.key + "' has no data; the file is corrupt");
        return new TorchPickleFile(path, size, CheckpointLayout.find(path, root));
    }

    /**
     * The storage a persistent id ({@code 'storage', storage_type, key, location, numel, ...}) names, registered on
     * first sight; a second declaration must agree on type and size.
     */
    private static Storage declareStorage(Path path, Map<String, Storage> storages, Tuple t) {
        DType dtype = ((StorageType) t.get(1)).dtype();
        String key = string(path, t.get(2), "storage key");
        long numel = nonNegative(path, t.get(4), "storage size");
        Storage s = storages.computeIfAbsent(key, k -> new Storage(k, dtype, numel));
        if (s.dtype != dtype || s.numel != numel)
            throw new WeightFileException(path, "storage '" + key + "' is declared twice with different types or sizes");
        return s;
    }

    private static WeightFileException truncated(Path path, String key) {
        return new WeightFileException(path, "the data of storage '" + key + "' run past the end of the file; the file is truncated");
    }

    // ---- persistent ids

    private static Tuple storageTuple(Path path, Object pid, int arity) {
        if (pid instanceof Tuple t && t.size() > 0 && "module".equals(t.get(0)))
            throw new WeightFileException(path, "holds a pickled nn.Module (torch.save(model)), not a state dict; save"
                    + " model.state_dict() instead, or convert to safetensors");
        if (!(pid instanceof Tuple t) || t.size() != arity || !"storage".equals(t.get(0)))
            throw new WeightFileException(path, "unexpected persistent id " + RestrictedUnpickler.describe(pid)
                    + " (expected a " + arity + "-element ('storage', ...) tuple)");
        if (!(t.get(1) instanceof StorageType))
            throw new WeightFileException(path, "persistent id with storage type " + RestrictedUnpickler.describe(t.get(1)));
        return t;
    }

    private static String string(Path path, Object o, String what) {
        if (o instanceof String s) return s;
        throw new WeightFileException(path, what + " is " + RestrictedUnpickler.describe(o) + ", not a string");
    }

    private static long nonNegative(Path path, Object o, String what) {
        if (o instanceof Long l && l >= 0) return l;
        throw new WeightFileException(path, what + " is " + RestrictedUnpickler.describe(o) + ", not a non-negative integer");
    }

    // ---- tensors

    private StorageView checkView(String key, TensorRef ref) {
        if (!(ref.storage() instanceof StorageView sv))
            throw new WeightFileException(path, "tensor '" + key + "' is not built on a storage");
        long maxIndex = ref.offset();
        boolean empty = false;
        for (int i = 0; i < ref.size().length; i++) {
            if (ref.size()[i] == 0) empty = true;
            else maxIndex = Math.addExact(maxIndex, Math.multiplyExact(ref.size()[i] - 1, ref.stride()[i]));
        }
        if (!empty && maxIndex >= sv.numel)
            throw new WeightFileException(path, "tensor '" + key + "' (size " + Arrays.toString(ref.size()) + ", stride "
                    + Arrays.toString(ref.stride()) + ", offset " + ref.offset() + ") reaches past its storage of " + sv.numel
                    + " elements; the file is corrupt");
        return sv;
    }

    /** Where the state dict was inside the pickle: "" for the top level, else e.g. "state_dict". */
    String wrapperPath() { return wrapperPath; }

    @Override
    public Path file() { return path; }

    @Override
    public Set<String> keys() { return Collections.unmodifiableSet(refs.keySet()); }

    @Override
    public TensorInfo info(String key) { return infos.get(key); }

    @Override
    public Map<String, String> metadata() { return Map.of(); }

    @Override
    public synchronized Tensor tensor(String key) {
        TensorRef ref = refs.get(key);
        if (ref == null) throw new WeightFileException(path, "no tensor '" + key + "' (the file has " + refs.size() + " tensors)");
        return tensors.computeIfAbsent(key, k -> {
            StorageView sv = (StorageView) ref.storage();
            Storage root = sv.root;
            return mapped.strided(root.dataOffset, root.dtype, root.numel, ref.size(), ref.stride(), sv.offset + ref.offset());
        });
    }

    @Override
    public synchronized void close() {
        tensors.clear();
        mapped.close();
    }
}
