package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.engine.Device;

/** Which device a task scores on, from the resources Spark assigned it. */
class TaskDeviceTest {
    @Test
    void cudaMeansTheGpuSparkAssignedToTheTaskAndCudaNPinsTheDevice() {
        assertEquals(Device.cuda(3), TaskDevice.resolve("cuda", Map.of("gpu", new String[] {"3"})));
        assertEquals(Device.cuda(1), TaskDevice.resolve("GPU", Map.of("gpu", new String[] {"1", "2"})), "several: the first");
        assertEquals(Device.cuda(0), TaskDevice.resolve("cuda", Map.of()), "none assigned: cuda:0");
        assertEquals(Device.cuda(2), TaskDevice.resolve("cuda:2", Map.of("gpu", new String[] {"3"})));
        assertEquals(Device.CPU, TaskDevice.resolve("cpu", Map.of("gpu", new String[] {"3"})));
    }

    @Test
    void aBadSpecOrANonOrdinalAddressIsRefusedWithWhatToDo() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TaskDevice.parseSpec("tpu"));
        assertTrue(bad.getMessage().contains("cpu, cuda (the GPU Spark assigned to the task) or cuda:N"), bad.getMessage());
        IllegalStateException uuid = assertThrows(IllegalStateException.class,
                () -> TaskDevice.resolve("cuda", Map.of("gpu", new String[] {"GPU-8f1c"})));
        assertTrue(uuid.getMessage().contains("discovery script"), uuid.getMessage());
    }
}
