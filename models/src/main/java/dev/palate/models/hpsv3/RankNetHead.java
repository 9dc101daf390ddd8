package dev.palate.models.hpsv3;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.Linear;
import dev.palate.engine.weights.ScopedWeights;

/**
 * HPSv3's reward head, always fp32 (HPSv3 model/qwen2vl_trainer.py, {@code rm_head_type: ranknet}):
 * {@code Sequential(Linear(W, 1024), ReLU, Dropout(0.05), Linear(1024, 16), ReLU, Linear(16, 2))} → (μ, log σ);
 * keys {@code rm_head.0/3/5}. Dropout is the identity at inference.
 */
final class RankNetHead {
    static final String[] KEYS = {"rm_head.0.weight", "rm_head.0.bias", "rm_head.3.weight", "rm_head.3.bias",
            "rm_head.5.weight", "rm_head.5.bias"};

    private final Linear fc0, fc3, fc5;

    RankNetHead(ScopedWeights w) {
        ScopedWeights f = w.at("rm_head");
        fc0 = new Linear(f.getFloat32("0.weight"), f.getFloat32("0.bias"));
        fc3 = new Linear(f.getFloat32("3.weight"), f.getFloat32("3.bias"));
        fc5 = new Linear(f.getFloat32("5.weight"), f.getFloat32("5.bias"));
    }

    /** hidden [B, W] (any dtype; cast to fp32 first, as {@code rm_head(hidden.float())}) → [B, 2] = (μ, log σ). */
    Tensor apply(Tensor hidden) {
        Tensor h = hidden.to(torch.ScalarType.Float);
        return fc5.apply(torch.relu(fc3.apply(torch.relu(fc0.apply(h)))));
    }
}
