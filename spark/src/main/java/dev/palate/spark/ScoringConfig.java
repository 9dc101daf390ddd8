package dev.palate.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/**
 * What a {@link PalateScorer} scores with, in the terms of {@code palate score}'s flags; shipped to the executors
 * with each task and, with the device a task runs on, the key under which {@link ExecutorModels} keeps the loaded
 * models.
 *
 * @param metrics   registry names, in output order
 * @param models    {@code [METRIC[:ROLE]=]PATH_OR_ID} values, as {@code --model}
 * @param settings  {@code METRIC:KEY=VALUE} values, as {@code --set}
 * @param device    {@code cpu}, {@code cuda} (the GPU Spark assigned to the task, see {@link TaskDevice}) or {@code cuda:N}
 * @param dtype     the towers' dtype: fp32, fp16 or bf16
 * @param batchSize images per forward pass, and rows per batch of a partition
 * @param threads   libtorch intra-op threads of the executor JVM (process-wide), 0 for libtorch's choice
 */
record ScoringConfig(List<String> metrics, List<String> models, List<String> settings, String device, String dtype,
                     int batchSize, int threads) implements Serializable {

    ScoringConfig {
        metrics = List.copyOf(metrics);
        models = List.copyOf(models);
        settings = List.copyOf(settings);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (libtorch's choice) or more, got " + threads);
    }

    /**
     * Checks everything that can be checked without loading a model (metric names, model and setting syntax, the
     * metrics' options, device and dtype names), so a bad configuration fails on the driver, not in every task.
     */
    void validate() {
        TaskDevice.parseSpec(device);
        options(Device.CPU, new SharedModels());
    }

    /** One {@link ScorerOptions} per metric, for {@code device}, sharing backbones through {@code shared}. */
    Map<String, ScorerOptions> options(Device onDevice, SharedModels shared) {
        return MetricFlags.optionsPerMetric(metrics, models, settings, onDevice, DType.parse(dtype), batchSize, shared);
    }

    /** The metrics' facts (available without loading anything). */
    List<MetricInfo> metricInfos() {
        List<MetricInfo> out = new ArrayList<>();
        for (String m : metrics) out.add(ScorerRegistry.metric(m));
        return out;
    }

    /** Whether any metric reads the prompt. */
    boolean usesPrompt() {
        return metricInfos().stream().anyMatch(MetricInfo::usesPrompt);
    }
}
