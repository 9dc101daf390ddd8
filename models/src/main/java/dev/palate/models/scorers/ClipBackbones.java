package dev.palate.models.scorers;

import java.io.IOException;
import java.nio.file.Path;

import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;

/** Loads CLIP models through {@link SharedModels}, so scorers on the same checkpoint, device and dtype share one copy. */
final class ClipBackbones {
    private ClipBackbones() {}

    static SharedModels.Lease<ClipModel> acquire(Path checkpoint, ScorerOptions o) {
        return acquire(checkpoint, null, o);
    }

    /** With {@code baseOrNull} filling tensors the checkpoint lacks (see {@link ClipModel#load(Path, Path, dev.palate.engine.Device, dev.palate.engine.DType)}). */
    static SharedModels.Lease<ClipModel> acquire(Path checkpoint, Path baseOrNull, ScorerOptions o) {
        Path real;
        try {
            real = checkpoint.toRealPath();
        } catch (IOException e) {
            real = checkpoint.toAbsolutePath().normalize();
        }
        Path p = real;
        String key = "clip:" + p + (baseOrNull == null ? "" : "+" + baseOrNull.toAbsolutePath()) + ":" + o.device() + ":" + o.dtype().label();
        return o.shared().acquire(key, () -> ClipModel.load(p, baseOrNull, o.device(), o.dtype()));
    }
}
