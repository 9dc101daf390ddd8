package dev.palate.preprocess.qwen2vl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.preprocess.Normalization;

/**
 * The fields of a Qwen2-VL {@code preprocessor_config.json} that the image processor uses, with transformers 5.18's
 * class defaults for absent keys ({@code Qwen2VLImageProcessorPil}: do_resize, BICUBIC, rescale 1/255, normalise with
 * OpenAI CLIP mean/std, RGB conversion, patch 14, temporal patch 2, merge 2, pixels 56·56 … 28·28·1280).
 *
 * @param minPixels         smart_resize's lower area bound: top-level {@code min_pixels}, else {@code size.shortest_edge}
 *                          (the processor's {@code __init__} lets {@code min_pixels} override {@code size})
 * @param maxPixels         the upper bound: {@code max_pixels}, else {@code size.longest_edge}
 * @param patchSize         {@code patch_size}, the vision encoder's spatial patch side
 * @param temporalPatchSize {@code temporal_patch_size}: a still image is repeated this many times along T
 * @param mergeSize         {@code merge_size}: patches merged per side into one LLM token; sizes are multiples of
 *                          {@code patchSize · mergeSize}
 * @param doResize          {@code do_resize}; without it the image's sides must already be multiples of that factor
 * @param rescaleFactor     {@code rescale_factor}, NaN when {@code do_rescale} is false
 * @param normalization     {@code image_mean}/{@code image_std}, null when {@code do_normalize} is false
 */
