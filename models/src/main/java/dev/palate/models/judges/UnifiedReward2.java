package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.palate.tokenizers.chat.ChatMessage;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * UnifiedReward 2.0 ({@code UnifiedReward-2.0-qwen35-9b}) as DiffSynth-Studio runs it: alignment, coherence and
 * style scores (1–5) and their mean. Ported from DiffSynth-Studio @fed7b18 {@code diffsynth/models/unified_reward_2.py}
 * ({@code UnifiedReward2Model}: {@code _build_prompt}, {@code _build_messages}, {@code _decode_sample},
 * {@code _extract_labeled_number}, {@code _parse_output}, {@code _primary_score}).
 *
 * <p>Traps (testdata/README.md {@code qwen35-judge/}, checked against the code):
 * <ul>
 *   <li>The prompt is the official UR2 "ACS" prompt plus one DiffSynth line ("Do not include explanations, ...")
 *       before "Your task is provided as follows:".</li>
 *   <li>DiffSynth passes no {@code enable_thinking}; the Qwen3.5 template then still ends the prompt in
 *       {@code <|im_start|>assistant\n<think>\n}.</li>
 *   <li>The label regex's colon class {@code [::]} is two ASCII colons: a full-width {@code ：} does not match.</li>
 *   <li>{@code \d} and {@code \s} are Unicode ({@code ３.５} reads 3.5, U+3000 is a space); only the number right
 *       after the colon is read ({@code 1e3} → 1, {@code 3.5.2} → 3.5, {@code 4/5} → 4); the first occurrence of a
 *       label wins; no range check (10 stays 10).</li>
 *   <li>No repetition penalty (QIB has one); 1024 new tokens.</li>
 * </ul>
 */
public final class UnifiedReward2 {
    /**
     * {@code generate(do_sample=False, max_new_tokens=1024, pad_token_id, eos_token_id)} with the Qwen3.5 tokenizer's
     * tokens. DiffSynth's hard-coded {@code text_config} says {@code eos_token_id: 248044} (the pad), but
     * {@code generate()} is given the tokenizer's eos, {@code <|im_end|>} 248046: that is the one stop token.
     */
    public static final GenerationSettings GENERATION = new GenerationSettings(1024, false, 1.0, "<|im_end|>", "<|endoftext|>", true);

    /** The three labels in {@code _parse_output}'s order, with their field names. */
    private static final String[][] LABELS = {{"alignment", "Alignment Score"}, {"coherence", "Coherence Score"}, {"style", "Style Score"}};
    private static final Map<String, Pattern> LABEL_RE = new LinkedHashMap<>();
    static {
        for (String[] l : LABELS)
            // rf"{re.escape(label)}\s*(?:\([^)]+\))?\s*[::]\s*([-+]?\d*\.?\d+)", flags=re.I
            LABEL_RE.put(l[0], PyRegex.compile(l[1].replace(" ", "\\ ") + "\\s*(?:\\([^)]+\\))?\\s*[::]\\s*([-+]?\\d*\\.?\\d+)", PyRegex.IGNORECASE));
    }

    private UnifiedReward2() {}

    /** The text part of the user message ({@code _build_prompt}; {@code prompt or ""}). */
    public static String userText(String prompt) {
        return "You are presented with a generated image and its associated text caption. "
                + "Your task is to analyze the image across multiple dimensions in relation to the caption. Specifically:\n"
                + "Provide overall assessments for the image along the following axes (each rated from 1 to 5):\n"
                + "- Alignment Score: How well the image matches the caption in terms of content.\n"
                + "- Coherence Score: How logically consistent the image is (absence of visual glitches, object distortions, etc.).\n"
                + "- Style Score: How aesthetically appealing the image looks, regardless of caption accuracy.\n\n"
                + "Output your evaluation using the format below:\n\n"
                + "Alignment Score (1-5): X\n"
                + "Coherence Score (1-5): Y\n"
                + "Style Score (1-5): Z\n\n"
                + "Do not include explanations, analysis, bullet points, or any text outside the requested output format.\n\n"
                + "Your task is provided as follows:\n"
                + "Text Caption: [" + (prompt == null ? "" : prompt) + "]";
    }

    /** {@code _build_messages}: one user turn, [the image ({@code convert("RGB")}), the text]. */
    public static List<Map<String, Object>> messages(String prompt) {
        return List.of(ChatMessage.user(List.of(ChatMessage.imagePart(), ChatMessage.textPart(userText(prompt)))));
    }

    /** DiffSynth passes only {@code add_generation_prompt=True}: no {@code enable_thinking} (the template's default applies). */
    public static Map<String, Object> chatVariables() {
        return Map.of();
    }

    /** {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=True)}: ends in {@code <think>\n}. */
    public static String chatText(ChatTemplate template, String prompt) {
        return template.render(messages(prompt), true, chatVariables());
    }

    /**
     * A parsed output: the three scores (null where the label was not found), {@code score} their mean (null when none
     * was found: DiffSynth's {@code compute()} value), and the reason when nothing was found.
     */
    public record Parsed(Double alignment, Double coherence, Double style, Double score, String parseError) {
        /** {@code _parse_output}'s dict: {@code {alignment, coherence, style, score}}. */
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alignment", alignment);
            m.put("coherence", coherence);
            m.put("style", style);
            m.put("score", score);
            return Collections.unmodifiableMap(m);
        }

        public boolean isParsed() {
            return parseError == null;
        }
    }

    /** {@code _parse_output}: each label's number, and the mean of those found. */
    public static Parsed parse(String raw) {
        if (raw == null) throw new IllegalArgumentException("unifiedreward: no generated text to parse (got null)");
        String text = raw.replace("*", "");
        List<Double> found = new ArrayList<>();
        Double[] values = new Double[LABELS.length];
        for (int i = 0; i < LABELS.length; i++) {
            Matcher m = LABEL_RE.get(LABELS[i][0]).matcher(text);
            values[i] = m.find() ? DiffSynthNumbers.coerceFloat(m.group(1)) : null;
            if (values[i] != null) found.add(values[i]);
        }
        Double score = DiffSynthNumbers.mean(found);
        String error = score == null ? "no \"Alignment Score\", \"Coherence Score\" or \"Style Score\" followed by ':' and a number" : null;
        return new Parsed(values[0], values[1], values[2], score, error);
    }
}
