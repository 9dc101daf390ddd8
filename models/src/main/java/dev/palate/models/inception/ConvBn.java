package dev.palate.models.inception;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.fid.WeightSource;

/**
 * torchvision's {@code BasicConv2d} (conv without bias, BatchNorm eps 0.001 on running stats, ReLU) with the BatchNorm
 * folded into the conv when loaded: w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε), computed in float64 and rounded once to
 * float32. Reads {@code <name>.conv.weight} and {@code <name>.bn.{weight,bias,running_mean,running_var}}.
 */
final class ConvBn implements AutoCloseable {
    static final double BN_EPS = 0.001; // torchvision inception.py BasicConv2d: BatchNorm2d(eps=0.001)
    private static final long[] DILATION = {1, 1};

    final InceptionSpec.Conv spec;
    private final Tensor weight;          // [out, in, kh, kw] float32, BN folded
    private final Tensor bias;            // [out]
    private final TensorOptional biasOpt;
    private final long[] stride;
    private final long[] padding;

    private ConvBn(InceptionSpec.Conv spec, Tensor weight, Tensor bias) {
        this.spec = spec;
        this.weight = weight;
        this.bias = bias;
        this.biasOpt = new TensorOptional(bias);
        this.stride = new long[]{spec.stride(), spec.stride()};
        this.padding = new long[]{spec.padH(), spec.padW()};
    }

    /** Reads and folds one conv; the returned tensors live on {@code device} and are owned by this object. */
    static ConvBn load(InceptionSpec.Conv spec, WeightSource w, org.bytedeco.pytorch.Device device) {
        String p = spec.name();
        float[] conv, gamma, beta, mean, var;
        try (NativeScope s = NativeScope.open()) { // frees what the source made for us; the source keeps its own
            conv = read(w, p + ".conv.weight", spec.weightShape());
            gamma = read(w, p + ".bn.weight", new long[]{spec.out()});
            beta = read(w, p + ".bn.bias", new long[]{spec.out()});
            mean = read(w, p + ".bn.running_mean", new long[]{spec.out()});
            var = read(w, p + ".bn.running_var", new long[]{spec.out()});
        }
        int per = conv.length / spec.out();
        float[] fw = new float[conv.length];
        float[] fb = new float[spec.out()];
        for (int o = 0; o < spec.out(); o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + BN_EPS);
            for (int i = 0; i < per; i++) fw[o * per + i] = (float) (conv[o * per + i] * scale);
            fb[o] = (float) (beta[o] - mean[o] * scale);
        }
        Tensor wt = toDevice(Tensors.fromFloats(fw, spec.weightShape()), device);
        Tensor bt = toDevice(Tensors.fromFloats(fb, spec.out()), device);
        return new ConvBn(spec, wt, bt);
    }

    /** conv → (folded BN) → ReLU. */
    Tensor apply(Tensor x) {
        Tensor y = torch.conv2d(x, weight, biasOpt, stride, padding, DILATION, 1);
        y.relu_(); // in place: y is a fresh temporary
        return y;
    }

    private static Tensor toDevice(Tensor cpu, org.bytedeco.pytorch.Device device) {
        if (device.is_cpu()) return cpu;
        Tensor t = cpu.to(device, cpu.scalar_type());
        cpu.close();
        return t;
    }

    static float[] read(WeightSource w, String key, long[] expected) {
        Tensor t = w.get(key);
        long[] shape = Tensors.shape(t);
        if (!java.util.Arrays.equals(shape, expected))
            throw new IllegalArgumentException(w.describe() + ": tensor '" + key + "' has shape " + java.util.Arrays.toString(shape)
                    + ", the pytorch-fid InceptionV3 expects " + java.util.Arrays.toString(expected)
                    + " (is this pt_inception-2015-12-05-6726825d.pth?)");
        return Tensors.toFloats(t);
    }

    @Override
    public void close() {
        biasOpt.close();
        weight.close();
        bias.close();
    }
}
