/**
 * Hugging Face chat templates (Jinja2) rendered in Java, byte-exact with transformers 5.18's
 * {@code apply_chat_template}: {@link dev.palate.tokenizers.chat.ChatTemplate} (parse once, render many) and
 * {@link dev.palate.tokenizers.chat.ChatMessage} (the message maps templates read). The rest of the package is a
 * small Jinja2 interpreter with Python value semantics; see ChatTemplate's javadoc for what it supports.
 */
package dev.palate.tokenizers.chat;
