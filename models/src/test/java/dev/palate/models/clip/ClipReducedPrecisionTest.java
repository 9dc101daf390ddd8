package dev.palate.models.clip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * fp16 and bf16 towers on the CPU against fp32 (clip-tiny-gelu, fp32 weights cast at load). Embeddings leave as
 * fp32 and cosines are computed in fp32. Stated bounds (measured: see the printed line): fp16 cosines within 2e-3,
 * bf16 within 2e-2 absolute; embeddings relative to their scale within 5e-3 (fp16) and 4e-2 (bf16).
 */
class ClipReducedPrecisionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp16, 2e-3, 5e-3", "bf16, 2e-2, 4e-2"})
    void reducedPrecisionStaysCloseToFp32(String dtype, double cosTol, double relTol) {
        ClipFixture fx = new ClipFixture("clip-tiny-gelu");
        DType dt = DType.parse(dtype);
        try (ClipModel f32 = ClipModel.load(fx.dir.resolve("model.safetensors"), Device.CPU, DType.F32);
             ClipModel low = ClipModel.load(fx.dir.resolve("model.safetensors"), Device.CPU, dt);
             NativeScope s = NativeScope.open()) {
            var px = Tensors.fromFloats(fx.pixelValues, fx.pixelShape);
            float[][] i32 = f32.imageEmbeddings(px), iLow = low.imageEmbeddings(px);
            float[][] t32 = f32.textEmbeddings(fx.inputIds), tLow = low.textEmbeddings(fx.inputIds);
            double cos = ClipFixture.maxAbsDiff(ClipFixture.cosines(iLow, tLow), ClipFixture.cosines(i32, t32));
            double ri = ClipFixture.maxAbsDiff(iLow, i32) / maxAbs(i32), rt = ClipFixture.maxAbsDiff(tLow, t32) / maxAbs(t32);
            System.out.printf("%s vs fp32 (CPU): cosine max |diff| %.2e, image embeds rel %.2e, text embeds rel %.2e%n", dtype, cos, ri, rt);
            assertTrue(cos <= cosTol, dtype + " cosines differ by " + cos);
            assertTrue(ri <= relTol && rt <= relTol, dtype + " embeddings differ by " + ri + " / " + rt + " of their scale");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"model.bf16.safetensors, bf16", "open_clip_state.fp16.pt, fp16"})
    void halfPrecisionCheckpointsLoadAndRunInFp32(String file, String label) {
        ClipFixture fx = new ClipFixture("clip-tiny-gelu");
        try (ClipModel m = ClipModel.load(fx.dir.resolve(file), Device.CPU, DType.F32); NativeScope s = NativeScope.open()) {
            float[][] img = m.imageEmbeddings(Tensors.fromFloats(fx.pixelValues, fx.pixelShape));
            double cos = ClipFixture.maxAbsDiff(ClipFixture.cosines(img, m.textEmbeddings(fx.inputIds)), fx.cosine);
            System.out.printf("%s weights run in fp32: cosine max |diff| vs fp32 reference %.2e%n", label, cos);
            assertTrue(cos <= 2e-2, label + " weights: cosines differ by " + cos);
        }
    }

    private static double maxAbs(float[][] a) {
        double m = 0;
        for (float[] r : a) for (float v : r) m = Math.max(m, Math.abs(v));
        return m;
    }
}
