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
        Path real;
        try {
            real = checkpoint.toRealPath();
        } catch (IOException e) {
            real = checkpoint.toAbsolutePath().normalize();
        }
        Path p = real;
        String key = "clip:" + p + ":" + o.device() + ":" + o.dtype().label();
        return o.shared().acquire(key, () -> ClipModel.load(p, o.device(), o.dtype()));
    }
}
