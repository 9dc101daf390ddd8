package dev.palate.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.ImageTransform;

class ImageBatchesTest {
    private static final Path IMAGES = Path.of(System.getProperty("palate.testdata")).resolve("clip/images");

    @Test
    void preparedPixelsAreKeptPerTransformAndStackExactlyLikeTheTransformsOwnBatch() {
        ImageTransform p1 = ClipTransforms.openClip(56), p3 = ClipTransforms.hpsv2(56);
        List<ImageInput> images = List.of(ImageInput.of(IMAGES.resolve("rgba_300x300.png")), ImageInput.of(IMAGES.resolve("tiny_37x53.png")));
        ImageBatches.prepare(images, p1);
        float[] first = images.get(0).pixels(p1);
        assertSame(first, images.get(0).pixels(p1), "computed once per transform");
        try (NativeScope s = NativeScope.open()) {
            for (ImageTransform t : List.of(p1, p3)) {
                float[] stacked = Tensors.toFloats(ImageBatches.stack(images, t));
                float[] reference = Tensors.toFloats(t.toBatch(images.stream().map(ImageInput::decoded).toList()));
                assertArrayEquals(reference, stacked, 0f);
            }
        }
    }
}
