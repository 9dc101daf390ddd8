package dev.palate.models.vgg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.fid.WeightSource;
import dev.palate.models.inception.CpuConvSettings;

/**
 * torchvision's {@code vgg19().features} (configuration "E": 3×3 convs with padding 1, each followed by ReLU, max pool
 * 2/2 after each stage) up to conv5_1, which is all the Gram style loss needs. Keys as in torchvision's
 * {@code vgg19-dcbb9e9d.pth}: {@code features.N.weight}/{@code features.N.bias}, or {@code N.weight} when the source
 * holds only the {@code features} module. Input: RGB in [0,1], normalised here with the ImageNet mean/std.
 */
public final class Vgg19Features implements AutoCloseable {
    /** The style layers and their index in {@code features}: outputs taken after the conv, before its ReLU. */
    public static final Map<String, Integer> STYLE_LAYERS = orderedLayers();
    /** Conv indices of {@code features} up to conv5_1 and their channel widths (torchvision cfgs["E"]). */
    private static final int[] CONV_INDEX = {0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28};
    private static final int[] CONV_OUT = {64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512};
    /** All 16 convs of vgg19.features, for the full key table (30, 32, 34 are unused here). */
    private static final int[] ALL_CONV_INDEX = {0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34};
    private static final int[] ALL_CONV_OUT = {64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512};
    /** Indices of the 2/2 max pools. */
    private static final java.util.Set<Integer> POOL_INDEX = java.util.Set.of(4, 9, 18, 27, 36);
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final long[] S1 = {1, 1}, P1 = {1, 1}, D1 = {1, 1}, K2 = {2, 2}, P0 = {0, 0};

    private final Tensor[] weights;    // [out, in, 3, 3]
    private final Tensor[] biases;     // [out]
    private final TensorOptional[] biasOpts;
    private final Tensor mean, std;    // [1, 3, 1, 1] float32
    private final Device device;

    private Vgg19Features(Tensor[] w, Tensor[] b, Tensor mean, Tensor std, Device device) {
        this.weights = w;
        this.biases = b;
        this.biasOpts = new TensorOptional[b.length];
        for (int i = 0; i < b.length; i++) biasOpts[i] = new TensorOptional(b[i]);
        this.mean = mean;
        this.std = std;
        this.device = device;
    }

    private static Map<String, Integer> orderedLayers() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("conv1_1", 0);
        m.put("conv2_1", 5);
        m.put("conv3_1", 10);
        m.put("conv4_1", 19);
        m.put("conv5_1", 28);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every tensor of {@code vgg19().features} with its shape, in the {@code features}-relative naming ({@code 0.weight}). */
    public static Map<String, long[]> parameterShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        int in = 3;
        for (int i = 0; i < ALL_CONV_INDEX.length; i++) {
            m.put(ALL_CONV_INDEX[i] + ".weight", new long[]{ALL_CONV_OUT[i], in, 3, 3});
            m.put(ALL_CONV_INDEX[i] + ".bias", new long[]{ALL_CONV_OUT[i]});
            in = ALL_CONV_OUT[i];
        }
        return m;
    }

    /** Builds the network; accepts {@code features.N.*} (full torchvision checkpoint) or {@code N.*} keys. */
    public static Vgg19Features load(WeightSource source, Device device) {
        device.requireAvailable();
        CpuConvSettings.apply();
        String prefix = source.contains("features.0.weight") ? "features." : "";
        if (!source.contains(prefix + "0.weight"))
            throw new IllegalArgumentException(source.describe() + " is not a torchvision VGG19 checkpoint: no 'features.0.weight'"
                    + " (expected vgg19-dcbb9e9d.pth from download.pytorch.org/models)");
        Tensor[] w = new Tensor[CONV_INDEX.length], b = new Tensor[CONV_INDEX.length];
        org.bytedeco.pytorch.Device dev = device.toTorch();
        int in = 3;
        for (int i = 0; i < CONV_INDEX.length; i++) {
            w[i] = copy(source, prefix + CONV_INDEX[i] + ".weight", new long[]{CONV_OUT[i], in, 3, 3}, dev);
            b[i] = copy(source, prefix + CONV_INDEX[i] + ".bias", new long[]{CONV_OUT[i]}, dev);
            in = CONV_OUT[i];
        }
        Tensor mean = onDevice(Tensors.fromFloats(MEAN, 1, 3, 1, 1), dev);
        Tensor std = onDevice(Tensors.fromFloats(STD, 1, 3, 1, 1), dev);
        dev.close();
        return new Vgg19Features(w, b, mean, std, device);
    }

    private static Tensor copy(WeightSource source, String key, long[] expected, org.bytedeco.pytorch.Device dev) {
        float[] v;
        try (NativeScope s = NativeScope.open()) {
            Tensor t = source.get(key);
            if (!java.util.Arrays.equals(Tensors.shape(t), expected))
                throw new IllegalArgumentException(source.describe() + ": tensor '" + key + "' has shape "
                        + java.util.Arrays.toString(Tensors.shape(t)) + ", VGG19 expects " + java.util.Arrays.toString(expected));
            v = Tensors.toFloats(t);
        }
        return onDevice(Tensors.fromFloats(v, expected), dev);
    }

    private static Tensor onDevice(Tensor cpu, org.bytedeco.pytorch.Device dev) {
        if (dev.is_cpu()) return cpu;
        Tensor t = cpu.to(dev, torch.ScalarType.Float);
        cpu.close();
        return t;
    }

    public Device device() { return device; }

    /**
     * The pre-ReLU outputs of conv1_1, conv2_1, conv3_1, conv4_1, conv5_1 ({@link #STYLE_LAYERS} order) for RGB images
     * in [0,1] [N,3,H,W]; each [N, C, H', W'] float32 on this network's device, owned by the caller's scope.
     */
    public List<Tensor> styleActivations(Tensor images01) {
        List<Tensor> out = new ArrayList<>();
        try (NativeScope s = NativeScope.open()) {
            Tensor x = images01.to(weights[0].device(), torch.ScalarType.Float).sub(mean).div(std); // transforms.Normalize
            int conv = 0;
            for (int idx = 0; idx <= 28; idx++) {
                if (POOL_INDEX.contains(idx)) {
                    x = torch.max_pool2d(x, K2, K2, P0, D1, false);
                } else if (conv < CONV_INDEX.length && CONV_INDEX[conv] == idx) {
                    x = torch.conv2d(x, weights[conv], biasOpts[conv], S1, P1, D1, 1);
                    if (STYLE_LAYERS.containsValue(idx)) out.add(s.detach(x));
                    if (idx < 28) x = torch.relu(x); // not in place: the pre-ReLU output is kept
                    conv++;
                }
                // odd indices after a conv are its ReLU, handled above
            }
            return out;
        }
    }

    @Override
    public void close() {
        for (TensorOptional o : biasOpts) o.close();
        for (Tensor t : weights) t.close();
        for (Tensor t : biases) t.close();
        mean.close();
        std.close();
    }
}
