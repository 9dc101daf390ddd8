/**
 * Palate on Apache Spark: {@link dev.palate.spark.PalateScorer}, a Spark ML {@code Transformer} that scores an image
 * column with Palate metrics on the executors, and {@link dev.palate.spark.ScoreJob}, a ready {@code spark-submit}
 * job over Parquet, image files ({@code binaryFile}) and WebDataset shards.
 *
 * <p>How a task runs (one file each): {@code ScorePartition} finds its JVM's models ({@code ExecutorModels}: loaded
 * once per configuration and device, shared by the task threads, closed at exit) on the task's device
 * ({@code TaskDevice}: the GPU Spark assigned); {@code ScoredRows} pulls the partition in batches and has the next
 * batch decoded and preprocessed on a prefetch thread while {@code BatchScorer} scores the current one, each row
 * failing alone. {@code MetricFlags} reads {@code palate score}'s {@code --model}/{@code --set} values;
 * {@code JobInput} and {@code WebDatasetReader} read the job's inputs.
 */
package dev.palate.spark;
