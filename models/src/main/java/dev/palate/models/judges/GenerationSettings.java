package dev.palate.models.judges;

/**
 * How a judge calls {@code generate()} and decodes the new tokens, as DiffSynth's {@code _decode_sample} /
 * {@code _decode_dimension} pass it: greedy ({@code do_sample=False}), {@code max_new_tokens}, an optional
 * {@code repetition_penalty}, {@code eos_token_id}/{@code pad_token_id} taken from the processor's tokenizer (its
 * {@code tokenizer_config.json} {@code eos_token}/{@code pad_token}; named here, resolve them with the tokenizer), then
 * {@code batch_decode(new_tokens, skip_special_tokens=True, clean_up_tokenization_spaces=False)}.
 *
 * @param maxNewTokens      DiffSynth's default {@code max_new_tokens} (users may override it)
 * @param doSample          always false: greedy
 * @param repetitionPenalty 1.0 = none; transformers' {@code RepetitionPenaltyLogitsProcessor} over every id already in
 *                          the sequence, prompt (image pads included) and generated
 * @param eosToken          the stop token (its id ends a sequence; no other stop token)
 * @param padToken          pads finished sequences in a batch
 * @param skipSpecialTokens decoding drops special tokens ({@code </think>} is not special and stays)
 */
public record GenerationSettings(int maxNewTokens, boolean doSample, double repetitionPenalty, String eosToken, String padToken,
        boolean skipSpecialTokens) {

    /** The same settings with another {@code max_new_tokens} (the CLI's {@code --max-new-tokens}). */
    public GenerationSettings withMaxNewTokens(int n) {
        if (n < 1) throw new IllegalArgumentException("max new tokens must be at least 1, got " + n);
        return new GenerationSettings(n, doSample, repetitionPenalty, eosToken, padToken, skipSpecialTokens);
    }
}
