package dev.palate.tokenizers.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a model folder keeps its chat template, in the order transformers 5.18 reads them:
 * <ol>
 *   <li>{@code processor_config.json} key {@code chat_template} (the processor keeps it over the files, with a
 *       warning; processing_utils.py {@code get_processor_dict});</li>
 *   <li>{@code chat_template.json} {@code {"chat_template": "..."}} (the legacy processor file; wins over the .jinja);</li>
 *   <li>{@code chat_template.jinja};</li>
 *   <li>{@code tokenizer_config.json} key {@code chat_template} — only the tokenizer reads this one
 *       (tokenization_utils_base.py; a processor without 1–3 has no template), as {@code tokenizer.apply_chat_template}
 *       would. A list of {@code {name, template}} gives the one named {@code default}.</li>
 * </ol>
 * Also the special tokens {@code apply_chat_template} passes to the template ({@code special_tokens_map}: the named
 * tokens of {@code tokenizer_config.json}, strings or {@code {"content": ...}} objects, null ones left out).
 */
final class ChatTemplateFiles {

    /** The named special tokens of transformers 5.18 ({@code SPECIAL_TOKENS_ATTRIBUTES}). */
    private static final List<String> SPECIAL_TOKEN_NAMES = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");

    record Found(String source, String origin) {}

    private ChatTemplateFiles() {}

    static Found find(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no model folder at " + folder + "; pass the folder that holds the"
                    + " checkpoint's chat_template.jinja / chat_template.json / tokenizer_config.json");
        }
        List<String> looked = new ArrayList<>();
        Path processorConfig = folder.resolve("processor_config.json");
        String fromProcessor = templateField(processorConfig, looked);
        if (fromProcessor != null) {
            return new Found(fromProcessor, processorConfig + " [chat_template]");
        }
        Path legacy = folder.resolve("chat_template.json");
        Path additional = folder.resolve("additional_chat_templates");
        String fromLegacy = templateField(legacy, looked);
        if (fromLegacy != null) {
            if (Files.isDirectory(additional)) {
                throw new IllegalArgumentException(folder + ": a legacy chat_template.json together with "
                        + "additional_chat_templates/, which transformers refuses too; replace chat_template.json with "
                        + "a chat_template.jinja");
            }
            return new Found(fromLegacy, legacy.toString());
        }
        Path jinja = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return new Found(read(jinja), jinja.toString());
        }
        looked.add(jinja + " (absent)");
        Path tokenizerConfig = folder.resolve("tokenizer_config.json");
        String fromTokenizer = templateField(tokenizerConfig, looked);
        if (fromTokenizer != null) {
            return new Found(fromTokenizer, tokenizerConfig + " [chat_template]");
        }
        String extra = Files.isDirectory(additional) ? "; additional_chat_templates/ exists but has no default template"
                + " (pass one with ChatTemplate.of(source))" : "";
        throw new IllegalArgumentException("no chat template in " + folder + ": looked at " + String.join(", ", looked)
                + extra + "; use a checkpoint folder that ships one, or pass the template text to ChatTemplate.of");
    }

    /** The special tokens the template sees as variables ({@code eos_token}, ...), from tokenizer_config.json. */
    static Map<String, Object> specialTokens(Path folder) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        Path file = folder.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return tokens;
        }
        JsonObject config = object(file);
        for (String name : SPECIAL_TOKEN_NAMES) {
            JsonElement e = config.get(name);
            if (e == null || e.isJsonNull()) {
                continue;
            }
            if (e.isJsonPrimitive()) {
                tokens.put(name, e.getAsString());
            } else if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
                tokens.put(name, e.getAsJsonObject().get("content").getAsString());
            } else {
                throw new IllegalArgumentException(file + ": " + name + " is neither a string nor an AddedToken object");
            }
        }
        return tokens;
    }

    /** The {@code chat_template} field of a JSON file, or null (recording what was seen in {@code looked}). */
    private static String templateField(Path file, List<String> looked) {
        if (!Files.isRegularFile(file)) {
            looked.add(file + " (absent)");
            return null;
        }
        JsonElement e = object(file).get("chat_template");
        if (e == null || e.isJsonNull()) {
            looked.add(file + " (no chat_template key)");
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        if (e.isJsonArray()) { // [{"name": "default", "template": "..."}, {"name": "tool_use", ...}]
            for (JsonElement t : e.getAsJsonArray()) {
                JsonObject o = t.isJsonObject() ? t.getAsJsonObject() : null;
                if (o != null && o.has("name") && "default".equals(o.get("name").getAsString()) && o.has("template")) {
                    return o.get("template").getAsString();
                }
            }
            throw new IllegalArgumentException(file + ": chat_template is a list of named templates without one named"
                    + " 'default'; pass the one you want with ChatTemplate.of(source)");
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("default")) {
            return e.getAsJsonObject().get("default").getAsString();
        }
        throw new IllegalArgumentException(file + ": chat_template is neither a string nor named templates with a"
                + " 'default'");
    }

    private static JsonObject object(Path file) {
        try {
            return JsonParser.parseString(read(file)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": not a JSON object (" + e.getMessage() + ")", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
