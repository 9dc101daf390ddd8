package dev.palate.models.inception;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.models.fid.WeightSource;

/**
 * pytorch-fid's InceptionV3 ({@code InceptionV3([block], resize_input=True, normalize_input=True,
 * use_fid_inception=True)}): torchvision's Inception3 trunk with the FID blocks, which differ from torchvision in the
 * pool branch — A, C and E_1 use {@code avg_pool2d(3, 1, 1, count_include_pad=False)} (TensorFlow's average pool),
 * E_2 ({@code Mixed_7c}) uses {@code max_pool2d(3, 1, 1)}.
 *
 * <p>Input: RGB in [0,1], any size, [N,3,H,W] float32. Inside the network (pytorch-fid inception.py forward):
 * bilinear resize to 299×299 (align_corners=False, no antialias), then 2x − 1. Output for {@code dims}:
 * 64 (first max pool), 192 (second max pool), 768 (before the aux classifier), 2048 (pool3), each global-average
 * pooled to [N, dims] as pytorch-fid's {@code get_activations} does.
 */
public final class FidInceptionV3 implements AutoCloseable {
    public static final int SIZE = 299;
    /** pytorch-fid {@code BLOCK_INDEX_BY_DIM}. */
    public static final Map<Integer, Integer> BLOCK_INDEX_BY_DIM = Map.of(64, 0, 192, 1, 768, 2, 2048, 3);

    private static final long[] K3 = {3, 3}, S1 = {1, 1}, S2 = {2, 2}, P0 = {0, 0}, P1 = {1, 1}, D1 = {1, 1};

    private final Map<String, ConvBn> convs;
    private final Device device;
    private final LongOptional noDivisorOverride = new LongOptional();

    private FidInceptionV3(Map<String, ConvBn> convs, Device device) {
        this.convs = convs;
        this.device = device;
    }

    /** Every key of {@code pt_inception-2015-12-05-6726825d.pth} with its shape (fc included, unused). */
    public static Map<String, long[]> parameterShapes() { return InceptionSpec.parameterShapes(); }

    /**
     * Builds the network from tensors named as in the released file, folding each BatchNorm into its conv.
     * Fails listing missing or unexpected keys; {@code fc.*} and BN {@code num_batches_tracked} may be present and are
     * ignored (BN buffers are folded, fc is not used for pool3).
     */
    public static FidInceptionV3 load(WeightSource weights, Device device) {
        device.requireAvailable();
        CpuConvSettings.apply();
        Set<String> missing = new TreeSet<>(parameterShapes().keySet());
        missing.removeAll(weights.keys());
        missing.removeAll(InceptionSpec.UNUSED.keySet());
        if (!missing.isEmpty())
            throw new IllegalArgumentException(weights.describe() + " is not the pytorch-fid Inception checkpoint: "
                    + missing.size() + " tensors missing, e.g. " + missing.stream().limit(5).toList()
                    + "; expected pt_inception-2015-12-05-6726825d.pth from github.com/mseitzer/pytorch-fid releases");
        Set<String> unexpected = new TreeSet<>(weights.keys());
        unexpected.removeAll(parameterShapes().keySet());
        unexpected.removeIf(k -> k.endsWith(".num_batches_tracked"));
        if (!unexpected.isEmpty())
            throw new IllegalArgumentException(weights.describe() + " has " + unexpected.size() + " tensors the pytorch-fid Inception"
                    + " does not, e.g. " + unexpected.stream().limit(5).toList() + (unexpected.stream().anyMatch(k -> k.startsWith("AuxLogits"))
                    ? ": this looks like torchvision's ImageNet inception_v3, whose weights and blocks differ; FID needs " : "; expected ")
                    + "pt_inception-2015-12-05-6726825d.pth");
        Map<String, ConvBn> convs = new LinkedHashMap<>();
        org.bytedeco.pytorch.Device dev = device.toTorch();
        try {
            for (InceptionSpec.Conv spec : InceptionSpec.CONVS) {
                convs.put(spec.name(), ConvBn.load(spec, weights, dev));
            }
        } catch (RuntimeException e) {
            convs.values().forEach(ConvBn::close);
            throw e;
        } finally {
            dev.close();
        }
        return new FidInceptionV3(convs, device);
    }

