package dev.palate.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;

/** A scorer whose value is a simple function of the decoded image and the prompt, to test runs without models. */
final class FakeScorer implements Scorer {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger decodedWidthReads = new AtomicInteger();
    final java.util.Set<String> preparedOnThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger preparedImages = new AtomicInteger();
    private final MetricInfo info;
    private final String failOnPrompt;
    private String nanOnPrompt;

    FakeScorer(String name, boolean usesPrompt, String failOnPrompt) {
        this.info = new MetricInfo(name, "fake", MetricInfo.Direction.HIGHER_IS_BETTER, "test units",
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, usesPrompt);
        this.failOnPrompt = failOnPrompt;
    }

    /** Returns NaN (as a corrupt checkpoint would) for this prompt. */
    FakeScorer nanOnPrompt(String prompt) {
        this.nanOnPrompt = prompt;
        return this;
    }

    static float expected(int width, int height, String prompt, boolean usesPrompt) {
        return width * 1000 + height + (usesPrompt ? prompt.length() / 100f : 0f);
    }

    @Override public MetricInfo metric() { return info; }

    @Override
    public void prepare(List<ImageInput> images) {
        preparedOnThreads.add(Thread.currentThread().getName());
        preparedImages.addAndGet(images.size());
    }

    @Override
    public ScoreResult score(String prompt, List<ImageInput> images) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) prompts.add(prompt);
        return score(prompts, images);
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        calls.incrementAndGet();
        if (prompts.size() != images.size()) throw new IllegalArgumentException("lengths differ");
        float[] v = new float[images.size()];
        for (int i = 0; i < v.length; i++) {
            if (failOnPrompt != null && failOnPrompt.equals(prompts.get(i))) throw new IllegalStateException("model refused prompt " + failOnPrompt);
            var d = images.get(i).decoded();
            decodedWidthReads.incrementAndGet();
            v[i] = prompts.get(i).equals(nanOnPrompt) ? Float.NaN : expected(d.width(), d.height(), prompts.get(i), info.usesPrompt());
        }
        return new ScoreResult(info, v);
    }

    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        throw new UnsupportedOperationException();
    }

    @Override public void close() {}
}
