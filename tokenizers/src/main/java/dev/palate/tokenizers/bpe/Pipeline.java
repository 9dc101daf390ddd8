package dev.palate.tokenizers.bpe;

import java.util.List;

/**
 * Everything a byte-level BPE tokenizer is made of, as read from its files.
 *
 * @param source      the file(s) it came from, for messages
 * @param addedTokens declarations in file order, with the file's ids (tokenizers renumbers them: {@link AddedTokens})
 */
record Pipeline(String source, TextNormalizer normalizer, PreTokenizer preTokenizer, BpeModel model,
                List<AddedTokens.Entry> addedTokens) {}
