package dev.palate.models.qwen35;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.weights.ScopedWeights;

/**
 * modeling_qwen3_5.py {@code Qwen3_5VisionPatchMerger}: LayerNorm (over each patch for the main merger, over the
 * concatenated 2×2 window — "postshuffle" — for Qwen3-VL's deepstack mergers; Qwen3.5 has only the first), then {@code linear_fc2(GELU(linear_fc1(·)))}
 * with the exact erf GELU (nn.GELU()), whatever the blocks use.
 */
final class Qwen35PatchMerger {
    private final boolean postShuffle;
    private final int merged;
    private final LayerNorm norm;
    private final Linear fc1, fc2;

    Qwen35PatchMerger(ScopedWeights w, Qwen35Config.Vision c, boolean postShuffle) {
        this.postShuffle = postShuffle;
        this.merged = c.mergedDim();
        norm = new LayerNorm(w.get("norm.weight"), w.get("norm.bias"), 1e-6);
        fc1 = new Linear(w.get("linear_fc1.weight"), w.get("linear_fc1.bias"));
        fc2 = new Linear(w.get("linear_fc2.weight"), w.get("linear_fc2.bias"));
    }

    /** x [N, E] (windows of merge² consecutive patches) → [N / merge², H]. */
    Tensor apply(Tensor x) {
        Tensor h = postShuffle ? norm.apply(x.reshape(-1, merged)) : norm.apply(x).reshape(-1, merged);
        return fc2.apply(torch.gelu(fc1.apply(h), "none"));
    }
}
