package dev.palate.spark;

import java.io.Serializable;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What the tasks of one job did, added up on the driver by Spark's accumulators (a retried task may count twice).
 *
 * @param partitions partitions scored
 * @param rows       rows scored (with or without an error)
 * @param failedRows rows with an error
 * @param modelLoads times a task found its executor without the models and loaded them (one per executor JVM and
 *                   device, whatever the number of partitions)
 */
record ScoringCounters(LongAccumulator partitions, LongAccumulator rows, LongAccumulator failedRows,
                       LongAccumulator modelLoads) implements Serializable {

    static ScoringCounters register(SparkContext sc) {
        return new ScoringCounters(sc.longAccumulator("palate partitions"), sc.longAccumulator("palate rows"),
                sc.longAccumulator("palate failed rows"), sc.longAccumulator("palate model loads"));
    }
}