public record Qwen2VlImageConfig(long minPixels, long maxPixels, int patchSize, int temporalPatchSize, int mergeSize,
                                 boolean doResize, double rescaleFactor, Normalization normalization) {
    public static final String FILE_NAME = "preprocessor_config.json";

    /** {@code image_processor_type} values this reads; absent is accepted too. */
    private static final Set<String> PROCESSOR_TYPES = Set.of("Qwen2VLImageProcessor", "Qwen2VLImageProcessorFast",
            "Qwen2VLImageProcessorPil", "Qwen2_5_VLImageProcessor");

    /** Pillow's {@code Image.BICUBIC}, the only {@code resample} implemented. */
    private static final int PIL_BICUBIC = 3;

    public Qwen2VlImageConfig {
        if (patchSize <= 0 || temporalPatchSize <= 0 || mergeSize <= 0)
            throw new IllegalArgumentException("patch_size, temporal_patch_size and merge_size must be positive: "
                    + patchSize + ", " + temporalPatchSize + ", " + mergeSize);
        if (minPixels < 0 || maxPixels <= 0 || minPixels > maxPixels)
            throw new IllegalArgumentException("need 0 <= min_pixels <= max_pixels, got " + minPixels + " and " + maxPixels);
    }

    /** transformers 5.18's defaults for a config without any field ({@code Qwen2VLImageProcessorPil} class attributes). */
    public static Qwen2VlImageConfig defaults() {
        return new Qwen2VlImageConfig(56 * 56, 28 * 28 * 1280, 14, 2, 2, true, 1 / 255.0, Normalization.OPENAI_CLIP);
    }

    /** {@code Qwen/Qwen2-VL-7B-Instruct}'s preprocessor_config.json (pixels 3136 … 12845056), which HPSv3 loads. */
    public static Qwen2VlImageConfig qwen2Vl7bInstruct() {
        return new Qwen2VlImageConfig(3136, 12845056, 14, 2, 2, true, 1 / 255.0, Normalization.OPENAI_CLIP);
    }

    /** The side every resized size is a multiple of: {@code patchSize · mergeSize}. */
    public int factor() { return patchSize * mergeSize; }

    /** Columns of a pixel_values row: {@code 3 · temporalPatchSize · patchSize²}. */
    public int patchDim() { return 3 * temporalPatchSize * patchSize * patchSize; }

    /** The same config with other area bounds. */
    public Qwen2VlImageConfig withPixelBounds(long min, long max) {
        return new Qwen2VlImageConfig(min, max, patchSize, temporalPatchSize, mergeSize, doResize, rescaleFactor, normalization);
    }

    /**
     * Reads a config file, or {@code preprocessor_config.json} inside a folder. Unsupported values (a resample other
     * than BICUBIC, {@code do_convert_rgb: false}, a {@code size} without pixel bounds, another processor type) are
     * errors naming the file and the field; keys the processor does not use are ignored.
     */
    public static Qwen2VlImageConfig read(Path fileOrFolder) {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE_NAME) : fileOrFolder;
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot read the preprocessor config (" + e.getMessage() + ")", e);
        }
        try {
            return parse(o);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": malformed preprocessor config (" + e + ")", e);
        }
    }

    /** A problem with one field; {@link #read} prefixes the file. */
    private static final class ConfigException extends RuntimeException {
        ConfigException(String message) { super(message); }
    }

    private static Qwen2VlImageConfig parse(JsonObject o) {
        if (o.has("image_processor_type") && !PROCESSOR_TYPES.contains(o.get("image_processor_type").getAsString()))
            throw new ConfigException("image_processor_type " + o.get("image_processor_type") + " is not a Qwen2-VL"
                    + " image processor (expected one of " + PROCESSOR_TYPES + "); pass the model's own preprocessor_config.json");
        if (o.has("resample") && o.get("resample").getAsInt() != PIL_BICUBIC)
            throw new ConfigException("resample " + o.get("resample") + " is not Pillow BICUBIC (3); only BICUBIC is implemented");
        if (o.has("do_convert_rgb") && !o.get("do_convert_rgb").getAsBoolean())
            throw new ConfigException("do_convert_rgb false is not supported (every image is converted to RGB)");
        Qwen2VlImageConfig d = defaults();
        long min = d.minPixels(), max = d.maxPixels();
        JsonElement size = o.get("size");
        if (size != null && !size.isJsonNull()) {
            if (!size.isJsonObject())
                throw new ConfigException("size " + size + " is not a {shortest_edge, longest_edge} object");
            JsonObject s = size.getAsJsonObject();
            // Older saves wrote size {min_pixels, max_pixels}; 5.18 reads top-level min/max_pixels, accepted here too.
            min = s.has("shortest_edge") ? s.get("shortest_edge").getAsLong() : s.has("min_pixels") ? s.get("min_pixels").getAsLong() : -1;
            max = s.has("longest_edge") ? s.get("longest_edge").getAsLong() : s.has("max_pixels") ? s.get("max_pixels").getAsLong() : -1;
        }
        if (o.has("min_pixels") && !o.get("min_pixels").isJsonNull()) min = o.get("min_pixels").getAsLong();
        if (o.has("max_pixels") && !o.get("max_pixels").isJsonNull()) max = o.get("max_pixels").getAsLong();
        if (min < 0 || max < 0)
            throw new ConfigException("size " + size + " needs shortest_edge and longest_edge (pixel bounds), or give"
                    + " min_pixels and max_pixels");
        int patch = integer(o, "patch_size", d.patchSize());
        int temporal = integer(o, "temporal_patch_size", d.temporalPatchSize());
        int merge = integer(o, "merge_size", d.mergeSize());
        boolean doResize = flag(o, "do_resize");
        double rescale = flag(o, "do_rescale") ? (o.has("rescale_factor") ? o.get("rescale_factor").getAsDouble() : d.rescaleFactor()) : Double.NaN;
        Normalization norm = null;
        if (flag(o, "do_normalize"))
            norm = new Normalization(floats(o, "image_mean", Normalization.OPENAI_CLIP.mean()),
                    floats(o, "image_std", Normalization.OPENAI_CLIP.std()));
        try {
            return new Qwen2VlImageConfig(min, max, patch, temporal, merge, doResize, rescale, norm);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static boolean flag(JsonObject o, String key) { return !o.has(key) || o.get(key).isJsonNull() || o.get(key).getAsBoolean(); }

    private static int integer(JsonObject o, String key, int fallback) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : fallback;
    }

    /** NumPy's {@code np.array(list_of_python_floats, dtype=float32)}: each double rounded to float. */
    private static float[] floats(JsonObject o, String key, float[] fallback) {
        if (!o.has(key) || o.get(key).isJsonNull()) return fallback;
        if (!o.get(key).isJsonArray() || o.getAsJsonArray(key).size() != 3)
            throw new ConfigException(key + " " + o.get(key) + " must be a list of 3 numbers (one per RGB channel)");
        JsonArray a = o.getAsJsonArray(key);
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) out[i] = (float) a.get(i).getAsDouble();
        return out;
    }
}
