package dev.palate.models.fid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.Tensors;

/**
 * The fixtures' deterministic weight rule (testdata/README.md, "fid-style/"): every floating tensor is filled from a
 * hash of its key, so parity tests need no released checkpoint. All arithmetic is exact and matches the generator
 * bit for bit: FNV-1a 64 of the key, xor the seed, a SplitMix64 stream per element, 24-bit uniforms.
 */
public final class DeterministicWeights implements WeightSource {
    /** The seed the fixtures were generated with ({@code weights_manifest.json}). */
    public static final long FIXTURE_SEED = 1592598447L;

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Map<String, long[]> shapes;

    /** @param shapes every key this source answers, with its shape, in the released file's naming */
    public DeterministicWeights(long seed, Map<String, long[]> shapes) {
        this.seed = seed;
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    }

    @Override
    public Tensor get(String key) {
        long[] shape = shapes.get(key);
        if (shape == null) throw new IllegalArgumentException(describe() + ": no tensor '" + key + "'");
        return Tensors.fromFloats(values(key, shape), shape);
    }

    @Override
    public Set<String> keys() { return shapes.keySet(); }

    @Override
    public String describe() { return "deterministic weights (seed " + seed + ")"; }

    /** The values of {@code key}, row-major, as the rule defines them. */
    public float[] values(String key, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] out = new float[Math.toIntExact(n)];
        long h = fnv1a64(key) ^ seed;
        Kind kind = Kind.of(key, shape);
        float scale = kind == Kind.KAIMING_LIKE ? (float) Math.sqrt(6.0 / fanIn(shape)) : 0f;
        for (int i = 0; i < out.length; i++) {
            float u = uniform(h, i + 1L);
            switch (kind) {
                case RUNNING_VAR: out[i] = 1f + 0.5f * u; break;
                case RUNNING_MEAN: out[i] = 0.1f * u; break;
                case BN_WEIGHT: out[i] = 1f + 0.1f * u; break;
                case BN_BIAS: out[i] = 0.1f * u; break;
                case KAIMING_LIKE: out[i] = u * scale; break;
                default: out[i] = 0.05f * u; break;
            }
        }
        return out;
    }

    /** U = float32(2u − 1), u = top 24 bits of SplitMix64(h + i·γ) / 2²⁴. */
    static float uniform(long h, long i) {
        long z = h + i * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        double u = (z >>> 40) / 16777216.0;
        return (float) (2 * u - 1);
    }

    static long fnv1a64(String key) {
        long h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    private static long fanIn(long[] shape) {
        long p = 1;
        for (int i = 1; i < shape.length; i++) p *= shape[i];
        return p;
    }

    private enum Kind {
        RUNNING_VAR, RUNNING_MEAN, BN_WEIGHT, BN_BIAS, KAIMING_LIKE, SMALL_VECTOR;

        static Kind of(String key, long[] shape) {
            if (key.endsWith("running_var")) return RUNNING_VAR;
            if (key.endsWith("running_mean")) return RUNNING_MEAN;
            if (key.endsWith(".bn.weight")) return BN_WEIGHT;
            if (key.endsWith(".bn.bias")) return BN_BIAS;
            if (shape.length >= 2) return KAIMING_LIKE;
            return SMALL_VECTOR;
        }
    }

    @Override
    public String toString() { return describe() + " " + shapes.size() + " tensors, first " + shapes.keySet().stream().findFirst().map(k -> k + Arrays.toString(shapes.get(k))).orElse("-"); }
}
