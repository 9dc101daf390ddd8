package dev.palate.models.vgg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.fid.InceptionInput;
import dev.palate.models.fid.RgbImage;

/**
 * The Gatys style loss on VGG19 Gram matrices (models.md §2.10): per layer G = F·Fᵀ/(C·H·W) with F the conv output
 * (before ReLU) reshaped [C, H·W]; loss = Σ_layers mean((G_a − G_b)²) over the C×C entries, layer weights 1.
 * Images run at their native size (one at a time; the Gram normalisation makes sizes comparable).
 *
 * <p>The {@code style-loss} metric: the target is the mean Gram matrix of a folder of style images, and each generated
 * image scores its loss to that target (lower is better), with the per-layer terms.
 */
public final class GramStyleLoss implements AutoCloseable {
    /** Total and per-layer terms (layer name → mean squared Gram difference). */
    public record Loss(double total, Map<String, Double> perLayer) {}

    private final Vgg19Features net;
    private final List<Tensor> targetGrams; // per layer [C, C], float32 on the network's device

    private GramStyleLoss(Vgg19Features net, List<Tensor> targetGrams) {
        this.net = net;
        this.targetGrams = targetGrams;
    }

    /** A target from style images: the element-wise mean of their Gram matrices per layer. */
    public static GramStyleLoss toTarget(Vgg19Features net, List<RgbImage> styleImages) {
        if (styleImages.isEmpty()) throw new IllegalArgumentException("style-loss needs at least one target style image");
        List<Tensor> sums = new ArrayList<>();
        try (NativeScope s = NativeScope.open()) {
            for (RgbImage im : styleImages) {
                try (NativeScope inner = NativeScope.open()) {
                    List<Tensor> grams = grams(net, im);
                    for (int l = 0; l < grams.size(); l++) {
                        if (sums.size() <= l) sums.add(inner.detach(grams.get(l).clone()));
                        else sums.get(l).add_(grams.get(l));
                    }
                }
            }
            List<Tensor> means = new ArrayList<>();
            for (Tensor sum : sums) means.add(s.detach(sum.div(new Scalar((double) styleImages.size()))));
            return new GramStyleLoss(net, means);
        }
    }

    /** The loss of {@code image} to this target. */
    public Loss loss(RgbImage image) {
        try (NativeScope s = NativeScope.open()) {
            return between(grams(net, image), targetGrams);
        }
    }

    /** The loss between two images (the fixture's comparison). */
    public static Loss between(Vgg19Features net, RgbImage a, RgbImage b) {
        try (NativeScope s = NativeScope.open()) {
            return between(grams(net, a), grams(net, b));
        }
    }

    /** Gram matrices [C, C] of one image's style layers, float32. */
    public static List<Tensor> grams(Vgg19Features net, RgbImage image) {
        List<Tensor> out = new ArrayList<>();
        Tensor x = InceptionInput.toTensor01(List.of(image));              // [1, 3, H, W]
        for (Tensor f : net.styleActivations(x)) out.add(gram(f).squeeze(0));
        return out;
    }

    /** G = F·Fᵀ/(C·H·W) per image: [N, C, H, W] → [N, C, C]. */
    public static Tensor gram(Tensor features) {
        long n = features.size(0), c = features.size(1), hw = features.size(2) * features.size(3);
        Tensor f = features.reshape(n, c, hw);                                // [N, C, H·W]
        return f.bmm(f.transpose(1, 2)).div(new Scalar((double) (c * hw)));   // [N, C, C]
    }

    private static Loss between(List<Tensor> ga, List<Tensor> gb) {
        Map<String, Double> per = new LinkedHashMap<>();
        double total = 0;
        int l = 0;
        for (String layer : Vgg19Features.STYLE_LAYERS.keySet()) {
            Tensor d = ga.get(l).sub(gb.get(l));
            double v = Tensors.toDoubles(d.mul(d).mean())[0];               // float32 mean, as torch.mean
            per.put(layer, v);
            total += v;
            l++;
        }
        return new Loss(total, per);
    }

    @Override
    public void close() {
        targetGrams.forEach(Tensor::close);
    }
}
