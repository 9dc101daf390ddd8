package dev.palate.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.State;

/** Images processed, reported by JMH as images/s beside the per-batch score (add the batch size per invocation). */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ImageCounter {
    public long images;
}
