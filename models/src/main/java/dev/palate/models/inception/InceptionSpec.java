package dev.palate.models.inception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pytorch-fid InceptionV3 architecture as an explicit table of its BasicConv2d layers, in the released file's key
 * naming ({@code pt_inception-2015-12-05-6726825d.pth}, torchvision {@code Inception3} names, no AuxLogits).
 * Source: torchvision models/inception.py (InceptionA..E) with pytorch-fid's FID blocks; strides and paddings below.
 */
final class InceptionSpec {
    /** One BasicConv2d: {@code name}.conv (no bias) + {@code name}.bn. */
    record Conv(String name, int in, int out, int kh, int kw, int stride, int padH, int padW) {
        long[] weightShape() { return new long[]{out, in, kh, kw}; }
    }

    static final List<Conv> CONVS;
    static {
        List<Conv> c = new ArrayList<>();
        // Stem: 299 -> 149 -> 147 -> 147 -> maxpool 73 -> 73 -> 71 -> maxpool 35
        c.add(new Conv("Conv2d_1a_3x3", 3, 32, 3, 3, 2, 0, 0));
        c.add(new Conv("Conv2d_2a_3x3", 32, 32, 3, 3, 1, 0, 0));
        c.add(new Conv("Conv2d_2b_3x3", 32, 64, 3, 3, 1, 1, 1));
        c.add(new Conv("Conv2d_3b_1x1", 64, 80, 1, 1, 1, 0, 0));
        c.add(new Conv("Conv2d_4a_3x3", 80, 192, 3, 3, 1, 0, 0));
        blockA(c, "Mixed_5b", 192, 32);
        blockA(c, "Mixed_5c", 256, 64);
        blockA(c, "Mixed_5d", 288, 64);
        blockB(c, "Mixed_6a", 288);
        blockC(c, "Mixed_6b", 768, 128);
        blockC(c, "Mixed_6c", 768, 160);
        blockC(c, "Mixed_6d", 768, 160);
        blockC(c, "Mixed_6e", 768, 192);
        blockD(c, "Mixed_7a", 768);
        blockE(c, "Mixed_7b", 1280);
        blockE(c, "Mixed_7c", 2048);
        CONVS = Collections.unmodifiableList(c);
    }

    /** The classifier of the released file, unused by FID (pool3 is taken before it). */
    static final Map<String, long[]> UNUSED = Map.of("fc.weight", new long[]{1008, 2048}, "fc.bias", new long[]{1008});

    private InceptionSpec() {}

    /** InceptionA: [64 | 48→64 (5×5) | 64→96→96 | avgpool→pool]; out 224 + pool. */
    private static void blockA(List<Conv> c, String n, int in, int pool) {
        c.add(new Conv(n + ".branch1x1", in, 64, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch5x5_1", in, 48, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch5x5_2", 48, 64, 5, 5, 1, 2, 2));
        c.add(new Conv(n + ".branch3x3dbl_1", in, 64, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
        c.add(new Conv(n + ".branch3x3dbl_3", 96, 96, 3, 3, 1, 1, 1));
        c.add(new Conv(n + ".branch_pool", in, pool, 1, 1, 1, 0, 0));
    }

    /** InceptionB (grid reduction 35 → 17): [384 (3×3/2) | 64→96→96 (3×3/2) | maxpool 3/2]. */
    private static void blockB(List<Conv> c, String n, int in) {
        c.add(new Conv(n + ".branch3x3", in, 384, 3, 3, 2, 0, 0));
        c.add(new Conv(n + ".branch3x3dbl_1", in, 64, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
        c.add(new Conv(n + ".branch3x3dbl_3", 96, 96, 3, 3, 2, 0, 0));
    }

    /** InceptionC: [192 | c7→c7 (1×7)→192 (7×1) | c7→c7 (7×1)→c7 (1×7)→c7 (7×1)→192 (1×7) | avgpool→192]. */
    private static void blockC(List<Conv> c, String n, int in, int c7) {
        c.add(new Conv(n + ".branch1x1", in, 192, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch7x7_1", in, c7, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch7x7_2", c7, c7, 1, 7, 1, 0, 3));
        c.add(new Conv(n + ".branch7x7_3", c7, 192, 7, 1, 1, 3, 0));
        c.add(new Conv(n + ".branch7x7dbl_1", in, c7, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch7x7dbl_2", c7, c7, 7, 1, 1, 3, 0));
        c.add(new Conv(n + ".branch7x7dbl_3", c7, c7, 1, 7, 1, 0, 3));
        c.add(new Conv(n + ".branch7x7dbl_4", c7, c7, 7, 1, 1, 3, 0));
        c.add(new Conv(n + ".branch7x7dbl_5", c7, 192, 1, 7, 1, 0, 3));
        c.add(new Conv(n + ".branch_pool", in, 192, 1, 1, 1, 0, 0));
    }

    /** InceptionD (grid reduction 17 → 8): [192→320 (3×3/2) | 192→192 (1×7)→192 (7×1)→192 (3×3/2) | maxpool 3/2]. */
    private static void blockD(List<Conv> c, String n, int in) {
        c.add(new Conv(n + ".branch3x3_1", in, 192, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3_2", 192, 320, 3, 3, 2, 0, 0));
        c.add(new Conv(n + ".branch7x7x3_1", in, 192, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch7x7x3_2", 192, 192, 1, 7, 1, 0, 3));
        c.add(new Conv(n + ".branch7x7x3_3", 192, 192, 7, 1, 1, 3, 0));
        c.add(new Conv(n + ".branch7x7x3_4", 192, 192, 3, 3, 2, 0, 0));
    }

    /** InceptionE: [320 | 384→(384 (1×3) ‖ 384 (3×1)) | 448→384 (3×3)→(384 (1×3) ‖ 384 (3×1)) | pool→192]. */
    private static void blockE(List<Conv> c, String n, int in) {
        c.add(new Conv(n + ".branch1x1", in, 320, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3_1", in, 384, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3_2a", 384, 384, 1, 3, 1, 0, 1));
        c.add(new Conv(n + ".branch3x3_2b", 384, 384, 3, 1, 1, 1, 0));
        c.add(new Conv(n + ".branch3x3dbl_1", in, 448, 1, 1, 1, 0, 0));
        c.add(new Conv(n + ".branch3x3dbl_2", 448, 384, 3, 3, 1, 1, 1));
        c.add(new Conv(n + ".branch3x3dbl_3a", 384, 384, 1, 3, 1, 0, 1));
        c.add(new Conv(n + ".branch3x3dbl_3b", 384, 384, 3, 1, 1, 1, 0));
        c.add(new Conv(n + ".branch_pool", in, 192, 1, 1, 1, 0, 0));
    }

    /** Every tensor of the released file with its shape (BN buffers included, fc last), in module order. */
    static Map<String, long[]> parameterShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (Conv c : CONVS) {
            m.put(c.name() + ".conv.weight", c.weightShape());
            for (String b : new String[]{"weight", "bias", "running_mean", "running_var"})
                m.put(c.name() + ".bn." + b, new long[]{c.out()});
        }
        m.put("fc.weight", UNUSED.get("fc.weight"));
        m.put("fc.bias", UNUSED.get("fc.bias"));
        return m;
    }
}
