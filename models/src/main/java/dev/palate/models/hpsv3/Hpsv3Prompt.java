package dev.palate.models.hpsv3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * The text HPSv3 scores a prompt with, and its token ids (HPSv3 inference.py {@code prepare_batch}): one user message
 * {@code [image, INSTRUCTION.format(text_prompt=prompt) + PROMPT_WITH_SPECIAL_TOKEN]} rendered with the model's chat
 * template ({@code add_generation_prompt=True}), then tokenized with the single {@code <|image_pad|>} expanded to the
 * image's token count, as Qwen2VLProcessor does before tokenizing.
 *
 * <p>INSTRUCTION is stored verbatim in {@code instruction.txt} beside this class (2 523 characters, four lines with
 * trailing spaces; SHA-256 0393599d…e1f68b7a, as recorded in shared/docs/models.md §2.8 and the fixture metadata).
 */
final class Hpsv3Prompt {
    static final String REWARD_TOKEN = "<|Reward|>";
    static final String IMAGE_PAD = "<|image_pad|>";
    /** HPSv3 inference.py: appended after the instruction. */
    static final String PROMPT_WITH_SPECIAL_TOKEN = "\nPlease provide the overall ratings of this image: " + REWARD_TOKEN + "\n\nEND\n";
    static final String INSTRUCTION = readInstruction();
    /** Qwen-VL-utils bounds HPSv3 puts in the image part of the message (they do not change the rendered text). */
    private static final int HPSV3_PIXELS = 256 * 28 * 28;

    private final ChatTemplate template;
    private final ByteLevelBpeTokenizer tokenizer;
    private final int imagePadId;
    private final Map<String, int[]> idsByPrompt = new ConcurrentHashMap<>();

    Hpsv3Prompt(ChatTemplate template, ByteLevelBpeTokenizer tokenizer) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.imagePadId = tokenizer.tokenId(IMAGE_PAD);
    }

    /** {@code INSTRUCTION.format(text_prompt=prompt) + PROMPT_WITH_SPECIAL_TOKEN}: the message's text part. */
    static String userText(String prompt) {
        int at = INSTRUCTION.indexOf("{text_prompt}");
        return INSTRUCTION.substring(0, at) + prompt + INSTRUCTION.substring(at + "{text_prompt}".length()) + PROMPT_WITH_SPECIAL_TOKEN;
    }

    /** The chat text before image expansion, exactly as {@code apply_chat_template} renders it. */
    String render(String prompt) {
        check(prompt);
        Map<String, Object> image = Map.of("type", "image", "image", "image", "min_pixels", HPSV3_PIXELS, "max_pixels", HPSV3_PIXELS);
        Map<String, Object> text = Map.of("type", "text", "text", userText(prompt));
        List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content", List.of(image, text)));
        return template.render(messages, true, Map.of());
    }

    /** The ids for one pair: the rendered prompt tokenized, its one image slot expanded to {@code imageTokens} copies. */
    int[] ids(String prompt, int imageTokens) {
        if (idsByPrompt.size() > 4096) idsByPrompt.clear(); // a bound for long runs over many prompts
        int[] base = idsByPrompt.computeIfAbsent(prompt, p -> tokenizer.encode(render(p)));
        int slot = -1;
        for (int i = 0; i < base.length; i++) if (base[i] == imagePadId) { slot = i; break; }
        if (slot < 0) throw new IllegalStateException("the chat template rendered no " + IMAGE_PAD + " for the image");
        int[] out = new int[base.length - 1 + imageTokens];
        System.arraycopy(base, 0, out, 0, slot);
        java.util.Arrays.fill(out, slot, slot + imageTokens, imagePadId);
        System.arraycopy(base, slot + 1, out, slot + imageTokens, base.length - slot - 1);
        return out;
    }

    /** Prompts that would make the reward position or the image slots ambiguous are refused rather than scored wrong. */
    static void check(String prompt) {
        if (prompt == null) throw new IllegalArgumentException("hpsv3 needs a prompt for every image (got null)");
        for (String t : new String[] {REWARD_TOKEN, IMAGE_PAD, "<|video_pad|>"})
            if (prompt.contains(t))
                throw new IllegalArgumentException("the prompt contains the special token " + t + ", which HPSv3 cannot score"
                        + " correctly (it pools at the single " + REWARD_TOKEN + " and fills " + IMAGE_PAD + " slots with the image);"
                        + " remove it from the prompt");
    }

    private static String readInstruction() {
        try (InputStream in = Hpsv3Prompt.class.getResourceAsStream("instruction.txt")) {
            if (in == null) throw new IllegalStateException("hpsv3/instruction.txt is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
