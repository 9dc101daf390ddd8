package dev.palate.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fields of a Hugging Face {@code preprocessor_config.json} that {@code CLIPImageProcessor} uses.
 *
 * @param shortestEdge resize target of the short side ({@code size.shortest_edge} or an int {@code size}); with
 *                     {@code exactResize} the side of a square resize ({@code size.height == size.width})
 * @param crop         {@code crop_size} (square)
 * @param rescaleFactor {@code rescale_factor}, NaN when {@code do_rescale} is false
 * @param normalization {@code image_mean}/{@code image_std}, null when {@code do_normalize} is false
 */
public record HfPreprocessorConfig(int shortestEdge, boolean exactResize, int crop, double rescaleFactor,
                                   Normalization normalization) {
    public static final String FILE_NAME = "preprocessor_config.json";

    /** CLIPImageProcessor's defaults at the given size (OpenAI mean/std, rescale 1/255). */
    public static HfPreprocessorConfig defaults(int size) {
        return new HfPreprocessorConfig(size, false, size, 1 / 255.0, Normalization.OPENAI_CLIP);
    }

    /** Reads a config file, or {@code preprocessor_config.json} inside a folder. */
    public static HfPreprocessorConfig read(Path fileOrFolder) {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE_NAME) : fileOrFolder;
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot read the preprocessor config (" + e.getMessage() + ")", e);
        }
        try {
            return parse(o, file);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(file.toString())) throw e;
            throw new IllegalArgumentException(file + ": malformed preprocessor config (" + e.getMessage() + ")", e);
        }
    }

    private static HfPreprocessorConfig parse(JsonObject o, Path file) {
        if (!flag(o, "do_resize") || !flag(o, "do_center_crop"))
            throw new IllegalArgumentException(file + ": do_resize and do_center_crop must be true (CLIP preprocessing);"
                    + " other pipelines are not implemented");
        if (o.has("resample") && o.get("resample").getAsInt() != 3)
            throw new IllegalArgumentException(file + ": resample " + o.get("resample") + " is not bicubic (3); only"
                    + " Pillow BICUBIC is implemented");
        int shortest;
        boolean exact = false;
        JsonElement size = o.get("size");
        if (size == null) throw new IllegalArgumentException(file + ": no 'size'");
        if (size.isJsonPrimitive()) {
            shortest = size.getAsInt();
        } else if (size.getAsJsonObject().has("shortest_edge")) {
            shortest = size.getAsJsonObject().get("shortest_edge").getAsInt();
        } else {
            int h = size.getAsJsonObject().get("height").getAsInt(), w = size.getAsJsonObject().get("width").getAsInt();
            if (h != w) throw new IllegalArgumentException(file + ": non-square size " + h + "x" + w + " is not supported");
            shortest = h;
            exact = true;
        }
        JsonElement cropEl = o.get("crop_size");
        int crop;
        if (cropEl == null) crop = shortest;
        else if (cropEl.isJsonPrimitive()) crop = cropEl.getAsInt();
        else {
            int h = cropEl.getAsJsonObject().get("height").getAsInt(), w = cropEl.getAsJsonObject().get("width").getAsInt();
            if (h != w) throw new IllegalArgumentException(file + ": non-square crop_size " + h + "x" + w + " is not supported");
            crop = h;
        }
        double rescale = flag(o, "do_rescale") ? (o.has("rescale_factor") ? o.get("rescale_factor").getAsDouble() : 1 / 255.0) : Double.NaN;
        Normalization norm = null;
        if (flag(o, "do_normalize")) {
            norm = Normalization.OPENAI_CLIP;
            if (o.has("image_mean") || o.has("image_std"))
                norm = new Normalization(floats(o, "image_mean", Normalization.OPENAI_CLIP.mean()),
                        floats(o, "image_std", Normalization.OPENAI_CLIP.std()));
        }
        return new HfPreprocessorConfig(shortest, exact, crop, rescale, norm);
    }

    private static boolean flag(JsonObject o, String key) { return !o.has(key) || o.get(key).getAsBoolean(); }

    private static float[] floats(JsonObject o, String key, float[] fallback) {
        if (!o.has(key)) return fallback;
        var a = o.getAsJsonArray(key);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
        return out;
    }
}
