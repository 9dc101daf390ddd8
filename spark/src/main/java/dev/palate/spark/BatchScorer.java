package dev.palate.spark;

import java.util.ArrayList;
import java.util.List;

import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;

/**
 * Scores one batch of rows with every metric of a configuration, the way {@code palate score} scores a batch
 * (cli ScoreRun.score): each image is decoded once whatever the number of metrics and then preprocessed by every
 * metric ({@link #prepare}, meant for the prefetch thread); a row fails alone (undecodable image, missing prompt, a
 * model error on that item), with its error naming the image and the metric, and the other rows are unaffected.
 */
final class BatchScorer {
    /** A batch ready for the models: each row's image, decoded and preprocessed, or null with the reason in {@code errors}. */
    record Prepared(List<ImageInput> images, List<String> errors) {}

    /**
     * A scored batch.
     *
     * @param values {@code [metric][row]}: the score, or null where the row has none for that metric
     * @param errors per row: null when every metric scored it, else every reason joined by "; "
     */
    record Scored(Float[][] values, String[] errors) {}

    private final List<String> metrics;
    private final List<Scorer> scorers;

    BatchScorer(ExecutorModels.Loaded loaded) {
        this.metrics = loaded.metrics();
        this.scorers = loaded.scorers();
    }

    /** Decodes each image once and lets every metric preprocess the decoded ones (resize, normalise) for {@link #score}. */
    Prepared prepare(List<ImageRef> refs) {
        List<ImageInput> images = new ArrayList<>(refs.size());
        List<String> errors = new ArrayList<>(refs.size());
        List<ImageInput> decoded = new ArrayList<>(refs.size());
        for (ImageRef ref : refs) {
            try {
                ImageInput in = ref.open();
                in.decoded();
                images.add(in);
                errors.add(null);
                decoded.add(in);
            } catch (RuntimeException e) {
                images.add(null);
                errors.add(named(ref.name(), message(e)));
            }
        }
        for (Scorer s : scorers) s.prepare(decoded);
        return new Prepared(images, errors);
    }

    /** Scores the prepared rows; {@code prompts} has one entry per row (null where the row has none). */
    Scored score(Prepared batch, List<String> prompts) {
        int n = batch.images().size();
        List<List<String>> errors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> e = new ArrayList<>(1);
            if (batch.errors().get(i) != null) e.add(batch.errors().get(i));
            errors.add(e);
        }
        Float[][] values = new Float[scorers.size()][n];
        for (int m = 0; m < scorers.size(); m++) {
            Scorer scorer = scorers.get(m);
            String metric = metrics.get(m);
            boolean usesPrompt = scorer.metric().usesPrompt();
            List<Integer> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (batch.images().get(i) == null) continue;
                if (usesPrompt && prompts.get(i) == null) {
                    errors.get(i).add(metric + ": no prompt for " + batch.images().get(i).name() + " (the metric needs one)");
                    continue;
                }
                rows.add(i);
            }
            scoreRows(metric, scorer, batch, prompts, rows, values[m], errors);
        }
        String[] joined = new String[n];
        for (int i = 0; i < n; i++) if (!errors.get(i).isEmpty()) joined[i] = String.join("; ", errors.get(i));
        return new Scored(values, joined);
    }

    /** The rows at {@code rows} as one call; when that call throws, row by row, so only the failing rows get the error. */
    private static void scoreRows(String metric, Scorer scorer, Prepared batch, List<String> prompts, List<Integer> rows,
                                  Float[] out, List<List<String>> errors) {
        if (rows.isEmpty()) return;
        List<String> p = new ArrayList<>(rows.size());
        List<ImageInput> images = new ArrayList<>(rows.size());
        for (int i : rows) {
            p.add(prompts.get(i) == null ? "" : prompts.get(i)); // image-only metrics ignore it
            images.add(batch.images().get(i));
        }
        ScoreResult r;
        try {
            r = scorer.score(p, images);
        } catch (RuntimeException batchFailure) {
            for (int k = 0; k < rows.size(); k++) {
                int i = rows.get(k);
                try {
                    ScoreResult one = scorer.score(List.of(p.get(k)), List.of(images.get(k)));
                    put(metric, one, 0, i, out, errors);
                } catch (RuntimeException e) {
                    errors.get(i).add(prefixed(metric, message(e)));
                }
            }
            return;
        }
        for (int k = 0; k < rows.size(); k++) put(metric, r, k, rows.get(k), out, errors);
    }

    private static void put(String metric, ScoreResult r, int k, int row, Float[] out, List<List<String>> errors) {
        if (r.isOk(k)) out[row] = r.values()[k];
        else errors.get(row).add(prefixed(metric, r.error(k)));
    }

    private static String prefixed(String metric, String message) {
        return message.startsWith(metric + ":") || message.startsWith(metric + " ") ? message : metric + ": " + message;
    }

    private static String named(String name, String message) {
        return message.contains(name) ? message : name + ": " + message;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
