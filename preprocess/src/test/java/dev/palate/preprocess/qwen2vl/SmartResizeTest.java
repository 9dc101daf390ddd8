package dev.palate.preprocess.qwen2vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Both smart_resize variants on the cases testdata/README.md and models.md §2.8 state (sizes exact). */
class SmartResizeTest {
    private static final int HPS = Qwen2VlImageProcessor.HPSV3_PIXELS;

    @Test
    void hpsv3FetchSizesOfTheFixtureImages() {
        // {height, width} -> {h̄, w̄} from preprocess.safetensors metadata "images" (resized_wh reversed).
        int[][] cases = {{480, 640, 364, 504}, {1024, 1024, 448, 448}, {100, 150, 392, 560}, {517, 333, 560, 364},
                {96, 128, 392, 532}, {300, 400, 392, 532}, {30, 20, 560, 392}, {1080, 1920, 336, 588}, {100, 1500, 140, 1736}};
        for (int[] c : cases)
            assertEquals(new SmartResize.Size(c[2], c[3]), SmartResize.qwenVlUtils(c[0], c[1], 28, HPS, HPS), c[0] + "x" + c[1]);
    }

    @Test
    void minEqualMaxDoesNotPinTheAreaBecauseTheCeilBranchOvershoots() {
        SmartResize.Size s = SmartResize.qwenVlUtils(100, 1500, 28, HPS, HPS);
        assertEquals(243040, s.area());
        assertTrue(s.area() > HPS);
    }

    @Test
    void transformersScalesTinySidesUpWhereQwenVlUtilsClampsToTheFactorFirst() {
        // 5.18: round(20/28)*28 = 28, round(30/28)*28 = 28 -> 784 < 3136 -> ceil branch -> 84x56.
        assertEquals(new SmartResize.Size(84, 56), SmartResize.transformers(30, 20, 28, 3136, 12845056));
        // A side under 14 rounds to 0 in 5.18 (no max(factor, ...)); the area check then scales it up.
        assertEquals(new SmartResize.Size(28, 112), SmartResize.transformers(10, 40, 28, 3136, 12845056));
        assertEquals(new SmartResize.Size(28, 112), SmartResize.qwenVlUtils(10, 40, 28, 3136, 12845056));
    }

    @Test
    void roundIsHalfToEvenLikePython() {
        // 42/28 = 1.5 -> 2, 70/28 = 2.5 -> 2 (Python round), not 3.
        assertEquals(new SmartResize.Size(56, 56), SmartResize.transformers(42, 70, 28, 0, 1 << 30));
    }

    @Test
    void floorBranchClampsToTheFactorOnlyInTransformers() {
        // 28x5000 area bound 28*28*10: beta = sqrt(140000/7840); 28/beta/28 < 1 -> floor 0.
        assertEquals(28, SmartResize.transformers(28, 5000, 28, 0, 28 * 28 * 10).height());
        assertThrows(IllegalArgumentException.class, () -> SmartResize.qwenVlUtils(28, 5000, 28, 0, 28 * 28 * 10));
    }

    @Test
    void aspectRatioAbove200IsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmartResize.transformers(10, 2001, 28, 3136, 12845056));
        assertTrue(e.getMessage().contains("aspect ratio"), e.getMessage());
        SmartResize.transformers(10, 2000, 28, 3136, 12845056); // exactly 200 is allowed
    }
}
