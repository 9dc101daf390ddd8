package dev.palate.engine.nn;

import java.util.Arrays;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;

/**
 * Rotary position embedding with rotate-half pairing (dimension i rotates with i + D/2), as the Llama/Qwen families
 * apply it: 1-D positions, multimodal M-RoPE (three position streams t, h, w, each owning a section of the
 * frequencies; Qwen2-VL's contiguous sections or Qwen3-VL's interleaved pattern), and the 2-D (row, column) form of
 * the Qwen-VL vision towers.
 *
 * <p>Angles are computed in fp32 as transformers does ({@code inv_freq = 1 / base^(arange(0, D, 2) / D)}, one fp32
 * product per position and frequency), cos and sin are then cast to the model dtype by the caller's choice.
 */
public final class RotaryEmbedding {
    private RotaryEmbedding() {}

    /** How the M-RoPE frequency slots are assigned to the t, h, w position streams. */
    public enum MropeLayout {
        /** Qwen2-VL / Qwen2.5-VL: contiguous sections [t…, h…, w…] ({@code recomposition_frequencies}, modeling_qwen2_vl.py). */
        CONTIGUOUS,
        /** Qwen3-VL / Qwen3.5: slot k takes h when k % 3 == 1 and k < 3·h_section, w when k % 3 == 2 and k < 3·w_section, else t (modeling_qwen3_vl.py {@code Qwen3VLTextRotaryEmbedding.recomposition_frequencies}). */
        INTERLEAVED
    }

    /**
     * {@code inv_freq} [dim/2], fp32 on the CPU: {@code 1 / base^(arange(0, dim, 2) / dim)} computed as torch does
     * (modeling_rope_utils.py {@code _compute_default_rope_parameters}: fp32 exponent, {@code base ** t}, reciprocal).
     */
    public static Tensor inverseFrequencies(double base, int dim) {
        if (dim % 2 != 0) throw new IllegalArgumentException("rotary dimension must be even, got " + dim);
        try (TensorOptions f32 = new TensorOptions(DType.F32.scalarType())) {
            Tensor exponent = torch.arange(new Scalar(0), new Scalar(dim), new Scalar(2), f32).div(new Scalar((double) dim));
            return torch.pow(new Scalar(base), exponent).reciprocal();
        }
    }

    /** cos and sin tables, {@code [..., D]} each, in the dtype asked for. */
    public record CosSin(Tensor cos, Tensor sin) {}

    /**
     * M-RoPE tables for decoder tokens: {@code positions [3, B, L]} (int64, t/h/w streams; equal streams give plain
     * 1-D RoPE) → cos, sin {@code [B, L, 2·F]} where F = {@code invFreq} length = sum of {@code sections}.
     */
    public static CosSin mrope(Tensor invFreq, Tensor positions, int[] sections, MropeLayout layout, DType dtype) {
        int f = Math.toIntExact(invFreq.size(0));
        if (Arrays.stream(sections).sum() != f)
            throw new IllegalArgumentException("mrope_section " + Arrays.toString(sections) + " must sum to head_dim/2 = " + f);
        Tensor inv = invFreq.to(positions.device(), DType.F32.scalarType());
        Tensor freqs = positions.to(DType.F32.scalarType()).unsqueeze(-1).mul(inv); // [3, B, L, F]
        Tensor chosen = layout == MropeLayout.CONTIGUOUS ? contiguous(freqs, sections) : interleaved(freqs, sections);
        return tables(chosen, dtype);
    }

    /** Plain 1-D RoPE: {@code positions [B, L]} → cos, sin {@code [B, L, 2·F]}. */
    public static CosSin plain(Tensor invFreq, Tensor positions, DType dtype) {
        Tensor inv = invFreq.to(positions.device(), DType.F32.scalarType());
        return tables(positions.to(DType.F32.scalarType()).unsqueeze(-1).mul(inv), dtype);
    }

    /**
     * The 2-D rotary of the Qwen-VL vision towers: {@code rowCol [N, 2]} (patch row, column) → cos, sin {@code [N, 4·F]}
     * laid out {@code [row·f (F), col·f (F)]} twice, fp32 (Qwen2VLVisionRotaryEmbedding.recomposition_frequencies).
     */
    public static CosSin vision(Tensor invFreq, Tensor rowCol) {
        Tensor inv = invFreq.to(rowCol.device(), DType.F32.scalarType());
        Tensor freqs = rowCol.to(DType.F32.scalarType()).unsqueeze(-1).mul(inv);     // [N, 2, F]
        Tensor hw = torch.cat(new TensorVector(freqs.select(1, 0), freqs.select(1, 1)), -1); // [N, 2F]
        return tables(hw, DType.F32);
    }

    /** {@code x·cos + rotate_half(x)·sin}; cos/sin must broadcast against x (unsqueeze the head axis first). */
    public static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
        return x.mul(cos).add(rotateHalf(x).mul(sin));
    }

    /** {@code cat(−x[..., D/2:], x[..., :D/2])} (modeling_llama.py rotate_half). */
    public static Tensor rotateHalf(Tensor x) {
        long half = x.size(-1) / 2;
        Tensor x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
        return torch.cat(new TensorVector(x2.neg(), x1), -1);
    }

    private static Tensor contiguous(Tensor freqs, int[] sections) {
        TensorVector parts = new TensorVector();
        long offset = 0;
        for (int i = 0; i < sections.length; i++) {
            parts.push_back(freqs.select(0, i % 3).narrow(-1, offset, sections[i]));
            offset += sections[i];
        }
        return torch.cat(parts, -1); // [B, L, F]
    }

    private static Tensor interleaved(Tensor freqs, int[] sections) {
        // modeling_qwen3_vl.py Qwen3VLTextRotaryEmbedding.recomposition_frequencies: start from t, overwrite slots
        // idx = offset, offset+3, ... below 3·section with stream h (offset 1) and w (offset 2).
        long f = freqs.size(-1);
        int[] stream = new int[(int) f];
        for (int dim = 1; dim <= 2; dim++)
            for (int k = dim; k < 3 * sections[dim] && k < f; k += 3) stream[k] = dim;
        TensorVector parts = new TensorVector();
        for (int k = 0; k < f; k++) parts.push_back(freqs.select(0, stream[k]).narrow(-1, k, 1));
        return torch.cat(parts, -1);
    }

    private static CosSin tables(Tensor freqs, DType dtype) {
        Tensor emb = torch.cat(new TensorVector(freqs, freqs), -1);
        return new CosSin(emb.cos().to(dtype.scalarType()), emb.sin().to(dtype.scalarType()));
    }
}
