package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file of a model folder supplies the template: transformers 5.18's processor order, then the tokenizer's. */
class ChatTemplateFilesTest {

    @TempDir
    Path folder;

    private void write(String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text);
    }

    private String rendered() {
        return ChatTemplate.fromModelFolder(folder).render(List.of(), false);
    }

    @Test
    void precedenceIsProcessorConfigThenChatTemplateJsonThenJinjaThenTokenizerConfig() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": \"tokenizer\", \"eos_token\": {\"content\": \"</s>\"}}");
        assertEquals("tokenizer", rendered());
        write("chat_template.jinja", "jinja\n");
        assertEquals("jinja", rendered());
        write("chat_template.json", "{\"chat_template\": \"json\"}");
        assertEquals("json", rendered());
        write("processor_config.json", "{\"chat_template\": \"processor\"}");
        assertEquals("processor", rendered());
        assertEquals("</s>", ChatTemplate.fromModelFolder(folder).specialTokens().get("eos_token"));
    }

    @Test
    void namedTemplateListInTokenizerConfigGivesTheDefaultOne() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"},"
                + " {\"name\": \"default\", \"template\": \"plain\"}]}");
        assertEquals("plain", rendered());
    }

    @Test
    void missingTemplateListsEveryPlaceLooked() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.fromModelFolder(folder));
        for (String place : List.of("processor_config.json (absent)", "chat_template.json (absent)",
                "chat_template.jinja (absent)", "tokenizer_config.json (no chat_template key)")) {
            assertTrue(e.getMessage().contains(place), e.getMessage());
        }
    }
}
