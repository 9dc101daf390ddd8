package dev.palate.spark;

import java.util.Iterator;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

import dev.palate.engine.Device;

/**
 * What each task runs over its partition: finds this JVM's models for the configuration and the task's device
 * ({@link ExecutorModels}, loading them on first use) and returns the partition's rows with their scores, scored in
 * batches as they are pulled ({@link ScoredRows}). Serialisable: it carries the configuration and column positions,
 * never a model.
 *
 * @param config      what to score with
 * @param imageIndex  the image column's position (binary or string)
 * @param promptIndex the prompt column's position, or -1
 * @param nameIndex   the position of the column that names rows in errors (key, path), or -1
 * @param counters    the job's accumulators, or null
 */
record ScorePartition(ScoringConfig config, int imageIndex, int promptIndex, int nameIndex, ScoringCounters counters)
        implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        TaskContext task = TaskContext.get();
        Device device = TaskDevice.forCurrentTask(config.device());
        ExecutorModels.Loaded models = ExecutorModels.get(config, device,
                counters == null ? null : () -> counters.modelLoads().add(1));
        if (counters != null) counters.partitions().add(1);
        ScoredRows rows = new ScoredRows(input, this, new BatchScorer(models), task == null ? -1 : task.partitionId());
        if (task != null) {
            task.addTaskCompletionListener(new TaskCompletionListener() {  // also when the task fails or is killed
                @Override
                public void onTaskCompletion(TaskContext context) { rows.close(); }
            });
        }
        return rows;
    }

    /** How errors name the row: its name column's value, else its position. */
    String rowName(Row row, int partition, long index) {
        if (nameIndex >= 0 && !row.isNullAt(nameIndex)) return String.valueOf(row.get(nameIndex));
        return "partition " + partition + " row " + index;
    }
}
