package dev.palate.models.vgg;

import java.util.List;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.PerItemScoring;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.fid.RgbImage;

/** An image-only scorer: the style loss of each image to a fixed target (prompts are ignored). */
final class StyleLossScorer implements Scorer {
    private final MetricInfo info;
    private final Vgg19Features net;
    private final GramStyleLoss target;
    private boolean closed;

    StyleLossScorer(MetricInfo info, Vgg19Features net, GramStyleLoss target) {
        this.info = info;
        this.net = net;
        this.target = target;
    }

    @Override public MetricInfo metric() { return info; }

    /** The total and per-layer loss of one image (what {@link #score} reports as the total). */
    public synchronized GramStyleLoss.Loss loss(ImageInput image) {
        if (closed) throw new IllegalStateException("style-loss scorer is closed");
        return target.loss(rgb(image));
    }

    /** The RGB pixels this metric reads, kept with the image so that a prepared image need not stay decoded. */
    private RgbImage rgb(ImageInput image) {
        return image.derived(this, d -> new RgbImage(d.width(), d.height(), d.rgbBytes()));
    }

    @Override
    public void prepare(List<ImageInput> images) {
        images.parallelStream().forEach(i -> PerItemScoring.prepareError(i, this::rgb));
    }

    /** Each image's total loss; an image that cannot be decoded, or whose loss fails, fails alone. */
    @Override
    public ScoreResult score(String prompt, List<ImageInput> images) {
        return PerItemScoring.score(info, images, this::rgb, items -> {
            float[] v = new float[items.length];
            for (int k = 0; k < items.length; k++) v[k] = (float) loss(images.get(items[k])).total();
            return new ScoreResult(info, v);
        });
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) { return score((String) null, images); }

    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        ScoreResult r = score((String) null, images);
        float[][] values = new float[prompts.size()][];
        for (int m = 0; m < values.length; m++) values[m] = r.values().clone();
        return new ScoreMatrix(info, values, r.errors());
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        target.close();
        net.close();
    }
}
