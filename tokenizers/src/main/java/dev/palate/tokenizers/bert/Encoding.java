package dev.palate.tokenizers.bert;

import java.util.Arrays;

/**
 * One tokenised text, padded to a fixed length: {@code ids} = [CLS] … [SEP] [PAD]…, and
 * {@code attentionMask} = 1 on real tokens (specials included), 0 on padding.
 */
public record Encoding(int[] ids, int[] attentionMask) {

    public Encoding {
        if (ids.length != attentionMask.length) {
            throw new IllegalArgumentException("ids (" + ids.length + ") and attention mask (" + attentionMask.length + ") differ in length");
        }
    }

    /** The padded length. */
    public int length() {
        return ids.length;
    }

    /** Number of real tokens ([CLS] and [SEP] included). */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(attentionMask, e.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(attentionMask);
    }

    @Override
    public String toString() {
        return "Encoding[ids=" + Arrays.toString(ids) + ", attentionMask=" + Arrays.toString(attentionMask) + "]";
    }
}
