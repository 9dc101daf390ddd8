package dev.palate.models;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.Tensors;
import dev.palate.preprocess.ImageTransform;

/** Stacks images through a model's transform, reusing what {@link Scorer#prepare} computed ahead. */
public final class ImageBatches {
    private ImageBatches() {}

    /** {@code [N, 3, S, S]} float32 CPU, owned by the current scope; images not prepared yet are done in parallel. */
    public static Tensor stack(List<ImageInput> images, ImageTransform transform) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images to stack");
        int s = transform.size();
        int per = 3 * s * s;
        float[][] each = images.parallelStream().map(i -> i.pixels(transform)).toArray(float[][]::new);
        float[] all = new float[images.size() * per];
        for (int i = 0; i < each.length; i++) System.arraycopy(each[i], 0, all, i * per, per);
        return Tensors.fromFloats(all, images.size(), 3, s, s);
    }

    /**
     * Decodes and transforms the images now, in parallel (for {@link Scorer#prepare}); failures are left for scoring
     * to report.
     */
    public static void prepare(List<ImageInput> images, ImageTransform transform) {
        images.parallelStream().forEach(image -> {
            try {
                image.pixels(transform);
            } catch (RuntimeException e) {
                // score() reports it for this image only
            }
        });
    }
}
