package dev.palate.engine.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;

/**
 * The greedy decoding loop, knowing nothing about any model: {@code logits = step(tokens)} until every row has
 * emitted an end token or the budget is spent (transformers {@code GenerationMixin._sample} with
 * {@code do_sample=False}: logits processors, argmax, pad for finished rows, stop when all are done). Logits are read
 * back as fp32 per step; argmax takes the first of equal maxima, as torch.argmax does.
 */
public final class GreedyDecoder {
    private GreedyDecoder() {}

    /** One decoding step of the model: the next token of every row in, its logits {@code [B, V]} out (caller's scope). */
    @FunctionalInterface
    public interface Step {
        Tensor next(long[] tokens);
    }

    /**
     * What each row generated.
     *
     * @param ids          per row the new tokens, its end token included, pads after it excluded
     * @param chosenLogits per row the processed logit of each chosen token (after the repetition penalty)
     * @param rawLogits    per row the model's own logit of each chosen token (before any processor)
     */
    public record Result(List<int[]> ids, List<float[]> chosenLogits, List<float[]> rawLogits) {}

    /**
     * @param firstLogits the prefill's logits at each row's last prompt token, {@code [B, V]}
     * @param prompts     each row's valid prompt ids (for the repetition penalty)
     */
    public static Result decode(Tensor firstLogits, List<int[]> prompts, GenerationConfig config, Step step) {
        int b = prompts.size();
        List<Set<Integer>> seen = new ArrayList<>();
        for (int[] p : prompts) {
            Set<Integer> s = new HashSet<>();
            for (int id : p) s.add(id);
            seen.add(s);
        }
        List<List<Integer>> out = new ArrayList<>();
        List<List<Float>> chosen = new ArrayList<>(), raw = new ArrayList<>();
        for (int r = 0; r < b; r++) { out.add(new ArrayList<>()); chosen.add(new ArrayList<>()); raw.add(new ArrayList<>()); }
        boolean[] done = new boolean[b];
        float[] logits = hostLogits(firstLogits);
        int vocab = logits.length / b;
        for (int t = 0; ; t++) {
            long[] next = new long[b];
            int alive = 0;
            for (int r = 0; r < b; r++) {
                if (done[r]) { next[r] = config.padId(); continue; }
                int off = r * vocab;
                float[] before = config.repetitionPenalty() != 1f ? java.util.Arrays.copyOfRange(logits, off, off + vocab) : null;
                if (before != null) penalise(logits, off, seen.get(r), config.repetitionPenalty());
                int best = off;
                for (int i = off + 1; i < off + vocab; i++) if (logits[i] > logits[best]) best = i;
                int id = best - off;
                next[r] = id;
                out.get(r).add(id);
                chosen.get(r).add(logits[best]);
                raw.get(r).add(before != null ? before[id] : logits[best]);
                seen.get(r).add(id);
                if (config.eosIds().contains(id)) done[r] = true;
                else alive++;
            }
            if (alive == 0 || t + 1 >= config.maxNewTokens()) break;
            try (NativeScope s = NativeScope.open()) {
                logits = hostLogits(step.next(next));
            }
        }
        List<int[]> ids = new ArrayList<>();
        List<float[]> values = new ArrayList<>(), rawValues = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            ids.add(out.get(r).stream().mapToInt(Integer::intValue).toArray());
            values.add(floats(chosen.get(r)));
            rawValues.add(floats(raw.get(r)));
        }
        return new Result(ids, values, rawValues);
    }

    /** transformers RepetitionPenaltyLogitsProcessor: {@code x < 0 ? x · p : x / p} once per distinct id seen (fp32). */
    static void penalise(float[] logits, int offset, Set<Integer> ids, float penalty) {
        for (int id : ids) {
            int i = offset + id;
            if (i < offset || i >= logits.length) continue;
            float x = logits[i];
            logits[i] = x < 0 ? x * penalty : x / penalty;
        }
    }

    private static float[] floats(List<Float> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) v[i] = list.get(i);
        return v;
    }

    private static float[] hostLogits(Tensor t) {
        try (NativeScope s = NativeScope.open()) {
            Tensor c = t.to(DType.F32.scalarType()).cpu().contiguous();
            float[] out = new float[Math.toIntExact(c.numel())];
            new FloatPointer(c.data_ptr()).get(out);
            return out;
        }
    }
}