    public Device device() { return device; }

    /** pool3 features [N, 2048] of RGB images in [0,1] ([N,3,H,W] float32, any device). */
    public Tensor pool3(Tensor images01) { return features(images01, 2048); }

    /**
     * Globally average-pooled activations [N, dims] of the block pytorch-fid selects for {@code dims}
     * (64, 192, 768 or 2048), float32 on this network's device. Owned by the caller's scope.
     */
    public Tensor features(Tensor images01, int dims) {
        Integer block = BLOCK_INDEX_BY_DIM.get(dims);
        if (block == null) throw new IllegalArgumentException("FID Inception offers dims 64, 192, 768 or 2048, not " + dims);
        if (images01.dim() != 4 || images01.size(1) != 3)
            throw new IllegalArgumentException("expected RGB images [N,3,H,W], got " + java.util.Arrays.toString(dev.palate.engine.Tensors.shape(images01)));
        try (NativeScope s = NativeScope.open()) {
            Tensor x = stem0(images01);                 // [N, 64, 73, 73]
            if (block > 0) x = stem1(x);                // [N, 192, 35, 35]
            if (block > 1) x = mixed6(x);               // [N, 768, 17, 17]
            if (block > 2) x = mixed7(x);               // [N, 2048, 8, 8]
            Tensor pooled = torch.adaptive_avg_pool2d(x, 1, 1).flatten(1, 3); // [N, dims]
            return s.detach(pooled);
        }
    }

