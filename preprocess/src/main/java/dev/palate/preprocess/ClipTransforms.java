package dev.palate.preprocess;

import java.nio.file.Files;
import java.nio.file.Path;

/** The CLIP-family preprocessing variants of models.md §1.3, by the model families that use them. */
public final class ClipTransforms {
    private ClipTransforms() {}

    /**
     * P1, open_clip / OpenAI CLIP / ImageReward / LAION aesthetic: Pillow BICUBIC resize of the short side to S in the
     * image's own mode, center crop with Python rounding, {@code convert("RGB")}, OpenAI mean/std.
     */
    public static ResizeCropTransform openClip(int size) {
        return openClip(size, Normalization.OPENAI_CLIP);
    }

    /** P1 with another normalisation. */
    public static ResizeCropTransform openClip(int size, Normalization normalization) {
        return new ResizeCropTransform(size, false, size, false, CropRounding.PYTHON_ROUND, null, normalization);
    }

    /**
     * P2, Hugging Face {@code CLIPImageProcessor} (PickScore, ICT, HP, CLIP Score): {@code convert("RGB")} first,
     * the same resize, floor crop offsets, sizes and mean/std from {@code preprocessor_config.json}.
     *
     * @param preprocessorConfigOrNull the config file, or a model folder (its {@code preprocessor_config.json} is
     *                                 used when present), or null for CLIPImageProcessor's defaults at {@code size}
     */
    public static ResizeCropTransform huggingFace(Path preprocessorConfigOrNull, int size) {
        HfPreprocessorConfig c = HfPreprocessorConfig.defaults(size);
        Path p = preprocessorConfigOrNull;
        if (p != null && Files.isDirectory(p)) p = Files.exists(p.resolve(HfPreprocessorConfig.FILE_NAME)) ? p.resolve(HfPreprocessorConfig.FILE_NAME) : null;
        if (p != null) c = HfPreprocessorConfig.read(p);
        return huggingFace(c);
    }

    /** P2 from an already parsed config. */
    public static ResizeCropTransform huggingFace(HfPreprocessorConfig c) {
        return new ResizeCropTransform(c.shortestEdge(), c.exactResize(), c.crop(), true, CropRounding.FLOOR,
                c.rescaleFactor(), c.normalization());
    }

    /** P3, HPSv2's scorer: longest side to S with torch bicubic without antialias, zero pad, OpenAI mean/std. */
    public static ResizeMaxPadTransform hpsv2(int size) {
        return new ResizeMaxPadTransform(size, false, Normalization.OPENAI_CLIP);
    }

    /**
     * P3 with torch's antialiased bicubic when {@code antialias} (torchvision ≥ 0.17's default for tensors, what a fresh
     * HPSv2 install runs; within 1.2e-6 of torchvision 0.29.1 on the fixture images), else {@link #hpsv2(int)}.
     */
    public static ResizeMaxPadTransform hpsv2(int size, boolean antialias) {
        return new ResizeMaxPadTransform(size, antialias, Normalization.OPENAI_CLIP);
    }

    /**
     * The resize + crop on a libtorch device for large batches (RGB first, libtorch antialiased bicubic): close to,
     * not equal to, P1/P2 — see {@link DeviceResizeCropTransform}.
     */
    public static DeviceResizeCropTransform onDevice(int size, CropRounding rounding, dev.palate.engine.Device device) {
        return new DeviceResizeCropTransform(size, rounding, Normalization.OPENAI_CLIP, device);
    }
}
