package dev.palate.models.scorers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import dev.palate.engine.NativeScope;
import dev.palate.models.ImageBatches;
import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerLifecycle;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;
import dev.palate.models.clip.Embeddings;
import dev.palate.preprocess.ImageTransform;
import dev.palate.tokenizers.clip.ClipTokenizer;
import org.bytedeco.pytorch.Tensor;

/**
 * A metric on a CLIP backbone: its preprocessing, tokenizer and final step. Text–image metrics map the cosine of
 * the L2-normalised embeddings ({@link FromCosine}); image-only metrics map the raw projected image embeddings
 * ({@link FromImageEmbeddings}). The final step always runs in fp32 on the CPU.
 *
 * <p>Thread-safe: forward passes only read the weights; the text cache is synchronised; {@link #close()} waits for
 * calls in progress ({@link ScorerLifecycle}).
 */
final class ClipScorer implements Scorer {

    /** Score from the cosine of one normalised image and text embedding. */
    interface FromCosine {
        float score(float cosine);
    }

    /** Scores from raw (projected, not normalised) fp32 image embeddings [N][E]. */
    interface FromImageEmbeddings {
        float[] scores(float[][] imageEmbeddings);
    }

    private static final int TEXT_CACHE_SIZE = 4096;

    private final MetricInfo metric;
    private final SharedModels.Lease<ClipModel> lease;
    private final ClipModel model;
    private final ImageTransform transform;
    private final ClipTokenizer tokenizer;          // null for image-only metrics
    private final FromCosine fromCosine;            // null for image-only metrics
    private final FromImageEmbeddings fromImages;   // null for text-image metrics
    private final List<AutoCloseable> owned;        // heads
    private final int batchSize;
    private final TextEmbeddingCache texts = new TextEmbeddingCache(TEXT_CACHE_SIZE);
    private final ScorerLifecycle lifecycle;

    private ClipScorer(MetricInfo metric, SharedModels.Lease<ClipModel> lease, ImageTransform transform, ClipTokenizer tokenizer,
                       FromCosine fromCosine, FromImageEmbeddings fromImages, int batchSize, List<AutoCloseable> owned) {
        this.metric = metric;
        this.lease = lease;
        this.model = lease.get();
        this.transform = transform;
        this.tokenizer = tokenizer;
        this.fromCosine = fromCosine;
        this.fromImages = fromImages;
        this.batchSize = batchSize;
        this.owned = List.copyOf(owned);
        this.lifecycle = new ScorerLifecycle(metric.name());
        int s = model.config().vision().imageSize();
        if (transform.size() != s)
            throw new IllegalArgumentException(metric.name() + ": preprocessing gives " + transform.size() + "px images but "
                    + model + " takes " + s + "px");
    }

    static ClipScorer textImage(MetricInfo metric, SharedModels.Lease<ClipModel> lease, ImageTransform transform,
                                ClipTokenizer tokenizer, FromCosine fromCosine, int batchSize) {
        return new ClipScorer(metric, lease, transform, tokenizer, fromCosine, null, batchSize, List.of());
    }

    static ClipScorer imageOnly(MetricInfo metric, SharedModels.Lease<ClipModel> lease, ImageTransform transform,
                                FromImageEmbeddings fromImages, int batchSize, List<AutoCloseable> owned) {
        return new ClipScorer(metric, lease, transform, null, null, fromImages, batchSize, owned);
    }

    @Override
    public MetricInfo metric() { return metric; }

    @Override
    public void prepare(List<ImageInput> images) {
        ImageBatches.prepare(images, transform);
    }

    ClipModel model() { return model; }

