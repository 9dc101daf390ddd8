package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.palate.tokenizers.chat.ChatMessage;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * UnifiedReward-Edit ({@code UnifiedReward-Edit-qwen3vl-8b}) as DiffSynth-Studio runs it: the prompt text of each
 * task, the images it shows and their order, the generation settings, and the parsers that turn the generated text
 * into scores. Ported from DiffSynth-Studio @fed7b18 {@code diffsynth/models/unified_reward_edit.py}
 * ({@code UnifiedRewardEditModel}: {@code _build_*_prompt}, {@code _build_messages}, {@code _decode_sample},
 * {@code _parse_*}) and {@code diffsynth/metrics/unified_reward_edit.py} ({@code UnifiedRewardEditMetric._primary_score},
 * what {@code compute()} returns), with Python's semantics ({@link PyRegex}, {@link PyJson}).
 *
 * <p>Upstream quirks kept on purpose (testdata/README.md {@code qwen3vl-judge/}):
 * <ul>
 *   <li>The pointwise prompt's own output format has a trailing comma ({@code "score" : [...],} before the closing
 *       brace); a model that copies it writes invalid JSON, parsing falls back to the {@code "score": [..]} regex, and
 *       {@code reasoning} is null.</li>
 *   <li>The third pair-score regex's class {@code [^\n\r-+\d]} holds the range U+000D–U+002B, which takes in the space:
 *       {@code "Scores: 4 and 5"} gives no scores.</li>
 *   <li>Ranking is regex-only on the raw text (a JSON {@code {"winner": "Image 1"}} is not read); an unparsed rank
 *       scores 0, the same as a tie: {@link Parsed#parseError()} tells them apart.</li>
 * </ul>
 *
 * <p>Rendering: {@code processor.apply_chat_template(messages(task, instruction), tokenize=False,
 * add_generation_prompt=True)} with no extra variables ({@link #chatText}); the checkpoint's Qwen3-VL template adds
 * {@code <|im_start|>assistant\n} (no {@code <think>}).
 */
public final class UnifiedRewardEdit {

    /** The three tasks: DiffSynth's names, the CLI's names, and how many images each shows. */
    public enum Task {
        /** Images [source, edited]; parsed {@code editing_success}, {@code overediting} (0–25 each), their mean. */
        POINTWISE("edit_pointwise_score", "pointwise", 2),
        /** Images [source, edited 1, edited 2]; parsed {@code winner}; score 1, 2 or 0 (tie or unparsed). */
        PAIRWISE_RANK("edit_pairwise_rank", "pairwise-rank", 3),
        /** Images [source, edited 1, edited 2]; parsed {@code image_1_score}, {@code image_2_score}; score the pair. */
        PAIRWISE_SCORE("edit_pairwise_score", "pairwise-score", 3);

        private final String diffsynthName;
        private final String cliName;
        private final int imageCount;

        Task(String diffsynthName, String cliName, int imageCount) {
            this.diffsynthName = diffsynthName;
            this.cliName = cliName;
            this.imageCount = imageCount;
        }

        /** {@code edit_pointwise_score}, {@code edit_pairwise_rank}, {@code edit_pairwise_score}. */
        public String diffsynthName() {
            return diffsynthName;
        }

        /** {@code pointwise}, {@code pairwise-rank}, {@code pairwise-score}. */
        public String cliName() {
            return cliName;
        }

        /** The images the message shows, in this order: the source first, then the edited image(s). */
        public int imageCount() {
            return imageCount;
        }

        /** The task named by its CLI or DiffSynth name (case-insensitive). */
        public static Task of(String name) {
            for (Task t : values())
                if (t.cliName.equalsIgnoreCase(name) || t.diffsynthName.equalsIgnoreCase(name)) return t;
            throw new IllegalArgumentException("unknown unifiedreward-edit task '" + name
                    + "': use pointwise, pairwise-rank or pairwise-score (or DiffSynth's edit_pointwise_score,"
                    + " edit_pairwise_rank, edit_pairwise_score)");
        }
    }

    /** DiffSynth's {@code DEFAULT_UNIFIED_REWARD_TASK}. */
    public static final Task DEFAULT_TASK = Task.POINTWISE;

    /** {@code generate(do_sample=False, max_new_tokens=256, pad_token_id, eos_token_id)} with the Qwen3-VL tokenizer's tokens. */
    public static final GenerationSettings GENERATION = new GenerationSettings(256, false, 1.0, "<|im_end|>", "<|endoftext|>", true);

    private static final Pattern NUMBER_RE = PyRegex.compile("[-+]?\\d*\\.?\\d+", 0);
    private static final Pattern FIRST_JSON = PyRegex.compile("\\{.*\\}", PyRegex.DOTALL);
    private static final Pattern SCORE_LIST = PyRegex.compile("\"?score\"?\\s*:\\s*\\[([^\\]]+)\\]", PyRegex.IGNORECASE);
    private static final List<Pattern> PAIR_SCORES = List.of(
            PyRegex.compile("Image\\s*1[^-+\\d]*([-+]?\\d*\\.?\\d+).*?Image\\s*2[^-+\\d]*([-+]?\\d*\\.?\\d+)", PyRegex.IGNORECASE | PyRegex.DOTALL),
            PyRegex.compile("Edited\\s*Image\\s*1[^-+\\d]*([-+]?\\d*\\.?\\d+).*?Edited\\s*Image\\s*2[^-+\\d]*([-+]?\\d*\\.?\\d+)", PyRegex.IGNORECASE | PyRegex.DOTALL),
            PyRegex.compile("score(?:s)?[^-+\\d]*([-+]?\\d*\\.?\\d+)[^\\n\\r-+\\d]+([-+]?\\d*\\.?\\d+)", PyRegex.IGNORECASE | PyRegex.DOTALL));
    private static final Pattern RANK_TIE = PyRegex.compile("both images? (are )?(equally good|equal|tie)", PyRegex.IGNORECASE);
    private static final Pattern RANK_1 = PyRegex.compile("((edited )?image\\s*1|first image).{0,24}\\b(better|best|wins?|preferred|superior)\\b", PyRegex.IGNORECASE | PyRegex.DOTALL);
    private static final Pattern RANK_2 = PyRegex.compile("((edited )?image\\s*2|second image).{0,24}\\b(better|best|wins?|preferred|superior)\\b", PyRegex.IGNORECASE | PyRegex.DOTALL);

    private UnifiedRewardEdit() {}

    // ---- prompts ----

    /**
     * The text part of the user message ({@code _build_prompt}): the task's prompt with the instruction appended
     * ({@code prompt or ""}: null and empty give the same text).
     */
    public static String userText(Task task, String instruction) {
        String text = instruction == null ? "" : instruction;
        switch (task) {
            case POINTWISE: return pointwisePrompt(text);
            case PAIRWISE_RANK: return pairwiseRankPrompt(text);
            default: return pairwiseScorePrompt(text);
        }
    }

    /**
     * The messages {@code _build_messages} builds: one user turn with {@link Task#imageCount()} image parts (source,
     * then the edited image(s)) followed by the text part. Images are {@link ChatMessage#imagePart()} placeholders;
     * the processor fills each {@code <|image_pad|>} in this order.
     */
    public static List<Map<String, Object>> messages(Task task, String instruction) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int i = 0; i < task.imageCount(); i++) parts.add(ChatMessage.imagePart());
        parts.add(ChatMessage.textPart(userText(task, instruction)));
        return List.of(ChatMessage.user(parts));
    }

    /** The chat-template variables DiffSynth passes besides {@code add_generation_prompt=True}: none. */
    public static Map<String, Object> chatVariables() {
        return Map.of();
    }

    /** {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=True)}: the prompt before image expansion. */
    public static String chatText(ChatTemplate template, Task task, String instruction) {
        return template.render(messages(task, instruction), true, chatVariables());
    }

    // verbatim from unified_reward_edit.py _build_edit_pointwise_score_prompt
    private static String pointwisePrompt(String instruction) {
        return "You are a professional digital artist. You will have to evaluate the effectiveness of the AI-generated image(s) based on given rules.\n"
                + "All the input images are AI-generated. All human in the images are AI-generated too. so you need not worry about the privacy confidentials.\n\n"
                + "IMPORTANT: You will have to give your output in this way (Keep your reasoning concise and short.):\n"
                + "{\n\n\"reasoning\" : \"...\",\n\"score\" : [...],\n}\n\n"
                + "RULES:\n\n"
                + "Two images will be provided: The first being the original AI-generated image and the second being an edited version of the first.\n"
                + "The objective is to evaluate how successfully the editing instruction has been executed in the second image.\n\n"
                + "Note that sometimes the two images might look identical due to the failure of image edit.\n\n\n"
                + "From scale 0 to 25: \n"
                + "A score from 0 to 25 will be given based on the success of the editing. "
                + "(0 indicates that the scene in the edited image does not follow the editing instruction at all. "
                + "25 indicates that the scene in the edited image follow the editing instruction text perfectly.)\n"
                + "A second score from 0 to 25 will rate the degree of overediting in the second image. "
                + "(0 indicates that the scene in the edited image is completely different from the original. "
                + "25 indicates that the edited image can be recognized as a minimal edited yet effective version of original.)\n"
                + "Put the score in a list such that output score = [score1, score2], where 'score1' evaluates the editing success and 'score2' evaluates the degree of overediting.\n\n"
                + "Editing instruction:" + instruction + "\n";
    }

    // verbatim from unified_reward_edit.py _build_edit_pairwise_rank_prompt
    private static String pairwiseRankPrompt(String instruction) {
        return "You are tasked with comparing two edited images and determining which one is better based on the given criteria.\n\n"
                + "The evaluation will consider how well each model executed the instructions and the overall quality of the edit, including its visual appeal.\n\n"
                + "**Inputs Provided:**\n"
                + "- Source Image (before editing)\n"
                + "- Edited Image 1 (after applying the instruction)\n"
                + "- Edited Image 2 (after applying the instruction)\n"
                + "- Text Instruction\n\n"
                + "### Evaluation Criteria for Each Image:\n\n"
                + "1. **Instruction Fidelity**  \n"
                + "Assess how accurately the edits align with the given instruction. The following aspects should be considered:\n"
                + "- **Semantic Accuracy:** Does the edited image reflect the correct objects and changes as described in the instruction? For example, if instructed to replace \"apples with oranges,\" ensure that oranges appear instead of other fruits.\n"
                + "- **Completeness of Changes:** Ensure all parts of the instruction are fully addressed. For multi-step instructions, verify that every change is made as specified.\n"
                + "- **Exclusivity of Changes:** Confirm that only the specified changes were made. Other elements of the image should remain consistent with the original.\n\n"
                + "2. **Visual Integrity & Realism**  \n"
                + "Evaluate the visual quality of the edited image, taking into account technical accuracy and aesthetic appeal:\n"
                + "- **Realism & Physical Consistency:** Does the edit respect the laws of physics and scene consistency, including lighting, shadows, and perspective?\n"
                + "- **Artifact-Free Quality:** Look for any technical flaws such as blurring, pixel misalignment, unnatural textures, or visible seams. The image should be clean and free from distractions.\n"
                + "- **Aesthetic Harmony:** The image should maintain a pleasing visual balance, with careful attention to composition, color harmony, and overall appeal. The changes should enhance the image rather than detract from it.\n\n"
                + "### Final Output:\n"
                + "Based on the above evaluation, determine which edited image is better.\n\n"
                + "Text instruction - " + instruction + "\n";
    }

    // verbatim from unified_reward_edit.py _build_edit_pairwise_score_prompt
    private static String pairwiseScorePrompt(String instruction) {
        return "You are tasked with assigning scores to two edited images, comparing each with the original source image. \n\n"
                + "The score should reflect both how well the model executed the instructions and the overall quality of the edit, including its visual appeal for both images.\n\n"
                + "**Inputs Provided:**\n"
                + "- Source Image (before editing)\n"
                + "- Edited Image 1 (after applying the instruction)\n"
                + "- Edited Image 2 (after applying the instruction)\n"
                + "- Text Instruction\n\n"
                + "### Evaluation Criteria for Each Image:\n\n"
                + "1. **Instruction Fidelity**  \n"
                + "Assess how accurately the edits align with the given instruction. The following aspects should be considered:\n"
                + "- **Semantic Accuracy:** Does the edited image reflect the correct objects and changes as described in the instruction? For example, if instructed to replace \"apples with oranges,\" ensure that oranges appear instead of other fruits.\n"
                + "- **Completeness of Changes:** Ensure all parts of the instruction are fully addressed. For multi-step instructions, verify that every change is made as specified.\n"
                + "- **Exclusivity of Changes:** Confirm that only the specified changes were made. Other elements of the image should remain consistent with the original.\n\n"
                + "2. **Visual Integrity & Realism**  \n"
                + "Evaluate the visual quality of the edited image, taking into account technical accuracy and aesthetic appeal:\n"
                + "- **Realism & Physical Consistency:** Does the edit respect the laws of physics and scene consistency, including lighting, shadows, and perspective?\n"
                + "- **Artifact-Free Quality:** Look for any technical flaws such as blurring, pixel misalignment, unnatural textures, or visible seams. The image should be clean and free from distractions.\n"
                + "- **Aesthetic Harmony:** The image should maintain a pleasing visual balance, with careful attention to composition, color harmony, and overall appeal. The changes should enhance the image rather than detract from it.\n\n"
                + "### Scoring Guidelines:\n"
                + "- The score can range from **positive to negative** based on how well the edit follows the instruction and maintains visual quality.\n"
                + "- A **higher score** indicates a strong adherence to the instruction, clean edits, and a high-quality final result.\n"
                + "- A **negative score** reflects significant issues, such as errors in the edits, missing parts, over-editing, or visual artifacts that compromise the result.\n\n"
                + "Please provide the scores for each image based on the evaluation of the above aspects.\n\n"
                + "Text instruction - " + instruction + "\n";
    }

    // ---- parsing ----

    /**
     * A parsed output. {@code fields} is DiffSynth's {@code _parse_output} dict (Python values: {@link Double} or null
     * scores; {@code reasoning} whatever JSON value the model wrote): pointwise {@code {editing_success, overediting,
     * score, reasoning}}, rank {@code {winner}}, pair {@code {image_1_score, image_2_score}}; null only where
     * upstream raises. {@code score} is {@code _primary_score}: pointwise the mean ({@link Double}, null when no score
     * was found), rank an {@link Integer} 1, 2 or 0, pair an unmodifiable {@code List<Double>} {@code [image 1, image 2]}
     * with nulls where unparsed; null where upstream raises. {@code parseError} is null when the output held a
     * verdict, else the reason.
     */
    public record Parsed(Task task, Map<String, Object> fields, Object score, String parseError) {
        /** Whether the text held a verdict ({@link #parseError()} is null). */
        public boolean isParsed() {
            return parseError == null;
        }
    }

    /** Parses one generated text as DiffSynth does for {@code task}. */
    public static Parsed parse(String raw, Task task) {
        if (raw == null) throw new IllegalArgumentException("unifiedreward-edit: no generated text to parse (got null)");
        Map<String, Object> fields;
        try {
            fields = switch (task) {
                case POINTWISE -> parsePointwise(raw);
                case PAIRWISE_SCORE -> parsePairwiseScore(raw);
                case PAIRWISE_RANK -> parseRank(raw);
            };
        } catch (PyException e) {
            return new Parsed(task, null, null, "DiffSynth raises " + e.getMessage() + " on this output");
        }
        Object score = primaryScore(fields, task);
        return new Parsed(task, Collections.unmodifiableMap(fields), score, parseError(fields, task));
    }

    private static String parseError(Map<String, Object> f, Task task) {
        switch (task) {
            case POINTWISE:
                return f.get("score") == null ? "no scores: neither a JSON object with a \"score\" list nor \"score\": [..] in the text" : null;
            case PAIRWISE_RANK:
                return f.get("winner") == null ? "no winner: the text says neither that one image is better nor that both are equally good" : null;
            default:
                if (f.get("image_1_score") == null) return "no image scores: no \"score\": [a, b] list and no \"Image 1 ... Image 2 ...\" scores";
                return f.get("image_2_score") == null ? "only one image score found" : null;
        }
    }

    /** {@code UnifiedRewardEditMetric._primary_score} (metrics/unified_reward_edit.py). */
    private static Object primaryScore(Map<String, Object> parsed, Task task) {
        if (task == Task.PAIRWISE_RANK) {
            Object winner = parsed.get("winner");
            if (winner instanceof Boolean) return (Boolean) winner ? 1 : 0;
            if (winner instanceof Number) return PyNumbers.pyInt(winner).intValue();
            if (winner instanceof String) {
                String w = ((String) winner).toLowerCase(Locale.ROOT);
                if (w.contains("equally") || w.contains("tie") || (w.contains("image 1") && w.contains("image 2"))) return 0;
                if (w.contains("image 1") || w.contains("first image")) return 1;
                if (w.contains("image 2") || w.contains("second image")) return 2;
            }
            return 0;
        }
        if (task == Task.PAIRWISE_SCORE)
            return Collections.unmodifiableList(Arrays.asList((Double) parsed.get("image_1_score"), (Double) parsed.get("image_2_score")));
        return parsed.get("score");
    }

    /** {@code _parse_pointwise_score}. */
    private static Map<String, Object> parsePointwise(String text) {
        Object parsed = extractFirstJson(text);
        List<Double> scores = new ArrayList<>();
        Object reasoning = null;
        if (parsed instanceof Map) {
            Map<?, ?> dict = (Map<?, ?>) parsed;
            if (dict.get("score") instanceof List) {
                for (Object v : (List<?>) dict.get("score")) {
                    Double d = DiffSynthNumbers.coerceFloat(v);
                    if (d != null) scores.add(d);
                }
            }
            reasoning = dict.get("reasoning");
        }
        if (scores.isEmpty()) scores = extractScoreList(text);
        Double editingSuccess = scores.size() > 0 ? scores.get(0) : null;
        Double overediting = scores.size() > 1 ? scores.get(1) : null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("editing_success", editingSuccess);
        out.put("overediting", overediting);
        out.put("score", DiffSynthNumbers.mean(Arrays.asList(editingSuccess, overediting)));
        out.put("reasoning", reasoning);
        return out;
    }

    /** {@code _parse_pairwise_score}. */
    private static Map<String, Object> parsePairwiseScore(String text) {
        List<Double> scores = extractScoreList(text);
        if (scores.size() < 2) scores = extractPairScores(text);
        scores.removeIf(s -> s == null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("image_1_score", scores.size() > 0 ? scores.get(0) : null);
        out.put("image_2_score", scores.size() > 1 ? scores.get(1) : null);
        return out;
    }

    /** {@code _parse_pairwise_rank} / {@code _parse_rank}: regex only. */
    private static Map<String, Object> parseRank(String text) {
        String winner = null;
        if (RANK_TIE.matcher(text).find()) winner = "Edited image 1 and 2 are equally good";
        else if (RANK_1.matcher(text).find()) winner = "Edited image 1";
        else if (RANK_2.matcher(text).find()) winner = "Edited image 2";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("winner", winner);
        return out;
    }

    /** {@code _extract_first_json}: the first '{' to the last '}', {@code json.loads}, then again with ' → "; any exception → None. */
    private static Object extractFirstJson(String text) {
        Matcher m = FIRST_JSON.matcher(text);
        if (!m.find()) return null;
        String payload = m.group();
        for (String candidate : new String[] {payload, payload.replace("'", "\"")}) {
            try {
                return PyJson.loads(candidate);
            } catch (PyException e) {
                // except Exception: pass
            }
        }
        return null;
    }

    /** {@code _extract_score_list}: the numbers inside {@code "score": [...]} (case-insensitive, quotes optional). */
    private static List<Double> extractScoreList(String text) {
        List<Double> out = new ArrayList<>();
        Matcher m = SCORE_LIST.matcher(text);
        if (!m.find()) return out;
        Matcher n = NUMBER_RE.matcher(m.group(1));
        while (n.find()) {
            Double d = DiffSynthNumbers.coerceFloat(n.group());
            if (d != null) out.add(d);
        }
        return out;
    }

    /** {@code _extract_pair_scores}: the first of the three patterns that matches gives both scores. */
    private static List<Double> extractPairScores(String text) {
        for (Pattern p : PAIR_SCORES) {
            Matcher m = p.matcher(text);
            if (m.find()) return new ArrayList<>(Arrays.asList(DiffSynthNumbers.coerceFloat(m.group(1)), DiffSynthNumbers.coerceFloat(m.group(2))));
        }
        return new ArrayList<>();
    }
}
