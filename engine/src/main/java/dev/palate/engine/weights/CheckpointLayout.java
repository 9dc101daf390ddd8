package dev.palate.engine.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.engine.weights.RestrictedUnpickler.TensorRef;

/**
 * Finds the state dict inside an unpickled checkpoint. The rules, in order, at each level:
 * <ol>
 *   <li>a dict whose values are all tensors is the state dict;</li>
 *   <li>else a dict holding a dict under one of {@link #WRAPPERS} (first match wins; HPSv2 and open_clip training
 *       checkpoints use {@code state_dict}, other tools {@code model} or {@code module}) is unwrapped and the rules
 *       apply again; its other entries (epoch, optimizer, ...) are ignored;</li>
 *   <li>else a tree of dicts whose leaves are all tensors is flattened with dotted keys
 *       ({@code {"visual": {"proj": t}}} gives {@code visual.proj});</li>
 *   <li>anything else is refused with a list of what the top level holds.</li>
 * </ol>
 */
final class CheckpointLayout {
    static final List<String> WRAPPERS = List.of("state_dict", "model_state_dict", "model", "module");

    /** The tensors and where they were found ("" for the top level, else e.g. "state_dict"). */
    record Found(Map<String, TensorRef> tensors, String wrapperPath) {}

    private CheckpointLayout() {}

    static Found find(Path file, Object root) {
        if (root instanceof TensorRef)
            throw new WeightFileException(file, "holds a single tensor, not a state dict (a dict of named tensors)");
        if (!(root instanceof Map<?, ?> map))
            throw new WeightFileException(file, "holds " + RestrictedUnpickler.describe(root) + ", not a state dict");
        String path = "";
        while (true) {
            if (allTensors(map)) return new Found(stringKeys(file, map, path), path);
            Map<?, ?> inner = null;
            for (String w : WRAPPERS) {
                if (map.get(w) instanceof Map<?, ?> m) {
                    inner = m;
                    path = path.isEmpty() ? w : path + "." + w;
                    break;
                }
            }
            if (inner == null) break;
            map = inner;
        }
        Map<String, TensorRef> flat = new LinkedHashMap<>();
        if (flattenTree(map, "", flat)) return new Found(flat, path);
        throw new WeightFileException(file, "does not look like a state dict" + (path.isEmpty() ? "" : " under '" + path + "'")
                + ": it holds " + summary(map) + ". Palate reads a dict of tensors, possibly nested or wrapped under one of "
                + WRAPPERS + "; convert the checkpoint to safetensors holding only the weights");
    }

    private static boolean allTensors(Map<?, ?> map) {
        for (Object v : map.values()) if (!(v instanceof TensorRef)) return false;
        return true;
    }

    private static Map<String, TensorRef> stringKeys(Path file, Map<?, ?> map, String path) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k))
                throw new WeightFileException(file, "a tensor" + (path.isEmpty() ? "" : " under '" + path + "'") + " has the key "
                        + RestrictedUnpickler.describe(e.getKey()) + "; state dict keys are strings");
            out.put(k, (TensorRef) e.getValue());
        }
        return out;
    }

    private static boolean flattenTree(Map<?, ?> map, String prefix, Map<String, TensorRef> out) {
        if (map.isEmpty()) return false;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) return false;
            Object v = e.getValue();
            if (v instanceof TensorRef t) out.put(prefix + k, t);
            else if (v instanceof Map<?, ?> m) {
                if (!flattenTree(m, prefix + k + ".", out)) return false;
            } else return false;
        }
        return true;
    }

    private static String summary(Map<?, ?> map) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (parts.size() == 12) { parts.add("... (" + map.size() + " entries)"); break; }
            parts.add(e.getKey() + " (" + RestrictedUnpickler.describe(e.getValue()) + ")");
        }
        return map.isEmpty() ? "an empty dict" : String.join(", ", parts);
    }
}
