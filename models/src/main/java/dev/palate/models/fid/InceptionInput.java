package dev.palate.models.fid;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.Tensors;

/**
 * How images become the Inception's [N,3,H,W] float32 input in [0,1].
 *
 * <ul>
 *   <li>{@link Mode#LEGACY} — pytorch-fid: {@code ToTensor()} at native size (x/255); the network itself resizes
 *       bilinearly (no antialias) to 299. All images of one batch must share a size.</li>
 *   <li>{@link Mode#CLEAN} — clean-fid's "clean" resize (cleanfid/resize.py {@code make_resizer("PIL", False,
 *       "bicubic", (299, 299))}): each channel as a float32 PIL 'F' image, PIL BICUBIC to 299×299, clipped to
 *       [0, 255], then /255. The network's own resize is then the identity.</li>
 * </ul>
 */
public final class InceptionInput {
    public enum Mode {
        LEGACY("legacy"), CLEAN("clean");

        private final String label;
        Mode(String label) { this.label = label; }
        public String label() { return label; }

        public static Mode parse(String s) {
            for (Mode m : values()) if (m.label.equalsIgnoreCase(s)) return m;
            throw new IllegalArgumentException("unknown FID mode '" + s + "': use legacy (pytorch-fid) or clean (clean-fid resize)");
        }
    }

    private InceptionInput() {}

    /** [N,3,H,W] float32 in [0,1] on the CPU, owned by the current scope. */
    public static Tensor batch(List<RgbImage> images, Mode mode) {
        if (images.isEmpty()) throw new IllegalArgumentException("empty batch");
        if (mode == Mode.CLEAN) {
            int s = 299;
            float[] all = new float[images.size() * 3 * s * s];
            for (int i = 0; i < images.size(); i++) {
                float[] chw = PilFloatBicubic.resizeRgb(images.get(i), s, s);
                for (int j = 0; j < chw.length; j++) all[i * chw.length + j] = chw[j] / 255f;
            }
            return Tensors.fromFloats(all, images.size(), 3, s, s);
        }
        return toTensor01(images);
    }

    /**
     * torchvision {@code to_tensor} of same-size RGB images: [N,3,H,W] float32, uint8/255, on the CPU.
     */
    public static Tensor toTensor01(List<RgbImage> images) {
        int w = images.get(0).width(), h = images.get(0).height();
        float[] all = new float[images.size() * 3 * w * h];
        int plane = w * h;
        for (int i = 0; i < images.size(); i++) {
            RgbImage im = images.get(i);
            if (im.width() != w || im.height() != h)
                throw new IllegalArgumentException("images of one batch must share a size (pytorch-fid batches at native size): "
                        + w + "x" + h + " vs " + im.width() + "x" + im.height() + "; use --batch-size 1 or --mode clean");
            byte[] px = im.rgb();
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                // torchvision to_tensor: uint8 → float32 then div(255)
                all[base + p] = (px[3 * p] & 0xFF) / 255f;
                all[base + plane + p] = (px[3 * p + 1] & 0xFF) / 255f;
                all[base + 2 * plane + p] = (px[3 * p + 2] & 0xFF) / 255f;
            }
        }
        return Tensors.fromFloats(all, images.size(), 3, h, w);
    }
}
