package dev.palate.models.vgg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerOptions;
import dev.palate.models.fid.FidCalculator;
import dev.palate.models.fid.FidWeights;
import dev.palate.models.fid.RgbImage;

/**
 * The {@code style-loss} metric: VGG19 Gram-matrix loss of each image to the mean Gram matrices of a folder of
 * target style images. Roles: {@code style} (the folder, required; {@code --model style-loss:style=DIR}) and
 * {@code model} (torchvision's {@code vgg19-dcbb9e9d.pth}; default: torch hub's cache).
 */
public final class StyleLossScorerFactory implements ScorerFactory {
    public static final String STYLE = "style";

    static final MetricInfo INFO = new MetricInfo("style-loss",
            "VGG19 (torchvision) Gram loss to the mean Gram of target style images: sum over conv1_1..conv5_1 (pre-ReLU)"
                    + " of mean((G - G_target)^2), G = F F^T/(C H W), ImageNet-normalised input at native size",
            MetricInfo.Direction.LOWER_IS_BETTER, "non-negative, scale depends on the images (often 1e-6 to 1e-3)",
            0, Double.POSITIVE_INFINITY, false);

    @Override public String name() { return INFO.name(); }

    @Override public MetricInfo metric() { return INFO; }

    @Override public Map<String, String> defaultModels() { return Map.of(); }

    /** {@code style} is required; {@code model} falls back to torch hub's cache. */
    @Override public List<String> roles() { return List.of(STYLE, ScorerOptions.MODEL); }

    @Override
    public Scorer create(ScorerOptions options) {
        String style = options.model(STYLE);
        if (style == null)
            throw new IllegalArgumentException("style-loss needs a folder of target style images: --model style-loss:style=DIR");
        String model = options.model(ScorerOptions.MODEL);
        Path weights = FidWeights.locate(model == null ? null : Path.of(model), FidWeights.VGG19_FILE, FidWeights.VGG19_URL);
        List<RgbImage> targets = new ArrayList<>();
        for (Path p : FidCalculator.listImages(Path.of(style))) targets.add(RgbImage.read(p));
        Vgg19Features net = FidWeights.vgg19(weights, options.device());
        try {
            return new StyleLossScorer(INFO, net, GramStyleLoss.toTarget(net, targets));
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
