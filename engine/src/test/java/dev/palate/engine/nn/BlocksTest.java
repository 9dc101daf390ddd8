package dev.palate.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/** The shared blocks against their definitions written out with plain matmul/softmax (fp32 CPU, 1e-5). */
class BlocksTest {
    private static double maxDiff(Tensor a, Tensor b) {
        float[] x = Tensors.toFloats(a), y = Tensors.toFloats(b);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    @Test
    void linearAndLayerNormMatchTheirDefinitionsWithin1e5() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(1);
            Tensor x = torch.randn(2, 5, 8), w = torch.randn(3, 8), b = torch.randn(3);
            assertTrue(maxDiff(new Linear(w, b).apply(x), x.matmul(w.t()).add(b)) < 1e-5);
            assertTrue(maxDiff(new Linear(w, null).apply(x), x.matmul(w.t())) < 1e-5);
            Tensor g = torch.randn(8), beta = torch.randn(8);
            Tensor mean = x.mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
            Tensor var = x.sub(mean).pow(new Scalar(2.0)).mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
            Tensor ref = x.sub(mean).div(var.add(new Scalar(1e-6)).sqrt()).mul(g).add(beta);
            assertTrue(maxDiff(new LayerNorm(g, beta, 1e-6).apply(x), ref) < 1e-5);
        }
    }

    @Test
    void attentionMatchesSoftmaxOfScaledDotProductsWithin1e5() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(2);
            int heads = 2;
            Tensor q = torch.randn(2, 4, 8), k = torch.randn(2, 6, 8), v = torch.randn(2, 6, 8);
            Tensor mask = torch.zeros(2, 1, 1, 6);
            mask.narrow(3, 4, 2).fill_(new Scalar(-10000.0));
            Tensor got = MultiHeadAttention.attend(q, k, v, heads, mask, false);
            Tensor qh = q.view(2, 4, heads, 4).transpose(1, 2), kh = k.view(2, 6, heads, 4).transpose(1, 2), vh = v.view(2, 6, heads, 4).transpose(1, 2);
            Tensor scores = qh.matmul(kh.transpose(2, 3)).mul(new Scalar(0.5)).add(mask); // 1/sqrt(4)
            Tensor ref = torch.softmax(scores, -1, new org.bytedeco.pytorch.ScalarTypeOptional()).matmul(vh).transpose(1, 2).reshape(2, 4, 8);
            assertTrue(maxDiff(got, ref) < 1e-5, "masked: " + maxDiff(got, ref));

            Tensor causal = MultiHeadAttention.attend(q, q, q, heads, null, true);
            Tensor qq = q.view(2, 4, heads, 4).transpose(1, 2);
            Tensor upper = torch.ones(4, 4).triu(1).mul(new Scalar(-1e9));
            Tensor refCausal = torch.softmax(qq.matmul(qq.transpose(2, 3)).mul(new Scalar(0.5)).add(upper), -1,
                    new org.bytedeco.pytorch.ScalarTypeOptional()).matmul(qq).transpose(1, 2).reshape(2, 4, 8);
            assertTrue(maxDiff(causal, refCausal) < 1e-5, "causal: " + maxDiff(causal, refCausal));
        }
    }

    @Test
    void quickGeluIsXTimesSigmoidOf1702X() {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = torch.linspace(new Scalar(-4.0), new Scalar(4.0), 33);
            Tensor ref = x.mul(torch.sigmoid(x.mul(new Scalar(1.702))));
            assertTrue(maxDiff(Activation.QUICK_GELU.apply(x), ref) < 1e-6);
        }
    }

    @Test
    void rmsNormComputesInFp32AndTheZeroCentredFormScalesByOnePlusWeight() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(3);
            Tensor x = torch.randn(2, 3, 8), g = torch.randn(8);
            Tensor rms = x.square().mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()).add(new Scalar(1e-6)).rsqrt();
            assertTrue(maxDiff(RmsNorm.of(g, 1e-6).apply(x), x.mul(rms).mul(g)) < 1e-6);
            assertTrue(maxDiff(RmsNorm.zeroCentred(g, 1e-6).apply(x), x.mul(rms).mul(g.add(new Scalar(1.0)))) < 1e-6);
            Tensor bf = x.to(torch.ScalarType.BFloat16);
            assertEquals(DType.BF16, Tensors.dtype(RmsNorm.of(g.to(torch.ScalarType.BFloat16), 1e-6).apply(bf)), "keeps the input dtype");
        }
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadAttentionWithEachKvHeadRepeated() {
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(4);
            Tensor q = torch.randn(2, 6, 5, 4), k = torch.randn(2, 2, 5, 4), v = torch.randn(2, 2, 5, 4); // 3 queries per group
            Tensor got = GroupedQueryAttention.attend(q, k, v, null, true);
            Tensor kr = torch.repeat_interleave(k, 3, new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional());
            Tensor vr = torch.repeat_interleave(v, 3, new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional());
            assertTrue(maxDiff(got, MultiHeadAttention.attendHeads(q, kr, vr, null, true)) < 1e-6);
        }
    }
}
