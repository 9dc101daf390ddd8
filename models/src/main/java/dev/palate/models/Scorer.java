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

    /** Frees the model's native memory; waits for calls in progress. Calls after close fail. */
    @Override
    void close();
}
