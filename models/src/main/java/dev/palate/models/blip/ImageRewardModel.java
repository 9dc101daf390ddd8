package dev.palate.models.blip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.StateDict;

/**
 * ImageReward v1.0 (THUDM ImageReward.py {@code ImageReward.score}): BLIP ViT image tokens, the MED text encoder
 * cross-attending to them, the [CLS] hidden state (the tokenizer's [CLS] is kept, not replaced by [ENC]) → MLP head
 * in fp32 → {@code (r − 0.16717362830052426) / 1.0333394966054072}.
 *
 * <p>Batched: row i of the pixels pairs with row i of the ids, so one prompt over N images is N rows with the same
 * ids. Upstream scores one image at a time; batching changes nothing but float summation order.
 *
 * <pre>
 * try (ImageRewardModel m = ImageRewardModel.load(folder, Device.CPU, DType.F32);
 *      NativeScope s = NativeScope.open()) {
 *     float[] rewards = Tensors.toFloats(m.forward(pixels, ids, mask).reward());
 * }
 * </pre>
 */
public final class ImageRewardModel implements AutoCloseable {
    /** Weight files looked for in a folder, in this order. */
    public static final List<String> WEIGHT_FILES =
            List.of("model.safetensors", "model.safetensors.index.json", "ImageReward.pt");

    private final ImageRewardConfig config;
    private final Device device;
    private final DType dtype;
    private final WeightStore store;
    private final BlipVisionTransformer vision;
    private final MedTextEncoder text;
    private final RewardHead head;
    private final org.bytedeco.pytorch.Device torchDevice;

    /** What one forward pass computes, for parity checks; all tensors on the model's device. */
    public record Output(Tensor imageEmbeds, // [B, T, Wv] in the model dtype
                         Tensor textHidden,  // [B, L, H] in the model dtype
                         Tensor cls,         // [B, H] fp32
                         Tensor raw,         // [B] fp32, the MLP output
                         Tensor reward) {}   // [B] fp32, normalised

    private ImageRewardModel(ImageRewardConfig config, StateDict weights, Device device, DType dtype) {
        this.config = config;
        this.device = device;
        this.dtype = dtype;
        this.store = new WeightStore(weights, device);
        this.torchDevice = store.device();
        try (NativeScope s = NativeScope.open()) {
            this.vision = new BlipVisionTransformer(config.vision(), store, dtype);
            this.text = new MedTextEncoder(config.text(), store, dtype);
            this.head = new RewardHead(config.text().hiddenSize(), store);
            store.checkShapes(configHint(config));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Loads a folder (holding one of {@link #WEIGHT_FILES} plus {@code med_config.json}, optionally
     * {@code vision_config.json}) or a weight file (configs read from its folder), on {@code device} in {@code dtype}
     * (the head stays fp32).
     */
    public static ImageRewardModel load(Path fileOrFolder, Device device, DType dtype) {
        if (!dtype.isFloatingPoint() || dtype == DType.F64)
            throw new IllegalArgumentException("ImageReward runs in fp32, fp16 or bf16, not " + dtype.label());
        device.requireAvailable();
        Path file = weightFile(fileOrFolder);
        ImageRewardConfig config = ImageRewardConfig.fromFolder(file.toAbsolutePath().getParent());
        StateDict weights = StateDict.load(file);
        try {
            if (!weights.keys().isEmpty() && weights.keys().stream().allMatch(k -> k.startsWith("module.")))
                weights = weights.stripPrefix("module.");
            weights.requireKeys(ImageRewardKeys.shapes(config).keySet(), ImageRewardKeys.KNOWN_UNUSED);
        } catch (RuntimeException e) {
            weights.close();
            throw new IllegalArgumentException(e.getMessage() + " " + configHint(config), e);
        }
        return new ImageRewardModel(config, weights, device, dtype);
    }

    private static String configHint(ImageRewardConfig config) {
        return config.visionDeclared()
                ? "Check " + ImageRewardConfig.VISION_CONFIG + " and " + ImageRewardConfig.MED_CONFIG + " beside the weights."
                : "No " + ImageRewardConfig.VISION_CONFIG + " beside the weights, so BLIP ViT-L/16 at 224 was assumed;"
                  + " add one (image_size, patch_size, width, layers, heads) describing the tower.";
    }

    /** The weight file a path names: the file itself, or the first of {@link #WEIGHT_FILES} in a folder. */
    public static Path weightFile(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) return fileOrFolder;
        if (!Files.isDirectory(fileOrFolder))
            throw new IllegalArgumentException(fileOrFolder + " does not exist: pass an ImageReward folder or weight file");
        for (String name : WEIGHT_FILES) {
            Path p = fileOrFolder.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException(fileOrFolder + " holds none of " + WEIGHT_FILES + ": download ImageReward.pt"
                + " and med_config.json from THUDM/ImageReward into it");
    }

    public ImageRewardConfig config() { return config; }

    public Device device() { return device; }

    public DType dtype() { return dtype; }

    /** Side of the square input image. */
    public int imageSize() { return config.vision().imageSize(); }

    /** Pixels [B, 3, S, S] (any float dtype, any device) → image tokens [B, T, Wv]. */
    public Tensor encodeImages(Tensor pixels) {
        return vision.forward(pixels.to(torchDevice, dtype.scalarType()));
    }

    /**
     * Runs the whole model: {@code pixels} [B, 3, S, S], {@code ids} and {@code mask} [B, L] integer tensors
     * (row i of each belongs together). Call inside a {@link NativeScope}.
     */
    public Output forward(Tensor pixels, Tensor ids, Tensor mask) {
        Tensor image = encodeImages(pixels);
        Tensor hidden = text.forward(ids.to(torchDevice, DType.I64.scalarType()), mask.to(torchDevice, DType.I64.scalarType()),
                text.imageKeys(image));
        Tensor cls = hidden.select(1, 0).to(DType.F32.scalarType());
        Tensor raw = head.raw(cls);
        return new Output(image, hidden, cls, raw, head.normalise(raw));
    }

    /**
     * The text-independent part for a batch of images: image tokens and, per text layer, the cross-attention keys and
     * values. Score several prompts against the same images with {@link #rewards(EncodedImages, Tensor, Tensor)}.
     * Valid inside the {@link NativeScope} it was made in.
     */
    public EncodedImages encode(Tensor pixels) {
        Tensor tokens = encodeImages(pixels);
        return new EncodedImages(tokens, text.imageKeys(tokens));
    }

    /** Images prepared by {@link #encode}: {@code tokens} [B, T, Wv] and the text layers' cross-attention keys. */
    public static final class EncodedImages {
        private final Tensor tokens;
        private final MedTextEncoder.ImageKeys keys;

        private EncodedImages(Tensor tokens, MedTextEncoder.ImageKeys keys) {
            this.tokens = tokens;
            this.keys = keys;
        }

        public Tensor tokens() { return tokens; }

        public long size() { return tokens.size(0); }
    }

    /** Row i of {@code ids}/{@code mask} [B, L] against image i of {@code images} → rewards [B] fp32. */
    public Tensor rewards(EncodedImages images, Tensor ids, Tensor mask) {
        Tensor hidden = text.forward(ids.to(torchDevice, DType.I64.scalarType()), mask.to(torchDevice, DType.I64.scalarType()),
                images.keys);
        return head.normalise(head.raw(hidden.select(1, 0)));
    }

    @Override
    public void close() { store.close(); }
}
