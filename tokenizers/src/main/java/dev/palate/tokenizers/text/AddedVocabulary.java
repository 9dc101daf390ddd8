package dev.palate.tokenizers.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Hugging Face tokenizers' {@code AddedVocabulary::extract_and_normalize}: split the raw text on the
 * {@code normalized=false} tokens, normalise each remaining segment, split that on the {@code normalized=true}
 * tokens; matched tokens' ids go straight to the output, the segments between them to the caller.
 * Matching is leftmost, longest token first. Immutable.
 */
public final class AddedVocabulary {

    private static final Comparator<AddedToken> LONGEST_FIRST =
            Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed();

    private final List<AddedToken> raw;
    private final List<AddedToken> normalized;

    public AddedVocabulary(List<AddedToken> tokens) {
        List<AddedToken> rawTokens = new ArrayList<>();
        List<AddedToken> normalizedTokens = new ArrayList<>();
        for (AddedToken t : tokens) {
            (t.normalized() ? normalizedTokens : rawTokens).add(t);
        }
        rawTokens.sort(LONGEST_FIRST);
        normalizedTokens.sort(LONGEST_FIRST);
        this.raw = List.copyOf(rawTokens);
        this.normalized = List.copyOf(normalizedTokens);
    }

    /** Ids of added tokens to {@code out}; every normalised segment between them to {@code segments}, in order. */
    public void extractAndNormalize(String text, UnaryOperator<String> normalizer, IntArrayBuilder out,
                                    Consumer<String> segments) {
        split(text, raw, out, rawSegment -> split(normalizer.apply(rawSegment), normalized, out, segments));
    }

    /** Leftmost-longest split on {@code tokens} (sorted longest first); their ids go straight to {@code out}. */
    private static void split(String text, List<AddedToken> tokens, IntArrayBuilder out, Consumer<String> segments) {
        if (tokens.isEmpty() || !anyContained(text, tokens)) {
            segments.accept(text);
            return;
        }
        int segmentStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken hit = null;
            for (AddedToken t : tokens) {
                if (text.startsWith(t.content(), i)) {
                    hit = t;
                    break;
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            if (i > segmentStart) {
                segments.accept(text.substring(segmentStart, i));
            }
            out.add(hit.id());
            i += hit.content().length();
            segmentStart = i;
        }
        if (segmentStart < text.length()) {
            segments.accept(text.substring(segmentStart));
        }
    }

    private static boolean anyContained(String text, List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (text.contains(t.content())) {
                return true;
            }
        }
        return false;
    }
}
