package dev.palate.models.qwen2vl;

import java.util.function.Function;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;

/**
 * Random weights of any Qwen2-VL size in flat naming, made on demand per key, for benchmarks (the real 7B sizes
 * without 16 GB of files): N(0, 0.02²) matrices, unit norm scales, zero biases. The outputs mean nothing. Tensors
 * are fp32 CPU, created in the caller's scope (ScopedWeights converts and retains them).
 */
public final class RandomQwen2VlWeights {
    private RandomQwen2VlWeights() {}

    /** Qwen2-VL-7B-Instruct's architecture with HPSv3's 151658-row vocabulary. */
    public static Qwen2VlConfig qwen2Vl7b() {
        return new Qwen2VlConfig(
                new Qwen2VlConfig.Text(151658, 3584, 28, 28, 4, 18944, 1e-6, 1e6, new int[] {16, 24, 24}),
                new Qwen2VlConfig.Vision(32, 1280, 16, 4, dev.palate.engine.nn.Activation.QUICK_GELU, 3584, 3, 14, 2, 2, 10000.0),
                151655, 151652);
    }

    /** key → a fresh random tensor of that key's shape under {@code c}; {@code rm_head.*} as HPSv3's head. */
    public static Function<String, Tensor> source(Qwen2VlConfig c, long seed) {
        torch.manual_seed(seed);
        return key -> {
            long[] shape = shape(c, key);
            try (TensorOptions o = new TensorOptions(DType.F32.scalarType())) {
                if (key.endsWith(".bias")) return torch.zeros(shape, o);
                if (shape.length == 1) return torch.ones(shape, o);
                return torch.randn(shape, o).mul(new Scalar(0.02));
            }
        };
    }

    static long[] shape(Qwen2VlConfig c, String key) {
        Qwen2VlConfig.Text t = c.text();
        Qwen2VlConfig.Vision v = c.vision();
        long w = t.hiddenSize(), q = (long) t.heads() * t.headDim(), kv = (long) t.kvHeads() * t.headDim(), e = v.embedDim();
        long mlp = e * v.mlpRatio(), merged = v.mergedDim();
        if (key.equals("visual.patch_embed.proj.weight")) return new long[] {e, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize()};
        if (key.startsWith("visual.blocks.")) {
            String m = key.substring(key.indexOf('.', "visual.blocks.".length()) + 1);
            switch (m) {
                case "norm1.weight": case "norm1.bias": case "norm2.weight": case "norm2.bias":
                case "attn.proj.bias": case "mlp.fc2.bias": return new long[] {e};
                case "attn.qkv.weight": return new long[] {3 * e, e};
                case "attn.qkv.bias": return new long[] {3 * e};
                case "attn.proj.weight": return new long[] {e, e};
                case "mlp.fc1.weight": return new long[] {mlp, e};
                case "mlp.fc1.bias": return new long[] {mlp};
                case "mlp.fc2.weight": return new long[] {e, mlp};
                default: break;
            }
        }
        switch (key) {
            case "visual.merger.ln_q.weight": case "visual.merger.ln_q.bias": return new long[] {e};
            case "visual.merger.mlp.0.weight": return new long[] {merged, merged};
            case "visual.merger.mlp.0.bias": return new long[] {merged};
            case "visual.merger.mlp.2.weight": return new long[] {w, merged};
            case "visual.merger.mlp.2.bias": case "model.norm.weight": return new long[] {w};
            case "model.embed_tokens.weight": case "lm_head.weight": return new long[] {t.vocabSize(), w};
            case "rm_head.0.weight": return new long[] {1024, w};
            case "rm_head.0.bias": return new long[] {1024};
            case "rm_head.3.weight": return new long[] {16, 1024};
            case "rm_head.3.bias": return new long[] {16};
            case "rm_head.5.weight": return new long[] {2, 16};
            case "rm_head.5.bias": return new long[] {2};
            default: break;
        }
        if (key.startsWith("model.layers.")) {
            String m = key.substring(key.indexOf('.', "model.layers.".length()) + 1);
            switch (m) {
                case "input_layernorm.weight": case "post_attention_layernorm.weight": return new long[] {w};
                case "self_attn.q_proj.weight": return new long[] {q, w};
                case "self_attn.q_proj.bias": return new long[] {q};
                case "self_attn.k_proj.weight": case "self_attn.v_proj.weight": return new long[] {kv, w};
                case "self_attn.k_proj.bias": case "self_attn.v_proj.bias": return new long[] {kv};
                case "self_attn.o_proj.weight": return new long[] {w, q};
                case "mlp.gate_proj.weight": case "mlp.up_proj.weight": return new long[] {t.intermediateSize(), w};
                case "mlp.down_proj.weight": return new long[] {w, t.intermediateSize()};
                default: break;
            }
        }
        throw new IllegalArgumentException("no Qwen2-VL weight named " + key);
    }
}
