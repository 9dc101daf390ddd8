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
import dev.palate.models.PerItemScoring;
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
        if (fromImages == null) requirePrompt(prompt);
        return score(java.util.Collections.nCopies(images.size(), prompt), images);
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        return lifecycle.whileOpen(() -> {
            if (fromImages == null) {
                if (prompts.size() != images.size())
                    throw new IllegalArgumentException(metric.name() + ": " + prompts.size() + " prompts but " + images.size()
                            + " images; pairs need one prompt per image (use score(prompt, images) for one prompt, or matrix(...) for all pairs)");
                for (int i = 0; i < prompts.size(); i++)
                    if (prompts.get(i) == null) throw new IllegalArgumentException(metric.name() + ": prompt " + i + " is null; "
                            + metric.name() + " compares each image with the text it was generated from");
            }
            return PerItemScoring.score(metric, images, image -> image.pixels(transform), items -> {
                List<ImageInput> ok = pick(images, items);
                if (fromImages != null) return new ScoreResult(metric, fromImages.scores(imageEmbeddings(ok)));
                float[][] t = textEmbeddings(pick(prompts, items));
                return cosineScores(ok, i -> t[i]);
            });
        });
    }

    /** Every prompt against every image; an image that fails is a NaN column with its error. */
    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        if (fromImages == null) for (String p : prompts) requirePrompt(p);
        return lifecycle.whileOpen(() -> {
            String[] errors = new String[images.size()];
            List<Integer> ok = new ArrayList<>();
            for (int n = 0; n < images.size(); n++) {
                errors[n] = PerItemScoring.prepareError(images.get(n), image -> image.pixels(transform));
                if (errors[n] == null) ok.add(n);
            }
            List<ImageInput> good = ok.stream().map(images::get).toList();
            float[][] out = new float[prompts.size()][images.size()];
            for (float[] row : out) java.util.Arrays.fill(row, Float.NaN);
            if (fromImages != null) {
                float[] row = good.isEmpty() ? new float[0] : fromImages.scores(imageEmbeddings(good));
                for (float[] r : out) for (int k = 0; k < row.length; k++) r[ok.get(k)] = row[k];
                return new ScoreMatrix(metric, out, java.util.Arrays.asList(errors));
            }
            float[][] t = textEmbeddings(prompts);
            float[][] im = good.isEmpty() ? new float[0][] : Embeddings.l2Normalize(imageEmbeddings(good));
            for (int m = 0; m < out.length; m++)
                for (int k = 0; k < im.length; k++) out[m][ok.get(k)] = fromCosine.score(Embeddings.dot(im[k], t[m]));
            return new ScoreMatrix(metric, out, java.util.Arrays.asList(errors));
        });
    }

    private void requirePrompt(String prompt) {
        if (prompt == null)
            throw new IllegalArgumentException(metric.name() + ": the prompt is null; " + metric.name()
                    + " compares each image with the text it was generated from");
    }

    private static <T> List<T> pick(List<T> all, int[] items) {
        List<T> out = new ArrayList<>(items.length);
        for (int i : items) out.add(all.get(i));
        return out;
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

    /**
     * Normalised fp32 text embeddings [M][E] in prompt order; each distinct prompt is encoded once and cached. Each is
     * encoded alone (its own forward pass of 77 tokens, already a full matrix for the GEMMs): batched with other
     * prompts, its last digits would depend on which prompts happened to be missing from the cache with it, so a
     * resumed run would not reproduce an uninterrupted one.
     */
    float[][] textEmbeddings(List<String> prompts) {
        Map<String, float[]> found = new LinkedHashMap<>();
        int ctx = model.config().text().contextLength();
        for (String p : prompts) {
            if (p == null) throw new IllegalArgumentException(metric.name() + " compares images with prompts: a prompt is null");
            if (found.containsKey(p)) continue;
            float[] e = texts.get(p);
            if (e == null) {
                e = Embeddings.l2Normalize(model.textEmbeddings(new int[][] {tokenizer.encode(p, ctx)}))[0];
                texts.put(p, e);
            }
            found.put(p, e);
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
