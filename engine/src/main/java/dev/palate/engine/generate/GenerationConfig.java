package dev.palate.engine.generate;

import java.util.Set;

/**
 * Greedy decoding settings ({@code generate(do_sample=False, ...)}).
 *
 * @param maxNewTokens      stop after this many new tokens per row
 * @param eosIds            a row stops after emitting one of these (it is kept in the output, as transformers does)
 * @param padId             what finished rows emit while others go on (not part of their output)
 * @param repetitionPenalty 1 = off; else transformers' RepetitionPenaltyLogitsProcessor over every token of the row
 *                          so far, prompt included (image pads too), pads excluded
 */
public record GenerationConfig(int maxNewTokens, Set<Integer> eosIds, int padId, float repetitionPenalty) {
    public GenerationConfig {
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("repetition penalty must be positive, got " + repetitionPenalty);
        eosIds = Set.copyOf(eosIds);
    }

    public GenerationConfig withMaxNewTokens(int n) {
        return new GenerationConfig(n, eosIds, padId, repetitionPenalty);
    }
}
