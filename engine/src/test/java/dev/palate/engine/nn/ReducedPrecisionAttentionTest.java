package dev.palate.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeScope;

class ReducedPrecisionAttentionTest {
    @Test
    void bf16CpuAttentionIsFp32AttentionRoundedToBf16() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(3);
            Tensor q = torch.randn(2, 4, 9, 16).to(ScalarType.BFloat16), k = torch.randn(2, 4, 9, 16).to(ScalarType.BFloat16),
                    v = torch.randn(2, 4, 9, 16).to(ScalarType.BFloat16);
            Tensor got = MultiHeadAttention.attendHeads(q, k, v, null, true);
            assertEquals(ScalarType.BFloat16.value, got.scalar_type().value, "result leaves in the input dtype");
            Tensor fp32 = MultiHeadAttention.attendHeads(q.to(ScalarType.Float), k.to(ScalarType.Float), v.to(ScalarType.Float), null, true);
            // exactly the fp32 result rounded once to bf16 (tolerance 0)
            assertEquals(0f, got.to(ScalarType.Float).sub(fp32.to(ScalarType.BFloat16).to(ScalarType.Float)).abs().max().item_float());
            assertTrue(fp32.sub(got.to(ScalarType.Float)).abs().max().item_float() <= 1e-2f);
        }
    }
}
