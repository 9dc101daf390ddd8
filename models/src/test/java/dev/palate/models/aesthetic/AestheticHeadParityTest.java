package dev.palate.models.aesthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.clip.Embeddings;

/** The real LAION heads (testdata/aesthetic-weights) on the fixture embeddings, against the reference outputs. */
class AestheticHeadParityTest {
    static final double TOL = 1e-5;
    static final Path DATA = Path.of(System.getProperty("palate.testdata"));

    @Test
    void v1AndV2HeadsMatchReferenceWithin1e5() {
        try (StateDict exp = StateDict.load(DATA.resolve("aesthetic/expected.safetensors"));
             LinearStack v1 = LinearStack.load(DATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"));
             LinearStack v2 = LinearStack.load(DATA.resolve("aesthetic-weights/sac+logos+ava1-l14-linearMSE.pth"))) {
            assertEquals(768, v1.inputWidth());
            assertEquals(768, v2.inputWidth());
            for (String set : new String[] {"random", "laion_rating"}) {
                float[][] e = Embeddings.l2Normalize(rows(exp, set.equals("random") ? "random_embeds" : "laion_rating_embeds"));
                double d1 = maxDiff(v1.scores(e), Tensors.toFloats(exp.get("v1_" + set)));
                double d2 = maxDiff(v2.scores(e), Tensors.toFloats(exp.get("v2_" + set)));
                System.out.printf("aesthetic %s: v1 %.2e v2 %.2e%n", set, d1, d2);
                assertTrue(d1 <= TOL, "v1 " + set + " differs by " + d1);
                assertTrue(d2 <= TOL, "v2 " + set + " differs by " + d2);
            }
        }
    }

    @Test
    void laionRatingEmbeddingsScoreInIncreasingOrder() {
        try (StateDict exp = StateDict.load(DATA.resolve("aesthetic/expected.safetensors"));
             LinearStack v1 = LinearStack.load(DATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"));
             LinearStack v2 = LinearStack.load(DATA.resolve("aesthetic-weights/sac+logos+ava1-l14-linearMSE.pth"))) {
            float[][] e = Embeddings.l2Normalize(rows(exp, "laion_rating_embeds"));
            for (LinearStack head : new LinearStack[] {v1, v2}) {
                float[] s = head.scores(e);
                for (int i = 1; i < s.length; i++)
                    assertTrue(s[i] > s[i - 1], head.source().getFileName() + ": rating " + i + " scores " + s[i] + " <= rating " + (i - 1) + " " + s[i - 1]);
            }
        }
    }

    @Test
    void headFileWithoutLinearKeysIsRefusedNamingTheFile() {
        Path notAHead = DATA.resolve("clip/clip-tiny-gelu/model.safetensors");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LinearStack.load(notAHead));
        assertTrue(e.getMessage().contains(notAHead.toString()), e.getMessage());
    }

    static float[][] rows(StateDict sd, String key) {
        float[] flat = Tensors.toFloats(sd.get(key));
        long[] shape = sd.info(key).shape();
        float[][] out = new float[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * out[i].length, out[i], 0, out[i].length);
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
