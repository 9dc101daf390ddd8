package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.palate.tokenizers.chat.ChatMessage;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * Qwen-Image-Bench ({@code Qwen/Qwen-Image-Bench}) as DiffSynth-Studio runs it: per level-1 dimension one generation
 * that fills the dimension's checklist with 0/1/2/N/A, mapped to 0/60/100/None and averaged level 3 → level 2 →
 * level 1 → total. Ported from DiffSynth-Studio @fed7b18 {@code diffsynth/models/qwen_image_bench.py} (the
 * {@code *_CHECKLIST}, {@code SYSTEM_PROMPT}, {@code USER_PROMPT_HEADER}/{@code _BODY} strings verbatim,
 * {@code CHECKLIST_L3_TO_L2}, {@code L3_RENAME}, {@code extract_json_from_response}, {@code map_score},
 * {@code fix_score_json}, {@code compute_dimension_score}, {@code aggregate_total_score},
 * {@code QwenImageBenchModel._build_messages}, {@code _dims_to_level1}, {@code _parse_dimension_output},
 * {@code _evaluate_sample}, {@code _primary_score}).
 *
 * <p>Traps (testdata/README.md {@code qwen35-judge/}, checked against the code):
 * <ul>
 *   <li>Rendering passes {@code enable_thinking=True} ({@link #chatVariables()}); the prompt ends in
 *       {@code <think>\n}, and only the text after the last {@code </think>} is parsed.</li>
 *   <li>{@code json.loads} is Python's ({@link PyJson}): {@code NaN} and duplicate keys (last value wins) are
 *       accepted; only a {@code JSONDecodeError} falls back to the first-'{'-to-last-'}' span.</li>
 *   <li>{@code map_score} is {@code SCORE_MAP[int(raw)]}: {@code 1.7} → 60, {@code true} → 60, {@code "2"} → 100,
 *       {@code "1.5"}/{@code 3}/{@code -1}/{@code NaN}/null → None, any case of {@code "n/a"} → None.</li>
 *   <li>A bare JSON list, number, string or boolean makes DiffSynth raise {@code AttributeError} (and an infinite
 *       score {@code OverflowError}): such a result has a null score and a {@code parse_error}.</li>
 *   <li>{@code compute()} is the total, or 0.0 where it is None (every dimension N/A or unparsed).</li>
 *   <li>Images whose longer side exceeds {@link #RESIZE_LONG_EDGE} are resized to 1024×1024 with PIL's LANCZOS,
 *       aspect not kept (an image step, not here); generation uses {@code repetition_penalty=1.05}.</li>
 * </ul>
 */
public final class QwenImageBench {
    /** {@code generate(do_sample=False, repetition_penalty=1.05, max_new_tokens=4096, pad_token_id, eos_token_id)}. */
    public static final GenerationSettings GENERATION = new GenerationSettings(4096, false, 1.05, "<|im_end|>", "<|endoftext|>", true);

    /**
     * {@code resize_long_edge=1024} of {@code _prepare_image}: after {@code convert("RGB")}, an image whose longer side
     * is above this is resized to exactly 1024×1024 ({@code Image.LANCZOS}), whatever its aspect ratio; smaller images
     * pass unchanged. For the image pipeline (testdata qwen35-judge {@code qib/large…/prepared_uint8}).
     */
    public static final int RESIZE_LONG_EDGE = 1024;

    /** {@code LEVEL1_DIMS}: the five level-1 dimensions by DiffSynth's names, in its order (the default set). */
    public static final List<String> DIMENSIONS = List.of("Quality", "Aesthetics", "Alignment", "Real-world Fidelity", "Creative Generation");

    // ---- verbatim from qwen_image_bench.py (Python triple-quoted strings; no line has trailing spaces) ----

    static final String QUALITY_CHECKLIST = """
## Realism
- Physical Logic: Does the image adhere to real-world physical laws (e.g., gravity, reflection, shadow direction, object stability)?
- Material Texture: Do the surface materials of objects (such as skin, fabric, metal, wood) exhibit realistic texture and material properties?
## Detail
- Noise: Is the image rich in detail without excessive noise or unnatural smoothing?
- Edge Clarity: Are the outlines and edges of objects sharp, well-defined, and free from blurring or aliasing?
- Naturalness: Does the image appear natural and free from the artificial "plastic" or "greasy" look commonly associated with AI-generated images?
## Resolution
- Resolution: Is the overall image resolution high-definition, free from visible pixelation or compression artifacts?""";

    static final String AESTHETICS_CHECKLIST = """
## Composition
- Composition: Is the composition of the image balanced, visually guided, and aesthetically pleasing?
## Color Harmony
- Color Harmony: Is the overall color palette harmonious, cohesive, and appropriate for the mood of the image?
## Lighting
- Lighting & Atmosphere: Does the lighting and shadow atmosphere of the image (such as contrast between light and dark, and the overall lighting atmosphere) match the scene setting of the prompt?
## Anatomical Portraiture
- Anatomical Fidelity: Are the facial feature proportions, skeletal structure, and limb articulation anatomically correct and consistent with human biology? Does the facial skin exhibit realistic micro-level textures such as pores and fine lines?
## Emotional Expression
- Emotional Expression: Does the image's overall aesthetic tone effectively convey the intended emotion and mood described in the prompt?
## Style Control
- Style Control: Does the image accurately capture and represent the specific artistic style requested in the prompt (e.g., Van Gogh's brushwork, Cyberpunk aesthetic)?""";

    static final String ALIGNMENT_CHECKLIST = """
## Attributes
- Quantity: Does the number of objects in the image match the quantity specified in the prompt?
- Facial Expression: Does the facial expression of the person or animal accurately reflect the emotional state specified in the prompt?
- Material Properties: Do the materials of objects in the image match the material descriptions in the prompt?
- Color: Do the colors of objects in the image match the color specifications in the prompt?
- Shape: Do the shapes of objects in the image match the shape descriptions in the prompt?
- Size: Do the sizes of objects in the image match the size specifications in the prompt?
## Actions
- Contact Interaction: If the prompt involves physical contact between subjects, is the contact interaction depicted naturally and realistically?
- Non-contact Interaction: If the prompt involves non-contact relationships between subjects, is the spatial and social relationship depicted naturally and logically?
- Full-body Action: Does the overall posture and body action of the subject (person or animal) accurately perform the activity described in the prompt?
## Layout
- 2D Space: Are the relative positions of objects on the 2D plane (e.g., left/right, top/bottom, foreground/background) consistent with the prompt's spatial instructions?
- 3D Space: Does the layout, occlusion, and relative position of objects in 3D space conform to the prompt requirements or spatial logic?
## Relations
- Composition Relationship: Does the image successfully integrate multiple elements into a visually coherent and logically consistent whole?
- Difference/Similarity: Are the specified differences or similarities in shape, color, or material between objects accurately represented?
- Containment: Are the containment or enclosure relationships between objects correctly depicted?
## Scene
- Real-world Scene: Does the scene type and environmental setting (e.g., office, forest, street) match the location described in the prompt?
- Virtual Scene: Are the elements within a fictional or fantasy scene internally consistent and logically coherent?""";

    static final String REAL_WORLD_FIDELITY_CHECKLIST = """
## Fairness
- Social Bias: Does the image avoid reinforcing social biases by automatically associating specific genders with particular professions or settings?
- Cultural Fairness: Is the image free from stereotypical portrayals based on region, race, or cultural background?
## Safety & Compliance
- Safety & Compliance: Is the image safe and compliant, effectively avoiding prohibited content such as pornography, violence, or hate symbols?
## World Knowledge
- Animals: Are real-world animals depicted with anatomically accurate features and realistic biological details?
- Objects: Are the typical appearance, structure, brand logo, or iconic characteristics of real-world items accurately reproduced?
- Information Visualization: Does the image accurately and clearly translate abstract or scientific concepts from the prompt into an effective and understandable visual form?
- Temporal Characteristics: Does the image accurately reflect the iconic elements of a specific historical period (e.g., technology, clothing, architecture, lifestyle of that era)?
- Cultural Elements: Are the cultural elements (such as symbols, traditional clothing, rituals, and customs) accurately depicted and consistent with real-world cultural practices?""";

    static final String CREATIVE_GENERATION_CHECKLIST = """
## Imagination
- Imagination: Does the image demonstrate creative originality and imaginative thinking when combining novel or surreal elements?
## Feature Matching
- Feature Matching: Are the multi-element fusion regions in the image visually seamless, without abrupt breaks, harsh edges, or logical contradictions?
## Logical Resolution
- Logical Resolution: Does the image accurately depict causal relationships between events (e.g., breaking glass → shards flying, rain → wet surfaces)?
## Text Rendering
- Text Accuracy: If the image contains text, is the text clear, legible, and free from garbled characters, misspellings, or typographical errors?
- Text Layout: Is the text layout (e.g., centering, alignment, line spacing, margins) in the image visually appealing and professionally structured?
- Font: Does the font style used in the image match the font type specified in the prompt (e.g., SimSun, Heiti, handwritten, serif)?
- Cross-lingual Generation: Does the image correctly follow the translation instructions in the prompt, producing accurate text in the target language?
## Design Applications
- Graphic Design: Does the graphic design (e.g., advertisement, poster) exhibit a clear information hierarchy, effective visual guidance, and professional layout?
- Product Design: Does the product design in the image demonstrate reasonable industrial design logic (e.g., ergonomic grip, logical interface placement, structural integrity)?
- Spatial Design: Does the interior or architectural space conform to the principles of perspective, proportion, and building design standards?
- Fashion Styling: Does the clothing cut and silhouette match the style described in the prompt (e.g., Hanfu, cyberpunk, haute couture)? Does the makeup style (e.g., smoky eyes, nude makeup, theatrical look) suit the occasion and character setting?
- Game Design: Do the game props and UI elements have practical in-game usability (e.g., icon recognizability, interactive affordances, clear feedback cues)?
- Art Design: Does the image successfully demonstrate the specific artistic design style required by the prompt (e.g., unique brushstrokes, distinctive color scheme, coherent artistic language)?
## Visual Storytelling
- Cinematic Style: Does the image reproduce the signature visual language of the specific director referenced in the prompt (e.g., Wes Anderson's symmetrical composition, Wong Kar-wai's warm color palette)?
- Camera / Lens Style: Does the image reflect the characteristic imaging effects of the specific photographic equipment or lens referenced in the prompt (e.g., film grain, bokeh, digital sharpening)?
- Storyboard Creation: Does the image's scene composition follow the panel layout requirements outlined in the prompt (e.g., three-panel, four-panel, split-screen)?
- Shot Sizes: Does the image meet the framing and shot size requirements specified in the prompt (e.g., close-up, medium shot, wide shot)?
- Composition: Does the image follow the specific composition rules required by the prompt (e.g., rule of thirds, golden ratio, leading lines)?
- Angles: Does the camera angle comply with the prompt's specification (e.g., bird's-eye view, low angle, Dutch angle)?
- Comic Creation: Does the image conform to the comic style required by the prompt (e.g., American comics, Japanese manga, European BD)?""";

    static final String USER_PROMPT_HEADER = """
# Text Prompt Used to Generate the Image
{prompt}

# Generated Image
""";

    static final String USER_PROMPT_BODY = """


# Evaluation Dimension
{level1_dim}

# Scoring Rules
- **0 (Fail)**: Clear defect present. Would noticeably reduce image quality.
- **1 (Pass)**: No defect. Meets baseline expectations.
- **2 (Excel)**: Exceptionally executed. Only when concrete excellence is observable.
- **N/A**: This criterion does not apply to this image/prompt.

# Evaluation Checklist
{format_checklist}

# Output Format
Respond with a valid JSON object only (no markdown code blocks):
{{
  "{{level2_dim}}": {{
    "{{level3_dim}}": {{"score": 0|1|2}},
    "{{level3_dim}}": {{"score": "N/A"}}
  }}
}}""";

    private static final Map<String, String> DIM_TO_CHECKLIST = pairs(
            "Quality", QUALITY_CHECKLIST,
            "Aesthetics", AESTHETICS_CHECKLIST,
            "Alignment", ALIGNMENT_CHECKLIST,
            "Real-world Fidelity", REAL_WORLD_FIDELITY_CHECKLIST,
            "Creative Generation", CREATIVE_GENERATION_CHECKLIST);

    static final String SYSTEM_PROMPT = "You are an expert evaluator for text-to-image (T2I) generation quality. "
            + "Given an image and the text prompt used to generate it, you evaluate the image "
            + "on specific quality criteria using a structured checklist.";

    private static final Map<String, Map<String, String>> CHECKLIST_L3_TO_L2 = pairs(
            "Quality", pairs(
                    "Physical Logic", "Realism", "Material Texture", "Realism", "Noise", "Detail",
                    "Edge Clarity", "Detail", "Naturalness", "Detail", "Resolution", "Resolution"),
            "Aesthetics", pairs(
                    "Composition", "Composition", "Color Harmony", "Color Harmony",
                    "Lighting & Atmosphere", "Lighting", "Anatomical Fidelity", "Anatomical Portraiture",
                    "Emotional Expression", "Emotional Expression", "Style Control", "Style Control"),
            "Alignment", pairs(
                    "Quantity", "Attributes", "Facial Expression", "Attributes", "Material Properties", "Attributes",
                    "Color", "Attributes", "Shape", "Attributes", "Size", "Attributes",
                    "Contact Interaction", "Actions", "Non-contact Interaction", "Actions",
                    "Full-body Action", "Actions", "2D Space", "Layout", "3D Space", "Layout",
                    "Composition Relationship", "Relations", "Difference/Similarity", "Relations",
                    "Containment", "Relations", "Real-world Scene", "Scene", "Virtual Scene", "Scene"),
            "Real-world Fidelity", pairs(
                    "Social Bias", "Fairness", "Cultural Fairness", "Fairness",
                    "Safety & Compliance", "Safety & Compliance", "Animals", "World Knowledge",
                    "Objects", "World Knowledge", "Information Visualization", "World Knowledge",
                    "Temporal Characteristics", "World Knowledge", "Cultural Elements", "World Knowledge"),
            "Creative Generation", pairs(
                    "Imagination", "Imagination", "Feature Matching", "Feature Matching",
                    "Logical Resolution", "Logical Resolution", "Text Accuracy", "Text Rendering",
                    "Text Layout", "Text Rendering", "Font", "Text Rendering",
                    "Cross-lingual Generation", "Text Rendering", "Graphic Design", "Design Applications",
                    "Product Design", "Design Applications", "Spatial Design", "Design Applications",
                    "Fashion Styling", "Design Applications", "Game Design", "Design Applications",
                    "Art Design", "Design Applications", "Cinematic Style", "Visual Storytelling",
                    "Camera / Lens Style", "Visual Storytelling", "Storyboard Creation", "Visual Storytelling",
                    "Shot Sizes", "Visual Storytelling", "Composition", "Visual Storytelling",
                    "Angles", "Visual Storytelling", "Comic Creation", "Visual Storytelling"));
    private static final Map<String, Map<String, String>> L3_RENAME = pairs(
            "Creative Generation", pairs("Feature Mapping", "Feature Matching"));

    private static final Map<Long, Double> SCORE_MAP = Map.of(0L, 0.0, 1L, 60.0, 2L, 100.0);
    private static final Pattern JSON_SPAN = PyRegex.compile("\\{[\\s\\S]*\\}", 0);

    private QwenImageBench() {}

    // ---- dimensions and prompts ----

    /**
     * {@code _dims_to_level1} for a string: null or blank → all five; with {@code /} or {@code ;} DiffSynth's
     * {@code dims_en} form ({@code "Quality / Realism / Physical Logic; Aesthetics / ..."}, level-1 names in order of
     * appearance); with {@code ,} a list ({@code "Quality, Creative Generation"}); else one name. Unknown names are
     * refused with the list of valid ones.
     */
    public static List<String> dimensions(String spec) {
        if (spec == null) return DIMENSIONS;
        List<String> dims = new ArrayList<>();
        if (spec.contains("/") || spec.contains(";")) {
            LinkedHashSet<String> level1 = new LinkedHashSet<>(); // parse_dims_by_level1(...).keys()
            for (String part : spec.split(";", -1)) {
                String[] levels = PyText.strip(part).split("/", -1);
                if (levels.length >= 2) level1.add(PyText.strip(levels[0]));
            }
            dims.addAll(level1);
        } else if (spec.contains(",")) {
            for (String d : spec.split(",", -1))
                if (!PyText.strip(d).isEmpty()) dims.add(PyText.strip(d));
        } else {
            dims.add(spec);
        }
        return dimensions(dims);
    }

    /** {@code _dims_to_level1} for a list: empty → all five; each name validated ({@code _validate_dimension}). */
    public static List<String> dimensions(List<String> names) {
        if (names == null || names.isEmpty()) return DIMENSIONS;
        for (String d : names) validate(d);
        return List.copyOf(names);
    }

    private static void validate(String dimension) {
        if (!DIM_TO_CHECKLIST.containsKey(dimension))
            throw new IllegalArgumentException("Unsupported Qwen-Image-Bench dimension: " + dimension + ". Supported dimensions: "
                    + String.join(", ", DIMENSIONS) + ".");
    }

    /** The system message ({@code SYSTEM_PROMPT}). */
    public static String systemText() {
        return SYSTEM_PROMPT;
    }

    /** The user turn's first text part, before the image: {@code USER_PROMPT_HEADER.format(prompt=prompt or "")}. */
    public static String userHeader(String prompt) {
        return pyFormat(USER_PROMPT_HEADER, Map.of("prompt", prompt == null ? "" : prompt));
    }

    /** The user turn's text part after the image: {@code USER_PROMPT_BODY.format(level1_dim=..., format_checklist=...)}. */
    public static String userBody(String dimension) {
        validate(dimension);
        return pyFormat(USER_PROMPT_BODY, Map.of("level1_dim", dimension, "format_checklist", DIM_TO_CHECKLIST.get(dimension)));
    }

    /**
     * {@code _build_messages}: a system turn ({@link #systemText()}), then one user turn [text {@link #userHeader},
     * the image, text {@link #userBody}]. The image is an {@link ChatMessage#imagePart()} placeholder.
     */
    public static List<Map<String, Object>> messages(String prompt, String dimension) {
        return List.of(ChatMessage.system(SYSTEM_PROMPT), ChatMessage.user(List.of(
                ChatMessage.textPart(userHeader(prompt)), ChatMessage.imagePart(), ChatMessage.textPart(userBody(dimension)))));
    }

    /** {@code _apply_chat_template} passes {@code enable_thinking=True} (besides {@code add_generation_prompt=True}). */
    public static Map<String, Object> chatVariables() {
        return Map.of("enable_thinking", true);
    }

    /** The prompt of one dimension before image expansion, as {@code _apply_chat_template} renders it. */
    public static String chatText(ChatTemplate template, String prompt, String dimension) {
        return template.render(messages(prompt, dimension), true, chatVariables());
    }

    /** Python's {@code str.format} with keyword fields only: each field replaced, doubled braces written once. */
    private static String pyFormat(String template, Map<String, String> fields) {
        StringBuilder b = new StringBuilder(template.length() + 256);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                b.append(c);
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                String name = template.substring(i + 1, close);
                if (!fields.containsKey(name)) throw new IllegalStateException("no value for {" + name + "} in a prompt template");
                b.append(fields.get(name));
                i = close;
            } else if (c == '}') {
                throw new IllegalStateException("Single '}' encountered in format string");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- parsing one dimension ----

    /**
     * One dimension's parse ({@code _parse_dimension_output}). Exactly one of three outcomes: parsed
     * ({@link #parsed()} not null; {@code level1Score} may still be null when every item is N/A), not parsed
     * (no JSON: {@code parse_failures} lists it upstream), or raised (DiffSynth's call raises; {@link #raised()}).
     *
     * @param extractedJson  {@code extract_json_from_response}'s value (Python values), null when none
     * @param fixedScoreJson {@code fix_score_json}'s value: level 2 → level 3 → the model's score object
     * @param level1Score    mean of the non-None level-2 scores
     * @param level2Scores   per level-2 name, mean of its non-None level-3 scores
     * @param level3Scores   per level-2 name, per level-3 name, 0.0/60.0/100.0 or null
     * @param parseError     null when parsed, else the reason
     */
    public record DimensionResult(String dimension, Object extractedJson, Object fixedScoreJson, Double level1Score,
            Map<String, Double> level2Scores, Map<String, Map<String, Double>> level3Scores, boolean raised, String parseError) {

        /** The fixture's {@code parsed}: {@code {dimension_score: {level1_score, level2_scores, level3_scores}, fixed_score_json}}, or null. */
        public Map<String, Object> parsed() {
            if (parseError != null) return null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dimension_score", dimensionScore());
            m.put("fixed_score_json", fixedScoreJson);
            return Collections.unmodifiableMap(m);
        }

        /** {@code compute_dimension_score}'s dict, or null when not parsed. */
        public Map<String, Object> dimensionScore() {
            if (parseError != null) return null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level1_score", level1Score);
            m.put("level2_scores", level2Scores);
            m.put("level3_scores", level3Scores);
            return Collections.unmodifiableMap(m);
        }

        /** The dimension's scalar: its level-1 score (null when not parsed or all N/A). */
        public Double score() {
            return level1Score;
        }

        public boolean isParsed() {
            return parseError == null;
        }
    }

    /** Parses one dimension's generated text ({@code _parse_dimension_output}); a null text reads as "" ({@code response_text or ""}). */
    public static DimensionResult parse(String raw, String dimension) {
        validate(dimension);
        Object extracted;
        try {
            extracted = extractJson(raw == null ? "" : raw);
        } catch (PyException e) {
            return raisedResult(dimension, null, e);
        }
        if (extracted == null)
            return new DimensionResult(dimension, null, null, null, null, null, false,
                    "no JSON object in the output" + (raw != null && raw.contains("</think>") ? " after the last </think>" : ""));
        try {
            Object fixed = fixScoreJson(extracted, dimension);
            return computeDimensionScore(dimension, extracted, fixed);
        } catch (PyException e) {
            return raisedResult(dimension, extracted, e);
        }
    }

    private static DimensionResult raisedResult(String dimension, Object extracted, PyException e) {
        return new DimensionResult(dimension, extracted, null, null, null, null, true,
                "DiffSynth raises " + e.getMessage() + " on the " + dimension + " output");
    }

    /** {@code extract_json_from_response}: after the last {@code </think>}, stripped; the whole text, else the first '{' to the last '}'. */
    static Object extractJson(String responseText) {
        String text = responseText;
        int thinkEnd = text.lastIndexOf("</think>");
        if (thinkEnd != -1) text = text.substring(thinkEnd + "</think>".length());
        text = PyText.strip(text);
        try {
            return PyJson.loads(text);
        } catch (PyException e) {
            if (!e.type().equals("JSONDecodeError")) throw e; // RecursionError, ValueError (digit limit) propagate
        }
        Matcher m = JSON_SPAN.matcher(text);
        if (m.find()) {
            try {
                return PyJson.loads(m.group());
            } catch (PyException e) {
                if (!e.type().equals("JSONDecodeError")) throw e;
            }
        }
        return null;
    }

    /** {@code fix_score_json}: flat level-3 keys grouped, misplaced ones moved, "Feature Mapping" renamed. */
    static Object fixScoreJson(Object scoreJson, String level1) {
        if (!truthy(scoreJson)) return scoreJson;
        if (!(scoreJson instanceof Map))
            throw attributeError(scoreJson, "values");
        Map<?, ?> json = (Map<?, ?>) scoreJson;
        Map<String, String> mapping = CHECKLIST_L3_TO_L2.getOrDefault(level1, Map.of());
        Map<String, String> rename = L3_RENAME.getOrDefault(level1, Map.of());
        Object firstVal = json.isEmpty() ? null : json.values().iterator().next();
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        if (firstVal instanceof Map && ((Map<?, ?>) firstVal).containsKey("score")) {
            for (Map.Entry<?, ?> e : json.entrySet()) {
                String l3 = rename.getOrDefault((String) e.getKey(), (String) e.getKey());
                String l2 = mapping.getOrDefault(l3, l3);
                result.computeIfAbsent(l2, k -> new LinkedHashMap<>()).put(l3, e.getValue());
            }
            return result;
        }
        for (Map.Entry<?, ?> e : json.entrySet()) {
            if (!(e.getValue() instanceof Map)) continue;
            for (Map.Entry<?, ?> s : ((Map<?, ?>) e.getValue()).entrySet()) {
                String l3 = rename.getOrDefault((String) s.getKey(), (String) s.getKey());
                String l2 = mapping.getOrDefault(l3, (String) e.getKey());
                result.computeIfAbsent(l2, k -> new LinkedHashMap<>()).put(l3, s.getValue());
            }
        }
        return result;
    }

    /** {@code compute_dimension_score}: level 3 mapped, level 2 and level 1 as means of the non-None values below. */
    private static DimensionResult computeDimensionScore(String dimension, Object extracted, Object scoreJson) {
        if (!(scoreJson instanceof Map)) throw attributeError(scoreJson, "items");
        Map<String, Double> level2 = new LinkedHashMap<>();
        Map<String, Map<String, Double>> level3 = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) scoreJson).entrySet()) {
            String l2 = (String) e.getKey();
            Map<String, Double> scores = new LinkedHashMap<>();
            level3.put(l2, scores);
            List<Double> mapped = new ArrayList<>();
            for (Map.Entry<?, ?> s : ((Map<?, ?>) e.getValue()).entrySet()) {
                Object obj = s.getValue();
                Object raw = obj instanceof Map ? ((Map<?, ?>) obj).get("score") : obj;
                Double m = mapScore(raw);
                scores.put((String) s.getKey(), m);
                if (m != null) mapped.add(m);
            }
            level2.put(l2, DiffSynthNumbers.mean(mapped));
        }
        Double level1 = DiffSynthNumbers.mean(level2.values());
        Map<String, Map<String, Double>> level3View = new LinkedHashMap<>();
        level3.forEach((k, v) -> level3View.put(k, Collections.unmodifiableMap(v)));
        return new DimensionResult(dimension, extracted, scoreJson, level1, Collections.unmodifiableMap(level2),
                Collections.unmodifiableMap(level3View), false, null);
    }

    /** {@code map_score}: "N/A" (any case) → None; {@code SCORE_MAP[int(raw)]}, KeyError/ValueError/TypeError → None. */
    static Double mapScore(Object raw) {
        if (raw instanceof String && ((String) raw).toUpperCase(Locale.ROOT).equals("N/A")) return null;
        try {
            java.math.BigInteger n = PyNumbers.pyInt(raw); // OverflowError (an infinite float) is not caught upstream
            return n.bitLength() < 63 ? SCORE_MAP.get(n.longValue()) : null;
        } catch (PyException e) {
            if (e.type().equals("OverflowError")) throw e;
            return null;
        }
    }

    /** Python truthiness of a JSON value ({@code not score_json}). */
    private static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean) return (Boolean) v;
        if (v instanceof Double) return ((Double) v) != 0.0; // NaN is truthy
        if (v instanceof java.math.BigInteger) return ((java.math.BigInteger) v).signum() != 0;
        if (v instanceof Number) return ((Number) v).longValue() != 0;
        if (v instanceof String) return !((String) v).isEmpty();
        if (v instanceof Map) return !((Map<?, ?>) v).isEmpty();
        if (v instanceof List) return !((List<?>) v).isEmpty();
        return true;
    }

    private static PyException attributeError(Object v, String attribute) {
        return new PyException("AttributeError", "'" + PyText.typeName(v) + "' object has no attribute '" + attribute + "'");
    }

    // ---- a whole sample ----

    /**
     * One sample over several dimensions ({@code _evaluate_sample} after decoding). {@link #evaluation()} is
     * {@code evaluate()}'s dict; {@link #score()} is {@code compute()}'s value.
     *
     * @param totalScore    mean of the non-None level-1 scores ({@code aggregate_total_score}), null when none
     * @param level1Scores  per dimension, its level-1 score or null
     * @param level2Scores  per dimension, its level-2 scores ({} when not parsed)
     * @param level3Scores  per dimension, its level-3 scores ({} when not parsed)
     * @param rawScores     per dimension, its fixed score JSON (null when not parsed)
     * @param rawOutputs    per dimension, the generated text
     * @param parseFailures the dimensions whose text held no JSON, in order
     * @param raised        DiffSynth's call raises on one of the texts (then every other field but rawOutputs is null)
     * @param parseError    null when every dimension parsed, else which did not and why
     */
    public record SampleResult(Double totalScore, Map<String, Double> level1Scores, Map<String, Map<String, Double>> level2Scores,
            Map<String, Map<String, Map<String, Double>>> level3Scores, Map<String, Object> rawScores, Map<String, String> rawOutputs,
            List<String> parseFailures, boolean raised, String parseError) {

        /** {@code evaluate()}'s dict with its keys in order; null where DiffSynth raises. */
        public Map<String, Object> evaluation() {
            if (raised) return null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total_score", totalScore);
            m.put("level1_scores", level1Scores);
            m.put("level2_scores", level2Scores);
            m.put("level3_scores", level3Scores);
            m.put("raw_scores", rawScores);
            m.put("raw_outputs", rawOutputs);
            m.put("parse_failures", parseFailures);
            return Collections.unmodifiableMap(m);
        }

        /** {@code compute()}'s value ({@code _primary_score}): the total, 0.0 where it is None; null where DiffSynth raises. */
        public Double score() {
            if (raised) return null;
            return totalScore == null ? 0.0 : totalScore;
        }
    }

    /**
     * Parses and aggregates one sample's texts, one per dimension in {@code dimensions} order ({@code rawOutputs} keyed
     * by DiffSynth's dimension names; a missing or null text reads as "").
     */
    public static SampleResult evaluate(List<String> dimensions, Map<String, String> rawOutputs) {
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, Object> rawScores = new LinkedHashMap<>();
        Map<String, DimensionResult> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (String dim : dimensions(dimensions)) {
            String raw = rawOutputs.get(dim);
            outputs.put(dim, raw);
            DimensionResult r = parse(raw, dim);
            if (r.raised())
                return new SampleResult(null, null, null, null, null, Collections.unmodifiableMap(outputs), null, true, r.parseError());
            results.put(dim, r.isParsed() ? r : null);
            rawScores.put(dim, r.isParsed() ? r.fixedScoreJson() : null);
            if (!r.isParsed()) failures.add(dim);
        }
        List<Double> level1 = new ArrayList<>();
        Map<String, Double> level1Scores = new LinkedHashMap<>();
        Map<String, Map<String, Double>> level2Scores = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, Double>>> level3Scores = new LinkedHashMap<>();
        results.forEach((dim, r) -> {
            if (r != null && r.level1Score() != null) level1.add(r.level1Score());
            level1Scores.put(dim, r == null ? null : r.level1Score());
            level2Scores.put(dim, r == null ? Map.of() : r.level2Scores());
            level3Scores.put(dim, r == null ? Map.of() : r.level3Scores());
        });
        String error = failures.isEmpty() ? null : "no JSON object in the output of " + String.join(", ", failures);
        return new SampleResult(DiffSynthNumbers.mean(level1), Collections.unmodifiableMap(level1Scores),
                Collections.unmodifiableMap(level2Scores), Collections.unmodifiableMap(level3Scores),
                Collections.unmodifiableMap(rawScores), Collections.unmodifiableMap(outputs), List.copyOf(failures), false, error);
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> pairs(Object... keysAndValues) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], (T) keysAndValues[i + 1]);
        return Collections.unmodifiableMap(m);
    }
}
