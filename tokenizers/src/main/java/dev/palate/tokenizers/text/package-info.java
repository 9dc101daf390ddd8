/**
 * Pieces both tokenizer families use: added-token matching ({@link dev.palate.tokenizers.text.AddedVocabulary}),
 * the Unicode White_Space test, and a growable id array. Public only so that {@code clip}, {@code bert} and
 * {@code bpe} can share them; not part of the tokenizers' API.
 */
package dev.palate.tokenizers.text;
