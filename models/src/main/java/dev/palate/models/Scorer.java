package dev.palate.models;

import java.util.List;

/**
 * A loaded metric. Create one with {@link ScorerRegistry#create(String, ScorerOptions)} and close it when done:
 *
 * <pre>
 * try (Scorer hps = ScorerRegistry.create("hpsv2", ScorerOptions.builder().model("/models/HPSv2").build())) {
 *     ScoreResult r = hps.score("a cat with two horns", List.of(ImageInput.of(Path.of("cat.png"))));
 * }
 * </pre>
 *
 * <p>Implementations are safe to call from several threads at once, batch images internally
 * ({@link ScorerOptions#batchSize()}), and cache text embeddings per prompt, so scoring best-of-N images for one prompt
 * encodes the prompt once. Image-only metrics ({@link MetricInfo#usesPrompt()} false) ignore the prompts.
 */
public interface Scorer extends AutoCloseable {

    MetricInfo metric();

    /** One prompt against each image: {@code result[i] = s(prompt, images[i])}. */
    ScoreResult score(String prompt, List<ImageInput> images);

    /**
     * Index-aligned pairs: {@code result[i] = s(prompts[i], images[i])}.
     *
     * @throws IllegalArgumentException when the lists differ in length (prompt-using metrics only)
     */
    ScoreResult score(List<String> prompts, List<ImageInput> images);

    /** Every prompt against every image: {@code values[m][n] = s(prompts[m], images[n])}. */
    ScoreMatrix matrix(List<String> prompts, List<ImageInput> images);

    /**
     * Decodes and preprocesses {@code images} for this metric ahead of {@code score}/{@code matrix}, which then reuse
     * the work (kept in each {@link ImageInput}). Meant for another thread, so the next batch is ready when the model
     * finishes the current one. Failures are left for {@code score} to report; metrics without a cacheable transform
     * only decode.
     */
    default void prepare(List<ImageInput> images) {
        for (ImageInput image : images) {
            try {
                image.decoded();
            } catch (RuntimeException e) {
                // reported by score(), with the other rows unaffected
            }
        }
    }

    /** Frees the model's native memory; waits for calls in progress. Calls after close fail. */
    @Override
    void close();
}
