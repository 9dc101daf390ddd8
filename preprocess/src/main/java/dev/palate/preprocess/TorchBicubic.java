package dev.palate.preprocess;

/**
 * The float32 bicubic resize without antialias ({@code align_corners=False}) that HPSv2's scorer ran under
 * torch 1.13 / torchvision 0.14: Keys cubic with A = −0.75, 4 taps with indices clamped at the borders, no
 * clamping of values, scale {@code float(in) / out}, source coordinate {@code scale * (dst + 0.5) - 0.5}
 * (PyTorch {@code aten/src/ATen/native/UpSample.h}, {@code cpu/UpSampleKernel.cpp}).
 *
 * <p>Ported rather than called through libtorch because the arithmetic changed: torch 1.13 evaluates the
 * coordinate with a double literal 0.5, libtorch 2.x entirely in float. On a 1920-pixel side the float version moves
 * the coordinate by up to 1e-4, measured as up to 6.4e-5 (normalised) against the fixtures. Keeping the coordinate
 * and the weights in double from the float scale matched best of the variants tried (within 3e-6 on all fixture
 * images; rounding the coordinate or weights to float was 2–6e-6 worse).
 */
final class TorchBicubic {
    private static final double A = -0.75;

    private TorchBicubic() {}

    /** Resizes {@code [C, h, w]} float planes to {@code [C, outH, outW]}. */
    static float[] resize(float[] src, int channels, int w, int h, int outW, int outH) {
        Taps xs = Taps.of(w, outW), ys = Taps.of(h, outH);
        float[] out = new float[channels * outW * outH];
        for (int c = 0; c < channels; c++) {
            int plane = c * w * h;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    double acc = 0;
                    for (int j = 0; j < 4; j++) {
                        int row = plane + ys.index[oy * 4 + j] * w;
                        double t = 0;
                        for (int i = 0; i < 4; i++) t += src[row + xs.index[ox * 4 + i]] * xs.weight[ox * 4 + i];
                        acc += t * ys.weight[oy * 4 + j];
                    }
                    out[c * outW * outH + oy * outW + ox] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Per output index: 4 clamped source indices and their weights. */
    private record Taps(int[] index, double[] weight) {
        static Taps of(int inSize, int outSize) {
            float scale = (float) inSize / (float) outSize;
            int[] index = new int[outSize * 4];
            double[] weight = new double[outSize * 4];
            for (int i = 0; i < outSize; i++) {
                double real = scale * (i + 0.5) - 0.5;
                int in = (int) Math.floor(real);
                double t = real - in;
                weight[i * 4] = convolution2(t + 1.0);
                weight[i * 4 + 1] = convolution1(t);
                weight[i * 4 + 2] = convolution1(1.0 - t);
                weight[i * 4 + 3] = convolution2(2.0 - t);
                for (int j = 0; j < 4; j++) index[i * 4 + j] = Math.max(Math.min(in - 1 + j, inSize - 1), 0);
            }
            return new Taps(index, weight);
        }
    }

    /** |x| ≤ 1. */
    private static double convolution1(double x) { return ((A + 2) * x - (A + 3)) * x * x + 1; }

    /** 1 < |x| < 2. */
    private static double convolution2(double x) { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; }
}
