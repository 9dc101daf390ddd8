package dev.palate.preprocess;

import java.util.List;

import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kBicubic;

import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * The shortest-side resize + center crop on a libtorch device, for large batches: each image is converted to RGB
 * on the CPU (P2 order, so palette and alpha images are not resized in their own mode), uploaded as uint8, resized
 * on the device with libtorch's antialiased bicubic on float values (the CUDA antialias kernel is float-only),
 * rounded and clamped to 0..255 as Pillow's 8-bit output is, cropped, scaled by 1/255 and normalised there.
 *
 * <p>Not pixel-exact: libtorch's antialiased bicubic is not Pillow's fixed-point filter. The difference from the
 * exact CPU transform is measured in {@code DeviceResizeCropTransformTest} (on the CPU device, same code path).
 */
public final class DeviceResizeCropTransform implements ImageTransform {
    private final int size;
    private final CropRounding rounding;
    private final Normalization normalization;
    private final Device device;

    public DeviceResizeCropTransform(int size, CropRounding rounding, Normalization normalization, Device device) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive: " + size);
        this.size = size;
        this.rounding = rounding;
        this.normalization = normalization;
        this.device = device;
    }

    @Override
    public int size() { return size; }

    public Device device() { return device; }

    @Override
    public float[] apply(DecodedImage image) {
        try (NativeScope scope = NativeScope.open()) {
            return Tensors.toFloats(transform(image, device.toTorch()));
        }
    }

    /** A {@code [N, 3, S, S]} float32 tensor on this transform's device, owned by the current scope or the caller. */
    @Override
    public Tensor toBatch(List<DecodedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("toBatch needs at least one image");
        try (NativeScope scope = NativeScope.open()) {
            org.bytedeco.pytorch.Device target = device.toTorch();
            TensorVector parts = new TensorVector();
            for (DecodedImage im : images) parts.push_back(transform(im, target).unsqueeze(0));
            return scope.detach(torch.cat(parts, 0));
        }
    }

    /** One image to {@code [3, S, S]} on the device; call inside a scope. */
    private Tensor transform(DecodedImage image, org.bytedeco.pytorch.Device target) {
        int w = image.width(), h = image.height();
        int[] wh = ResizeCropTransform.shortestSide(w, h, size);
        int nw = wh[0], nh = wh[1];
        Tensor x = Tensors.fromBytes(image.rgbBytes(), h, w, 3)              // [H, W, 3] uint8, CPU
                .to(target, torch.ScalarType.Byte)
                .permute(2, 0, 1).unsqueeze(0).to(torch.ScalarType.Float);     // [1, 3, H, W]
        if (nw != w || nh != h) {
            InterpolateFuncOptions options = new InterpolateFuncOptions();
            options.size().put(new LongVector(nh, nw));
            options.mode().put(new kBicubic());
            options.align_corners().put(false);
            options.antialias().put(true);
            x = torch.interpolate(x, options).round().clamp_min(new Scalar(0.0)).clamp_max(new Scalar(255.0)); // [1, 3, nh, nw]
        }
        int top = rounding.offset(nh, size), left = rounding.offset(nw, size);
        x = x.narrow(2, top, size).narrow(3, left, size).squeeze(0).div(new Scalar(255.0)); // [3, S, S]
        if (normalization == null) return x;
        Tensor mean = Tensors.fromFloats(normalization.mean(), 3, 1, 1).to(target, torch.ScalarType.Float);
        Tensor std = Tensors.fromFloats(normalization.std(), 3, 1, 1).to(target, torch.ScalarType.Float);
        return x.sub(mean).div(std);
    }
}