    /** Block 0: resize, 2x−1, Conv2d_1a/2a/2b, max pool 3/2. */
    private Tensor stem0(Tensor images01) {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = onDevice(images01);
            if (x.size(2) != SIZE || x.size(3) != SIZE)
                x = torch.upsample_bilinear2d(x, new long[]{SIZE, SIZE}, false); // F.interpolate bilinear, no antialias
            x = x.mul(new Scalar(2.0)).sub(new Scalar(1.0));                      // [N, 3, 299, 299] in [-1, 1]
            x = conv("Conv2d_1a_3x3", x);                                          // [N, 32, 149, 149]
            x = conv("Conv2d_2a_3x3", x);                                          // [N, 32, 147, 147]
            x = conv("Conv2d_2b_3x3", x);                                          // [N, 64, 147, 147]
            return s.detach(maxPool3s2(x));                                        // [N, 64, 73, 73]
        }
    }

    /** Block 1: Conv2d_3b/4a, max pool 3/2. */
    private Tensor stem1(Tensor x) {
        try (NativeScope s = NativeScope.open()) {
            x = conv("Conv2d_3b_1x1", x);                                          // [N, 80, 73, 73]
            x = conv("Conv2d_4a_3x3", x);                                          // [N, 192, 71, 71]
            return s.detach(maxPool3s2(x));                                        // [N, 192, 35, 35]
        }
    }

    /** Block 2: Mixed_5b..5d (A), 6a (B), 6b..6e (C). */
    private Tensor mixed6(Tensor x) {
        x = inceptionA("Mixed_5b", x);                                             // [N, 256, 35, 35]
        x = inceptionA("Mixed_5c", x);                                             // [N, 288, 35, 35]
        x = inceptionA("Mixed_5d", x);                                             // [N, 288, 35, 35]
        x = inceptionB("Mixed_6a", x);                                             // [N, 768, 17, 17]
        for (String n : new String[]{"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"}) x = inceptionC(n, x);
        return x;                                                                  // [N, 768, 17, 17]
    }

    /** Block 3: Mixed_7a (D), 7b (E_1, avg pool branch), 7c (E_2, max pool branch). */
    private Tensor mixed7(Tensor x) {
        x = inceptionD("Mixed_7a", x);                                             // [N, 1280, 8, 8]
        x = inceptionE("Mixed_7b", x, false);                                      // [N, 2048, 8, 8]
        return inceptionE("Mixed_7c", x, true);                                    // [N, 2048, 8, 8]
    }

    private Tensor inceptionA(String n, Tensor x) {
        try (NativeScope s = NativeScope.open()) {
            Tensor b1 = conv(n + ".branch1x1", x);
            Tensor b5 = conv(n + ".branch5x5_2", conv(n + ".branch5x5_1", x));
            Tensor b3 = conv(n + ".branch3x3dbl_3", conv(n + ".branch3x3dbl_2", conv(n + ".branch3x3dbl_1", x)));
            Tensor bp = conv(n + ".branch_pool", avgPoolTf(x));
            return s.detach(cat(b1, b5, b3, bp));
        }
    }

    private Tensor inceptionB(String n, Tensor x) {
        try (NativeScope s = NativeScope.open()) {
            Tensor b3 = conv(n + ".branch3x3", x);
            Tensor bd = conv(n + ".branch3x3dbl_3", conv(n + ".branch3x3dbl_2", conv(n + ".branch3x3dbl_1", x)));
            Tensor bp = maxPool3s2(x);
            return s.detach(cat(b3, bd, bp));
        }
    }

    private Tensor inceptionC(String n, Tensor x) {
        try (NativeScope s = NativeScope.open()) {
            Tensor b1 = conv(n + ".branch1x1", x);
            Tensor b7 = conv(n + ".branch7x7_3", conv(n + ".branch7x7_2", conv(n + ".branch7x7_1", x)));
            Tensor bd = x;
            for (int i = 1; i <= 5; i++) bd = conv(n + ".branch7x7dbl_" + i, bd);
            Tensor bp = conv(n + ".branch_pool", avgPoolTf(x));
            return s.detach(cat(b1, b7, bd, bp));
        }
    }

    private Tensor inceptionD(String n, Tensor x) {
        try (NativeScope s = NativeScope.open()) {
            Tensor b3 = conv(n + ".branch3x3_2", conv(n + ".branch3x3_1", x));
            Tensor b7 = x;
            for (int i = 1; i <= 4; i++) b7 = conv(n + ".branch7x7x3_" + i, b7);
            Tensor bp = maxPool3s2(x);
            return s.detach(cat(b3, b7, bp));
        }
    }

    /** E_1 (avg pool branch) or E_2 ({@code maxPoolBranch}, pytorch-fid FIDInceptionE_2). */
    private Tensor inceptionE(String n, Tensor x, boolean maxPoolBranch) {
        try (NativeScope s = NativeScope.open()) {
            Tensor b1 = conv(n + ".branch1x1", x);
            Tensor t3 = conv(n + ".branch3x3_1", x);
            Tensor b3 = cat(conv(n + ".branch3x3_2a", t3), conv(n + ".branch3x3_2b", t3));
            Tensor td = conv(n + ".branch3x3dbl_2", conv(n + ".branch3x3dbl_1", x));
            Tensor bd = cat(conv(n + ".branch3x3dbl_3a", td), conv(n + ".branch3x3dbl_3b", td));
            Tensor pooled = maxPoolBranch ? torch.max_pool2d(x, K3, S1, P1, D1, false) : avgPoolTf(x);
            Tensor bp = conv(n + ".branch_pool", pooled);
            return s.detach(cat(b1, b3, bd, bp));
        }
    }

    /** The input as float32 on this network's device (the input itself when it already is). */
    private Tensor onDevice(Tensor x) {
        boolean here = device.isCuda() ? x.is_cuda() && x.device().index() == device.index() : x.is_cpu();
        if (here && x.scalar_type() == torch.ScalarType.Float) return x;
        return x.to(device.toTorch(), torch.ScalarType.Float);
    }

    private Tensor conv(String name, Tensor x) {
        return convs.get(name).apply(x);
    }

    private static Tensor maxPool3s2(Tensor x) {
        return torch.max_pool2d(x, K3, S2, P0, D1, false);
    }

    /** TensorFlow-style average pool: padded zeros are not counted (count_include_pad=False). */
    private Tensor avgPoolTf(Tensor x) {
        return torch.avg_pool2d(x, K3, S1, P1, false, false, noDivisorOverride);
    }

    private static Tensor cat(Tensor... parts) {
        try (TensorVector v = new TensorVector(parts)) {
            return torch.cat(v, 1);
        }
    }

    @Override
    public void close() {
        convs.values().forEach(ConvBn::close);
        noDivisorOverride.close();
    }
}
