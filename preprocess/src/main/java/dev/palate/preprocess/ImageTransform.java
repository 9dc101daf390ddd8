package dev.palate.preprocess;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.Tensors;

/** Turns a decoded image into a model's pixel input, {@code [3, S, S]} float32. */
public interface ImageTransform {
    /** S, the side of the square output. */
    int size();

    /** The transformed image, CHW row-major: {@code [3, S, S]}. */
    float[] apply(DecodedImage image);

    /**
     * The images transformed and stacked: a {@code [N, 3, S, S]} float32 CPU tensor, owned by the current
     * {@code NativeScope} (or by the caller when there is none). Images are transformed in parallel.
     */
    default Tensor toBatch(List<DecodedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("toBatch needs at least one image");
        int s = size();
        int per = 3 * s * s;
        float[] all = new float[images.size() * per];
        float[][] each = images.parallelStream().map(this::apply).toArray(float[][]::new);
        for (int i = 0; i < each.length; i++) System.arraycopy(each[i], 0, all, i * per, per);
        return Tensors.fromFloats(all, images.size(), 3, s, s);
    }
}
