package dev.palate.engine.weights;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Tensor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Named tensors from one checkpoint: a {@code .safetensors} file, a sharded {@code *.safetensors.index.json}, a
 * {@code torch.save} file ({@code .pt/.pth/.bin}, zip or legacy format; wrapped in {@code {"state_dict": ...}} or not),
 * a {@code pytorch_model.bin.index.json}, or a folder holding one of these.
 *
 * <p>Tensors are CPU tensors in the file's dtype, zero-copy views on the memory-mapped file where possible (in a
 * torch file they keep the strides they were saved with). They are owned by this object: do not close them, and do
 * not use them after {@link #close()}; a model that outlives the StateDict keeps {@code .to(device, dtype)} copies.
 * {@link #stripPrefix}, {@link #renamed} and {@link #select} give views with other key names over the same open files;
 * closing any of them closes the files for all.
 *
 * <pre>
 * try (StateDict sd = StateDict.load(Path.of("open_clip_state.pt"))) {
 *     StateDict hf = sd.stripPrefix("module.").renamed(OPEN_CLIP_TO_HF);
 *     hf.requireKeys(model.expectedKeys(), Set.of("logit_bias"));
 *     Tensor w = hf.get("text_projection.weight"); // [D, W]
 * }
 * </pre>
 */
public final class StateDict implements AutoCloseable {
    /** In a folder, the first of these that exists is loaded. */
    static final List<String> FOLDER_FILES = List.of("model.safetensors.index.json", "model.safetensors",
            "pytorch_model.bin.index.json", "pytorch_model.bin", "open_clip_model.safetensors", "open_clip_pytorch_model.bin");

    private final Path source;
    private final List<TensorSource> files; // shared by every view
    private final Map<String, Located> keys; // name in this view -> file and name in the file; file order

    private record Located(TensorSource file, String fileKey) {}

    private StateDict(Path source, List<TensorSource> files, Map<String, Located> keys) {
        this.source = source;
        this.files = files;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * Opens a checkpoint file, an index of shards, or a folder holding one of {@link #FOLDER_FILES}. Only headers and
     * pickles are read here; tensor data are mapped on first use.
     *
     * @throws WeightFileException naming the file when it is missing, malformed, truncated, unsafe or not a state dict
     */
    public static StateDict load(Path fileOrIndexOrFolder) {
        Path p = fileOrIndexOrFolder;
        if (Files.isDirectory(p)) {
            Path found = null;
            for (String name : FOLDER_FILES) {
                if (Files.isRegularFile(p.resolve(name))) { found = p.resolve(name); break; }
            }
            if (found == null)
                throw new WeightFileException(p, "is a folder without weights: looked for " + String.join(", ", FOLDER_FILES)
                        + "; pass the weight file itself");
            p = found;
        }
        if (!Files.isRegularFile(p)) throw new WeightFileException(p, "no such file; check the path");
        String name = p.getFileName().toString();
        if (name.endsWith(".index.json")) return loadIndex(p);
        TensorSource f = openFile(p);
        Map<String, Located> keys = new LinkedHashMap<>();
        for (String k : f.keys()) keys.put(k, new Located(f, k));
        return new StateDict(p, List.of(f), keys);
    }

    private static TensorSource openFile(Path p) {
        if (p.getFileName().toString().endsWith(".safetensors") || looksLikeSafetensors(p)) return SafetensorsFile.open(p);
        return TorchPickleFile.open(p);
    }

    /** Safetensors whatever the name: a sane little-endian header length followed by '{'. */
    private static boolean looksLikeSafetensors(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(9);
            if (b.length < 9) return false;
            long len = 0;
            for (int i = 7; i >= 0; i--) len = (len << 8) | (b[i] & 0xFF);
            return len > 1 && len <= SafetensorsFile.MAX_HEADER_BYTES && b[8] == '{';
        } catch (IOException e) {
            throw new WeightFileException(p, "cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code {"weight_map": {"tensor name": "shard file name", ...}}}, shards beside the index. */
    private static StateDict loadIndex(Path index) {
        JsonObject weightMap;
        try (Reader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                    || !root.getAsJsonObject().get("weight_map").isJsonObject())
                throw new WeightFileException(index, "is not a shard index: it has no \"weight_map\" object");
            weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        } catch (IOException | RuntimeException e) {
            if (e instanceof WeightFileException w) throw w;
            throw new WeightFileException(index, "is not valid JSON (" + e.getMessage() + ")", e);
        }
        Map<String, TensorSource> shards = new LinkedHashMap<>();
        Map<String, Located> keys = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
                if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString())
                    throw new WeightFileException(index, "weight_map entry '" + e.getKey() + "' is not a shard file name");
                String shardName = e.getValue().getAsString();
                if (shardName.contains("/") || shardName.contains("\\"))
                    throw new WeightFileException(index, "shard '" + shardName + "' is not a plain file name beside the index");
                Path shard = index.resolveSibling(shardName);
                TensorSource f = shards.get(shardName);
                if (f == null) {
                    if (!Files.isRegularFile(shard))
                        throw new WeightFileException(index, "shard '" + shardName + "' (for tensor '" + e.getKey() + "') is missing;"
                                + " download every shard the index lists");
                    f = openFile(shard);
                    shards.put(shardName, f);
                }
                if (f.info(e.getKey()) == null)
                    throw new WeightFileException(index, "lists tensor '" + e.getKey() + "' in shard '" + shardName
                            + "', which does not hold it; the index and its shards do not match");
                keys.put(e.getKey(), new Located(f, e.getKey()));
            }
        } catch (RuntimeException e) {
            shards.values().forEach(TensorSource::close);
            throw e;
        }
        return new StateDict(index, List.copyOf(shards.values()), keys);
    }

    /** The file this was loaded from (the index for shards, the file found for a folder). */
    public Path source() { return source; }

    /** Tensor names, in file order. */
    public Set<String> keys() { return keys.keySet(); }

    public boolean contains(String key) { return keys.containsKey(key); }

    public int size() { return keys.size(); }

    /**
     * The CPU tensor of {@code key} in the file's dtype, owned by this StateDict (do not close it).
     *
     * @throws WeightFileException naming the file and the key when there is no such tensor
     */
    public Tensor get(String key) {
        Located l = locate(key);
        return l.file.tensor(l.fileKey);
    }

    /** Dtype and shape of {@code key}, read from the header or pickle without touching data. */
    public TensorInfo info(String key) {
        Located l = locate(key);
        return l.file.info(l.fileKey).withKey(key);
    }

    /** Every tensor's key, dtype and shape, in file order (for listings and debugging). */
    public List<TensorInfo> infos() {
        List<TensorInfo> out = new ArrayList<>(keys.size());
        for (String k : keys.keySet()) out.add(info(k));
        return out;
    }

    /** A listing for humans: the source, then one {@code key DTYPE [shape]} line per tensor, then the total size. */
    public String describe() {
        StringBuilder sb = new StringBuilder(source.toString()).append('\n');
        long bytes = 0;
        for (TensorInfo i : infos()) {
            sb.append("  ").append(i).append('\n');
            bytes += i.byteSize();
        }
        return sb.append(String.format("%d tensors, %.1f MiB", keys.size(), bytes / 1048576.0)).toString();
    }

    /** The safetensors {@code __metadata__} of a single-file checkpoint; empty otherwise. */
    public Map<String, String> metadata() { return files.size() == 1 ? files.get(0).metadata() : Map.of(); }

    /** Removes {@code prefix} from the keys that start with it (as torch's {@code consume_prefix_in_state_dict_if_present}). */
    public StateDict stripPrefix(String prefix) {
        return rekey(k -> k.startsWith(prefix) ? k.substring(prefix.length()) : k, "stripping '" + prefix + "'");
    }

    /** Only the keys under {@code prefix}, with the prefix removed: {@code select("visual.")} gives {@code proj}, .... */
    public StateDict select(String prefix) {
        Map<String, Located> out = new LinkedHashMap<>();
        keys.forEach((k, l) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), l); });
        return new StateDict(source, files, out);
    }

    /** Every key renamed by {@code map}. Two keys renamed to the same name is an error. */
    public StateDict renamed(KeyMap map) { return rekey(map::map, "renaming with " + map); }

    private StateDict rekey(UnaryOperator<String> f, String what) {
        Map<String, Located> out = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Map.Entry<String, Located> e : keys.entrySet()) {
            String nk = f.apply(e.getKey());
            String prev = from.put(nk, e.getKey());
            if (prev != null)
                throw new WeightFileException(source, "keys '" + prev + "' and '" + e.getKey() + "' both become '" + nk + "' when "
                        + what + "; fix the key map");
            out.put(nk, e.getValue());
        }
        return new StateDict(source, files, out);
    }

    /**
     * Checks that every {@code expected} key is present and that every other key is {@code knownUnused}; an entry of
     * {@code knownUnused} ending in {@code *} covers every key starting with what precedes it.
     *
     * @throws WeightFileException listing the missing and the unexpected keys, and the file
     */
    public void requireKeys(Set<String> expected, Set<String> knownUnused) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(keys.keySet());
        Set<String> unexpected = new TreeSet<>();
        for (String k : keys.keySet()) if (!expected.contains(k) && !covered(k, knownUnused)) unexpected.add(k);
        if (missing.isEmpty() && unexpected.isEmpty()) return;
        StringBuilder sb = new StringBuilder("does not match the model: ");
        if (!missing.isEmpty()) sb.append(missing.size()).append(" missing key(s) ").append(list(missing));
        if (!missing.isEmpty() && !unexpected.isEmpty()) sb.append("; ");
        if (!unexpected.isEmpty()) sb.append(unexpected.size()).append(" unexpected key(s) ").append(list(unexpected));
        sb.append(". Is this the right checkpoint for the model (and the right naming scheme)?");
        throw new WeightFileException(source, sb.toString());
    }

    private static boolean covered(String key, Set<String> knownUnused) {
        if (knownUnused.contains(key)) return true;
        for (String u : knownUnused) if (u.endsWith("*") && key.startsWith(u.substring(0, u.length() - 1))) return true;
        return false;
    }

    private static String list(Set<String> keys) {
        List<String> shown = new ArrayList<>();
        for (String k : keys) {
            if (shown.size() == 40) { shown.add("... " + (keys.size() - 40) + " more"); break; }
            shown.add(k);
        }
        return shown.toString();
    }

    private Located locate(String key) {
        Located l = keys.get(key);
        if (l == null) throw new WeightFileException(source, "no tensor '" + key + "' (" + keys.size() + " tensors; nearest: "
                + nearest(key) + ")");
        return l;
    }

    private String nearest(String key) {
        String best = null;
        int bestLen = -1;
        for (String k : keys.keySet()) {
            int n = 0;
            while (n < k.length() && n < key.length() && k.charAt(n) == key.charAt(n)) n++;
            if (n > bestLen) { bestLen = n; best = k; }
        }
        return best == null ? "none" : "'" + best + "'";
    }

    /** Closes the files (for this and every view made from it); their tensors become invalid. */
    @Override
    public void close() {
        for (TensorSource f : files) f.close();
    }

    @Override
    public String toString() { return "StateDict[" + source + ", " + keys.size() + " tensors]"; }
}
