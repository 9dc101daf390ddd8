package dev.palate.spark;

import java.util.HashMap;
import java.util.Map;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import dev.palate.engine.Device;

/**
 * The device a task scores on. {@code cuda} (or {@code gpu}) means the GPU Spark assigned to the task: with
 * {@code spark.executor.resource.gpu.amount=1} and {@code spark.task.resource.gpu.amount=1} (or a fraction, for
 * several tasks on one GPU) each executor is handed one GPU address by the discovery script, and its tasks score on
 * {@code cuda:ADDRESS}, so N GPUs on a node give N executors each on its own device. A task assigned several GPUs
 * uses the first; a task assigned none (no GPU resource configured) uses {@code cuda:0}. {@code cuda:N} pins the
 * device whatever Spark assigned, {@code cpu} uses none.
 */
final class TaskDevice {
    /** Spark's resource name for GPUs ({@code spark.executor.resource.gpu.*}). */
    static final String GPU = "gpu";

    private TaskDevice() {}

    /** The device for {@code spec} in the task running on this thread (outside a task: as if no GPU were assigned). */
    static Device forCurrentTask(String spec) {
        TaskContext task = TaskContext.get();
        Map<String, String[]> resources = new HashMap<>();
        if (task != null)
            for (Map.Entry<String, ResourceInformation> e : task.resourcesJMap().entrySet())
                resources.put(e.getKey(), e.getValue().addresses());
        return resolve(spec, resources);
    }

    /**
     * @param spec      {@code cpu}, {@code cuda}, {@code gpu} or {@code cuda:N}
     * @param resources the task's resources: name → addresses ({@code TaskContext.resources()})
     */
    static Device resolve(String spec, Map<String, String[]> resources) {
        String v = parseSpec(spec);
        if (!v.equals("cuda") && !v.equals("gpu")) return Device.parse(v);
        String[] gpus = resources.get(GPU);
        if (gpus == null || gpus.length == 0) return Device.cuda(0);
        try {
            return Device.cuda(Integer.parseInt(gpus[0].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned this task GPU address '" + gpus[0] + "', which is not a CUDA device"
                    + " ordinal: make the GPU discovery script print ordinals ({\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]})"
                    + " or set device=cuda:N");
        }
    }

    /** The normalised spec, checked: {@code cpu}, {@code cuda}, {@code gpu} or {@code cuda:N}. */
    static String parseSpec(String spec) {
        if (spec == null) throw new IllegalArgumentException("no device given: use cpu, cuda (the GPU Spark assigned) or cuda:N");
        String v = spec.trim().toLowerCase();
        if (v.equals("cuda") || v.equals("gpu")) return v;
        try {
            Device.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + spec + "': use cpu, cuda (the GPU Spark assigned to the task) or cuda:N");
        }
        return v;
    }
}
