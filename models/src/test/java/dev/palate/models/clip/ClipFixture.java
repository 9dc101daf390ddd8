package dev.palate.models.clip;

import java.nio.file.Path;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;

/** Test support: the golden outputs of one testdata/clip/clip-tiny-* model, read into Java arrays. */
final class ClipFixture {
    final Path dir;
    final float[] pixelValues, hpsv2PixelValues;      // [N, 3, S, S]
    final long[] pixelShape;
    final int[][] inputIds;                           // [M][77]
    final float[][] imageEmbeds, textEmbeds, hpsv2ImageEmbeds; // [N][E], [M][E]
    final float[][] cosine, hpsv2Cosine;              // [N][M]
    final float logitScale;
    final String imageOrderJson;

    ClipFixture(String name) {
        dir = Path.of(System.getProperty("palate.testdata")).resolve("clip").resolve(name);
        try (StateDict e = StateDict.load(dir.resolve("expected.safetensors"))) {
            pixelValues = Tensors.toFloats(e.get("pixel_values"));
            hpsv2PixelValues = Tensors.toFloats(e.get("hpsv2_pixel_values"));
            pixelShape = e.info("pixel_values").shape();
            long[] ids = Tensors.toLongs(e.get("input_ids"));
            int m = (int) e.info("input_ids").shape()[0], c = (int) e.info("input_ids").shape()[1];
            inputIds = new int[m][c];
            for (int i = 0; i < ids.length; i++) inputIds[i / c][i % c] = (int) ids[i];
            imageEmbeds = rows(e, "image_embeds");
            textEmbeds = rows(e, "text_embeds");
            hpsv2ImageEmbeds = rows(e, "hpsv2_image_embeds");
            cosine = rows(e, "cosine");
            hpsv2Cosine = rows(e, "hpsv2_cosine");
            logitScale = Tensors.toFloats(e.get("logit_scale"))[0];
            imageOrderJson = e.metadata().get("image_order");
        }
    }

    private static float[][] rows(StateDict e, String key) {
        float[] flat = Tensors.toFloats(e.get(key));
        long[] shape = e.info(key).shape();
        int r = (int) shape[0], c = (int) shape[1];
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) throw new AssertionError("row counts differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) throw new AssertionError("row " + i + " widths differ");
            for (int j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
        }
        return m;
    }

    /** cos[n][m] of normalised image n and text m, fp32 as the scorers compute it. */
    static float[][] cosines(float[][] images, float[][] texts) {
        float[][] ni = Embeddings.l2Normalize(images), nt = Embeddings.l2Normalize(texts);
        float[][] out = new float[ni.length][nt.length];
        for (int i = 0; i < ni.length; i++) for (int j = 0; j < nt.length; j++) out[i][j] = Embeddings.dot(ni[i], nt[j]);
        return out;
    }
}
