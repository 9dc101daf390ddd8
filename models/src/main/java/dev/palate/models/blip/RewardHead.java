package dev.palate.models.blip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.nn.Linear;

/**
 * ImageReward.py {@code MLP(768)}: Linear 768→1024→128→64→16→1 with no activations (the ReLUs are commented out
 * upstream; the Dropouts are identities in eval), and the normalisation {@code (r − mean) / std}. Runs in fp32
 * whatever the towers' dtype, as upstream casts {@code last_hidden_state[:,0,:].float()}.
 */
final class RewardHead {
    static final double MEAN = 0.16717362830052426;
    static final double STD = 1.0333394966054072;

    private final List<Linear> layers = new ArrayList<>();
    private final Scalar mean;
    private final Scalar std;

    RewardHead(long inputWidth, WeightStore w) {
        long in = inputWidth;
        for (int i = 0; i < ImageRewardKeys.HEAD_WIDTHS.length; i++) {
            long out = ImageRewardKeys.HEAD_WIDTHS[i];
            layers.add(w.linear(ImageRewardKeys.headLinear(ImageRewardKeys.HEAD_LINEAR_INDICES[i]), DType.F32, out, in));
            in = out;
        }
        this.mean = w.keep(new Scalar(MEAN));
        this.std = w.keep(new Scalar(STD));
    }

    /** {@code cls} [B, H] in any dtype → raw head output [B] in fp32. */
    Tensor raw(Tensor cls) {
        Tensor x = cls.to(DType.F32.scalarType());
        for (Linear l : layers) x = l.apply(x);
        return x.reshape(-1); // [B, 1] → [B]
    }

    /** Raw output [B] → reward [B]: {@code (r − 0.16717362830052426) / 1.0333394966054072}. */
    Tensor normalise(Tensor raw) { return raw.sub(mean).div(std); }
}
