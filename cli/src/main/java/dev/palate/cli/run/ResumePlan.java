package dev.palate.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run must do given what an earlier run left in the output, row by row (output row k is input row k):
 * rows from {@link #start()} on are scored afresh, in batches aligned to input positions (batch k = rows
 * kB ... (k+1)B−1, so every row meets the same batch neighbours as in an uninterrupted run and gets the same
 * last digits); an earlier row gets the metrics it lacks, those scored differently before (options, weights, dtype),
 * and with {@code --retry-errors} the ones that failed. A row touched at all is scored afresh for every metric it has
 * no value for, so its error describes this run. Earlier rows that need nothing are kept as they are.
 *
 * <p>Refused, with a message saying what to do: output rows without a record of what made them, more output rows than
 * input rows, an output row whose input fields differ from the input row at its position (the input changed), and a
 * metric in the output that this run does not compute.
 */
public final class ResumePlan {
    /** One row's work: metrics to compute, the values kept from the earlier row, its error when nothing is computed. */
    public record RowWork(Set<String> compute, Map<String, RowLayout.MetricValue> kept, String keptError) {
        public boolean touched() { return !compute.isEmpty(); }
    }

    private final List<String> columns;
    private final int start;
    private final boolean rewrite;
    private final List<RowWork> earlier; // for rows < start
    private final List<String> notes;
    private final int keptErrors;

    private ResumePlan(List<String> columns, int start, boolean rewrite, List<RowWork> earlier, List<String> notes, int keptErrors) {
        this.columns = columns;
        this.start = start;
        this.rewrite = rewrite;
        this.earlier = earlier;
        this.notes = notes;
        this.keptErrors = keptErrors;
    }

    /**
     * @param metrics     this run's metrics (registry names), in the order asked for
     * @param records     this run's provenance per metric, same order
     * @param existing    the output's complete rows
     * @param before      its record, or null
     * @param batchSize   this run's batch size
     * @param retryErrors whether earlier failed rows are scored again
     * @param cell        a value's text as the output writes it (for comparing input fields)
     */
    public static ResumePlan of(List<InputRow> input, List<String> metrics, List<RunProvenance.MetricRecord> records,
                                ScoresFile existing, RunProvenance.Record before, int batchSize, boolean retryErrors,
                                java.util.function.Function<Object, String> cell) {
        Path out = existing.path();
        int n = existing.rows().size(), total = input.size();
        if (n == 0) return new ResumePlan(metrics, 0, false, List.of(), List.of(), 0);
        if (before == null || before.metrics().isEmpty())
            throw new IllegalArgumentException(out + " already has " + n + " rows but no " + RunProvenance.metaFile(out).getFileName()
                    + " recording what they were scored with, so they cannot be trusted for a resume; move the file away or pass"
                    + " another --output");
        if (n > total)
            throw new IllegalArgumentException(out + " has " + n + " rows but the input has " + total + ": it was made from another"
                    + " input; pass another --output");
        List<String> old = before.metrics().stream().map(RunProvenance.MetricRecord::name).toList();
        List<String> dropped = old.stream().filter(m -> !metrics.contains(m)).toList();
        if (!dropped.isEmpty())
            throw new IllegalArgumentException(out + " holds " + String.join(", ", dropped) + " scores, which this run does not"
                    + " compute; to resume it, pass --metric " + String.join(",", union(old, metrics)) + " (or another --output)");
        RowLayout oldLayout = new RowLayout(old);
        List<String> notes = new ArrayList<>();
        Set<String> redo = new LinkedHashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            RunProvenance.MetricRecord was = before.metric(metrics.get(i));
            if (was == null) {
                redo.add(metrics.get(i));
                notes.add(metrics.get(i) + " is new: computing it for the " + n + " earlier rows too");
                continue;
            }
            String diff = records.get(i).differenceFrom(was);
            if (diff != null) {
                redo.add(metrics.get(i));
                notes.add(metrics.get(i) + " was scored differently (" + diff + "): computing it again for the " + n + " earlier rows");
            }
        }
        // column order: the file's own when the metrics are the same set, else this run's
        List<String> columns = redo.isEmpty() && metrics.size() == old.size() ? old : metrics;

        // input fields must match row by row: otherwise the input changed and positions mean nothing
        for (int k = 0; k < n; k++) {
            Map<String, Object> row = existing.rows().get(k);
            for (Map.Entry<String, Object> f : input.get(k).fields().entrySet()) {
                if (isOutputField(f.getKey(), old)) continue;
                String want = cell.apply(f.getValue()), got = row.containsKey(f.getKey()) ? cell.apply(row.get(f.getKey())) : null;
                if (!want.equals(got))
                    throw new IllegalArgumentException(out + " row " + (k + 1) + " has " + f.getKey() + " = " + got + " but input row "
                            + (k + 1) + " (" + input.get(k).source() + ") has " + want + ": the input changed since the rows were"
                            + " written, so they no longer line up; pass another --output (or the input they were made from)");
            }
        }

        // rows of an incomplete last batch are scored again, so that batches stay aligned to input positions
        int oldBatch = before.batchSize() > 0 ? before.batchSize() : batchSize;
        int keep = n == total ? n : n / oldBatch * oldBatch;
        int start = keep == total ? total : keep / batchSize * batchSize;
        if (start < n) notes.add("rows " + (start + 1) + "-" + n + " (an incomplete batch) are scored again from row " + (start + 1));

        List<RowWork> earlier = new ArrayList<>();
        boolean rewrite = false;
        int retried = 0, keptErrors = 0;
        for (int k = 0; k < start; k++) {
            LinkedHashMap<String, Object> row = existing.rows().get(k);
            Map<String, RowLayout.MetricValue> values = oldLayout.values(row, input.get(k).fields().keySet());
            String error = RowLayout.error(row);
            Set<String> compute = new LinkedHashSet<>(redo);
            boolean failed = error != null || values.size() < old.size();
            if (retryErrors && failed) {
                retried++;
                compute.addAll(metrics);
            }
            if (!compute.isEmpty()) for (String m : metrics) if (!values.containsKey(m)) compute.add(m);
            Map<String, RowLayout.MetricValue> kept = new LinkedHashMap<>(values);
            kept.keySet().removeAll(compute);
            if (compute.isEmpty() && error != null) keptErrors++;
            earlier.add(new RowWork(compute, kept, compute.isEmpty() ? error : null));
            rewrite |= !compute.isEmpty() || !columns.equals(old);
        }
        if (retried > 0) notes.add("--retry-errors: scoring the " + retried + " earlier rows that had errors again");
        return new ResumePlan(columns, start, rewrite, earlier, notes, keptErrors);
    }

    private static boolean isOutputField(String key, List<String> metrics) {
        return key.equals("metric") || key.equals("score") || key.equals("error") || metrics.contains(key)
                || metrics.stream().anyMatch(m -> key.startsWith(m + "."));
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return new ArrayList<>(s);
    }

    /** The metric columns, in output order. */
    public List<String> columns() { return columns; }

    /** The first row scored afresh. */
    public int start() { return start; }

    /** Whether earlier rows change, so the file is written anew beside the old one and moved over it. */
    public boolean rewrite() { return rewrite; }

    /** The work for earlier row k (k &lt; start). */
    public RowWork earlier(int k) { return earlier.get(k); }

    /** Rows kept with their earlier error (not retried). */
    public int keptErrors() { return keptErrors; }

    /** What the plan does to earlier rows, one line each, for stderr. */
    public List<String> notes() { return notes; }

    /** Whether there is nothing to score. */
    public boolean nothingToDo(int total) {
        return start == total && !rewrite;
    }
}