    @Override
    public ScoreResult score(String prompt, List<ImageInput> images) {
        return lifecycle.whileOpen(() -> {
            if (fromImages != null) return new ScoreResult(metric, fromImages.scores(imageEmbeddings(images)));
            float[] t = textEmbeddings(List.of(prompt))[0];
            return cosineScores(images, i -> t);
        });
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        return lifecycle.whileOpen(() -> {
            if (fromImages != null) return new ScoreResult(metric, fromImages.scores(imageEmbeddings(images)));
            if (prompts.size() != images.size())
                throw new IllegalArgumentException(metric.name() + ": " + prompts.size() + " prompts but " + images.size()
                        + " images; pairs need one prompt per image (use score(prompt, images) for one prompt, or matrix(...) for all pairs)");
            float[][] t = textEmbeddings(prompts);
            return cosineScores(images, i -> t[i]);
        });
    }

    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        return lifecycle.whileOpen(() -> {
            float[][] out = new float[prompts.size()][];
            if (fromImages != null) {
                float[] row = fromImages.scores(imageEmbeddings(images));
                for (int m = 0; m < out.length; m++) out[m] = row.clone();
                return new ScoreMatrix(metric, out);
            }
            float[][] t = textEmbeddings(prompts);
            float[][] im = Embeddings.l2Normalize(imageEmbeddings(images));
            for (int m = 0; m < out.length; m++) {
                out[m] = new float[im.length];
                for (int n = 0; n < im.length; n++) out[m][n] = fromCosine.score(Embeddings.dot(im[n], t[m]));
            }
            return new ScoreMatrix(metric, out);
        });
    }

    /** One score per image: the metric's map of the cosine between its normalised embedding and {@code textFor(i)}. */
    private ScoreResult cosineScores(List<ImageInput> images, IntFunction<float[]> textFor) {
        float[][] im = Embeddings.l2Normalize(imageEmbeddings(images));
        float[] out = new float[im.length];
        for (int i = 0; i < im.length; i++) out[i] = fromCosine.score(Embeddings.dot(im[i], textFor.apply(i)));
        return new ScoreResult(metric, out);
    }

    /** Raw fp32 image embeddings [N][E] in input order, {@code batchSize} images per forward pass. */
    float[][] imageEmbeddings(List<ImageInput> images) {
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            List<ImageInput> chunk = images.subList(start, Math.min(images.size(), start + batchSize));
            try (NativeScope s = NativeScope.open()) {
                Tensor pixels = ImageBatches.stack(chunk, transform); // [B, 3, S, S] fp32 CPU
                float[][] e = model.imageEmbeddings(pixels);
                System.arraycopy(e, 0, out, start, e.length);
            }
        }
        return out;
    }

    /** Normalised fp32 text embeddings [M][E] in prompt order; each distinct prompt is encoded once and cached. */
    float[][] textEmbeddings(List<String> prompts) {
        Map<String, float[]> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String p : prompts) {
            if (p == null) throw new IllegalArgumentException(metric.name() + " compares images with prompts: a prompt is null");
            if (found.containsKey(p) || missing.contains(p)) continue;
            float[] e = texts.get(p);
            if (e != null) found.put(p, e);
            else missing.add(p);
        }
        int ctx = model.config().text().contextLength();
        for (int start = 0; start < missing.size(); start += batchSize) {
            List<String> chunk = missing.subList(start, Math.min(missing.size(), start + batchSize));
            int[][] ids = new int[chunk.size()][];
            for (int i = 0; i < ids.length; i++) ids[i] = tokenizer.encode(chunk.get(i), ctx);
            float[][] e = Embeddings.l2Normalize(model.textEmbeddings(ids));
            for (int i = 0; i < e.length; i++) {
                texts.put(chunk.get(i), e[i]);
                found.put(chunk.get(i), e[i]);
            }
        }
        float[][] out = new float[prompts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = found.get(prompts.get(i));
        return out;
    }

    /** How many prompts are cached (tests). */
    int cachedPrompts() { return texts.size(); }

    @Override
    public void close() {
        lifecycle.close(() -> {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + metric.name() + " failed", e);
                }
            }
            lease.close();
        });
    }

    @Override
    public String toString() {
        return metric.name() + " on " + model;
    }
}
