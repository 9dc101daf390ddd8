package dev.palate.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scores a list of images so that a bad one fails alone, the way {@link Scorer#score} promises: each image is first
 * prepared on its own (decoded, preprocessed; a failure is that image's error, naming the file), the ones that passed
 * are scored in one batch call, and when that call fails they are scored one by one so only the failing ones get
 * the error. Non-finite outputs become errors ({@link ScoreResult}). A scorer's {@code score} is then:
 *
 * <pre>
 * return PerItemScoring.score(metric, images, image -&gt; image.pixels(transform), items -&gt; myBatch(items));
 * </pre>
 */
public final class PerItemScoring {
    private PerItemScoring() {}

    /** Scores the images at {@code items} (indices into the caller's list, ascending): one result per index, in order. */
    @FunctionalInterface
    public interface Batch {
        ScoreResult score(int[] items);
    }

    /**
     * @param prepare decodes and preprocesses one image, throwing when it cannot (its message becomes the error)
     * @param batch   scores the images that prepared, as one call
     */
    public static ScoreResult score(MetricInfo metric, List<ImageInput> images, Consumer<ImageInput> prepare, Batch batch) {
        ScoreResult.Builder out = ScoreResult.builder(metric, images.size());
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String error = prepareError(images.get(i), prepare);
            if (error == null) ok.add(i);
            else out.error(i, error);
        }
        if (ok.isEmpty()) return out.build();
        int[] items = ok.stream().mapToInt(Integer::intValue).toArray();
        ScoreResult all;
        try {
            all = checkedSize(batch.score(items), items.length);
        } catch (RuntimeException batchFailure) {
            for (int i : items) {
                try {
                    out.copy(i, checkedSize(batch.score(new int[] {i}), 1), 0);
                } catch (RuntimeException e) {
                    out.error(i, metric.name() + ": " + message(e) + " (image " + images.get(i).name() + ")");
                }
            }
            return out.build();
        }
        for (int k = 0; k < items.length; k++) out.copy(items[k], all, k);
        return out.build();
    }

    /** Null when {@code image} prepares, else why not, naming the image. */
    public static String prepareError(ImageInput image, Consumer<ImageInput> prepare) {
        try {
            prepare.accept(image);
            return null;
        } catch (RuntimeException e) {
            String m = message(e);
            return m.contains(image.name()) ? m : image.name() + ": " + m;
        }
    }

    private static ScoreResult checkedSize(ScoreResult r, int expected) {
        if (r.size() != expected) throw new IllegalStateException("a batch of " + expected + " items gave " + r.size() + " results");
        return r;
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
