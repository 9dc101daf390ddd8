/**
 * Hugging Face byte-level BPE tokenizers (GPT-2 family: Qwen2, Qwen2-VL, Qwen3, Qwen3-VL, Qwen3.5) read entirely from
 * {@code tokenizer.json}: {@link dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer} is the API; the other classes port
 * one part of the Rust {@code tokenizers} 0.23 pipeline each (added tokens, normaliser, pre-tokenizer and its
 * Oniguruma regex, BPE merges, byte-level alphabet, lossy UTF-8 decoding) and are package-private.
 */
package dev.palate.tokenizers.bpe;
