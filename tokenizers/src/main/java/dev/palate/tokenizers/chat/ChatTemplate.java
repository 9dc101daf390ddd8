package dev.palate.tokenizers.chat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template, rendered byte-exact with transformers 5.18's
 * {@code processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=..., **kwargs)}: Jinja2 3.1 in
 * an {@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with the loop-controls extension,
 * transformers' {@code tojson}, {@code raise_exception} and {@code strftime_now} (utils/chat_template_utils.py).
 * Parsed once; {@link #render} is thread-safe.
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.fromModelFolder(Path.of("Qwen3-VL-8B-Instruct"));
 * String prompt = template.render(
 *         List.of(ChatMessage.user(List.of(ChatMessage.imagePart(), ChatMessage.textPart("Describe it.")))),
 *         true, Map.of("enable_thinking", false));
 * }</pre>
 *
 * <h2>Variables the template sees</h2>
 * {@code messages}, {@code add_generation_prompt}, {@code tools} and {@code documents} (None unless given), the
 * folder's special tokens ({@code eos_token}, ...; {@link #fromModelFolder}), then the caller's extra variables, which
 * override the special tokens (as {@code {**special_tokens_map, **kwargs}} does). Message content parts of the OpenAI
 * form {@code {"type": "image_url", "image_url": {"url": u}}} are rewritten to {@code {"type": "image", "url": u}}
 * first, as the processor does. Java values map to Python ones as: null = None, Boolean = bool, Long/Integer = int,
 * Double/Float = float, String = str, List = list, Map = dict (its iteration order is the dict's order).
 *
 * <h2>Supported Jinja</h2>
 * <ul>
 *   <li>Whitespace: text, {@code {{ }}}, {@code {% %}}, {@code {# #}}, the {@code -}/{@code +} modifiers, trim_blocks
 *       and lstrip_blocks exactly as Jinja2's lexer applies them.</li>
 *   <li>Statements: {@code if/elif/else}, {@code for ... in ... [if ...]} with {@code else}, tuple unpacking and
 *       {@code loop.index/index0/revindex/revindex0/first/last/length/previtem/nextitem/depth/cycle()},
 *       {@code break}/{@code continue}, {@code set} (names, tuples, {@code ns.attr}, block form with filters),
 *       {@code macro} (positional/keyword arguments, defaults), {@code with}, {@code filter} blocks, and
 *       transformers' {@code generation} block (rendered as its body).</li>
 *   <li>Expressions: literals (str with Python escapes, int, float, True/False/None in either case, list, tuple,
 *       dict), {@code . [] [a:b:c]} (Python slicing, negative indices), calls with keyword arguments,
 *       {@code + - * / // % **}, {@code ~}, {@code == != < <= > >=} (chained), {@code in}/{@code not in},
 *       {@code and or not}, {@code x if c else y}, filters, {@code is [not]} tests.</li>
 *   <li>Filters: abs, capitalize, count, default/d, first, float, int, items, join, last, length, list, lower,
 *       replace, reverse, safe, string, tojson (ensure_ascii, indent, separators, sort_keys), trim, upper.</li>
 *   <li>Tests: defined, undefined, none, boolean, true, false, integer, float, number, string, mapping, sequence,
 *       iterable, callable, odd, even, divisibleby, lower, upper, sameas, in, and the comparisons (eq, ==, ne, gt, ...).</li>
 *   <li>Globals: namespace(), range(), dict(), raise_exception(), strftime_now().</li>
 *   <li>Python methods: str.startswith/endswith (str or tuple), strip/lstrip/rstrip, split/rsplit, replace, upper,
 *       lower, capitalize, find/rfind, count, join, removeprefix/removesuffix; dict.get/items/keys/values;
 *       list/tuple.index/count. Mutating list/dict methods are unsafe as in the sandbox.</li>
 *   <li>Values: Python's str() for output (True/False/None, float repr, list/dict/tuple reprs), truthiness,
 *       {@code ==} across types (1 == 1.0 == True), code-point string indexing, and Jinja's Undefined
 *       (prints as "", falsy, iterable as empty; attribute or arithmetic on it raises).</li>
 * </ul>
 * Anything else — {@code include/import/extends/block/call/raw}, {@code *args}, recursive loops, other filters,
 * tests and methods, printing objects Python would print as {@code <... at 0x...>} — fails with a
 * {@link ChatTemplateException} naming the construct, at parse time where the construct is syntactic. Python
 * errors the reference raises (TypeError, UndefinedError, SecurityError) are raised too. Known limits: integers
 * are 64-bit; identifiers and {@code int()} digits are ASCII; Unicode tables are the JDK's.
 */
public final class ChatTemplate {

    private final String source;
    private final String origin;
    private final List<Node> body;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(String source, String origin, Map<String, Object> specialTokens) {
        this.source = source;
        this.origin = origin;
        this.body = TemplateParser.parse(source, origin);
        this.specialTokens = Map.copyOf(specialTokens);
    }

    /** Parses template text; errors name the origin "chat template". */
    public static ChatTemplate of(String source) {
        return of(source, "chat template");
    }

    /** Parses template text; {@code origin} (a file name, say) starts every error message. */
    public static ChatTemplate of(String source, String origin) {
        return new ChatTemplate(Objects.requireNonNull(source, "source"), origin, Map.of());
    }

    /**
     * The template of a checkpoint folder, found where transformers finds it: {@code processor_config.json}'s
     * {@code chat_template}, then {@code chat_template.json}, then {@code chat_template.jinja}, then
     * {@code tokenizer_config.json}'s {@code chat_template}; plus the folder's special tokens from
     * {@code tokenizer_config.json} as template variables. The error lists every place it looked.
     */
    public static ChatTemplate fromModelFolder(Path folder) {
        ChatTemplateFiles.Found found = ChatTemplateFiles.find(folder);
        return new ChatTemplate(found.source(), found.origin(), ChatTemplateFiles.specialTokens(folder));
    }

    /** The template text as read (before Jinja's newline normalisation). */
    public String source() {
        return source;
    }

    /** Where the template came from (file, or file and key), as error messages name it. */
    public String origin() {
        return origin;
    }

    /** The special-token variables the template gets ({@code eos_token} ...); empty for {@link #of}. */
    public Map<String, Object> specialTokens() {
        return specialTokens;
    }

    /** {@link #render(List, boolean, Map)} without extra variables. */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * The prompt text for {@code messages}.
     *
     * @param messages            {@code [{"role": ..., "content": str | [parts]}, ...]}, see {@link ChatMessage}
     * @param addGenerationPrompt the template's {@code add_generation_prompt}
     * @param variables           extra template variables ({@code enable_thinking}, {@code add_vision_id},
     *                            {@code tools}, {@code documents}, ...); may not redefine {@code messages} or
     *                            {@code add_generation_prompt}
     * @throws ChatTemplateException when the template raises or uses something unsupported
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Objects.requireNonNull(messages, "messages");
        for (String reserved : List.of("messages", "add_generation_prompt")) {
            if (variables.containsKey(reserved)) {
                throw new IllegalArgumentException("'" + reserved + "' is set by render's own parameter; remove it"
                        + " from the extra variables");
            }
        }
        Map<String, Object> context = new LinkedHashMap<>(specialTokens);
        context.put("tools", null);
        context.put("documents", null);
        context.putAll(variables);
        context.put("messages", withImageUrlPartsAsImages(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        return TemplateRenderer.render(body, context, origin);
    }

    /** processing_utils.py apply_chat_template: OpenAI {"type": "image_url", "image_url": {"url": u}} → {"type": "image", "url": u}. */
    private static List<Object> withImageUrlPartsAsImages(List<? extends Map<String, ?>> messages) {
        List<Object> out = new ArrayList<>(messages.size());
        for (Map<String, ?> message : messages) {
            if (!(message.get("content") instanceof List<?> parts)) {
                out.add(message);
                continue;
            }
            boolean changed = false;
            List<Object> newParts = new ArrayList<>(parts.size());
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "image_url".equals(p.get("type")) && p.containsKey("image_url")) {
                    Object info = p.get("image_url");
                    Object url = info instanceof Map<?, ?> m ? (m.containsKey("url") ? m.get("url") : "") : info;
                    Map<String, Object> image = new LinkedHashMap<>();
                    image.put("type", "image");
                    image.put("url", url);
                    newParts.add(image);
                    changed = true;
                } else {
                    newParts.add(part);
                }
            }
            if (changed) {
                Map<String, Object> copy = new LinkedHashMap<>(message);
                copy.put("content", newParts);
                out.add(copy);
            } else {
                out.add(message);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ChatTemplate(" + origin + ", " + source.length() + " chars)";
    }
}
