package dev.palate.tokenizers.text;

/**
 * A token matched whole in the text before pre-tokenisation (Hugging Face "added tokens"): in the raw text
 * ({@code normalized=false}) or in the text after normalisation ({@code normalized=true}).
 */
public record AddedToken(String content, int id, boolean normalized) {}
