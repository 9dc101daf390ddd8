package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constructs Palate does not implement fail loudly, naming the construct and line, instead of rendering wrong. */
class ChatTemplateRefusalTest {

    private static ChatTemplateException failure(String template) {
        return assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(template, "t.jinja").render(List.of(), false));
    }

    @Test
    void unsupportedFilterIsRefusedAtParseTimeWithItsNameAndLine() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("x\n{{ messages|selectattr('role', 'equalto', 'user')|list }}", "t.jinja"));
        assertTrue(e.getMessage().startsWith("t.jinja line 2: the Jinja filter 'selectattr' is not supported"), e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void unsupportedTagsAndCallFormsAreRefusedAtParseTime() {
        for (String template : List.of("{% include 'x.jinja' %}", "{% raw %}{{ x }}{% endraw %}",
                "{% macro m() %}{{ caller() }}{% endmacro %}", "{% for x in y recursive %}{% endfor %}", "{{ f(*args) }}")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(template), template);
            assertTrue(e.getMessage().contains("not support"), template + " → " + e.getMessage());
        }
    }

    @Test
    void unimplementedPythonMethodIsRefusedWhenReached() {
        ChatTemplateException e = failure("{{ 'a'.zfill(3) }}");
        assertTrue(e.getMessage().contains("str.zfill() is not supported"), e.getMessage());
    }

    @Test
    void printingAnObjectPythonWouldPrintAsARepr() {
        ChatTemplateException e = failure("{{ {'a': 1}.items() }}");
        assertTrue(e.getMessage().contains("printing a dict_items object is not supported"), e.getMessage());
    }

    @Test
    void pythonErrorsAreRaisedAsTheReferenceRaisesThem() {
        assertTrue(failure("{{ x.y }}").getMessage().endsWith("UndefinedError: 'x' is undefined"));
        assertTrue(failure("{{ 'a' + 1 }}").getMessage().endsWith("TypeError: can only concatenate str (not \"int\") to str"));
        assertTrue(failure("{{ [].append(1) }}").getMessage()
                .endsWith("SecurityError: access to attribute 'append' of 'list' object is unsafe."));
    }

    @Test
    void raiseExceptionIsMarkedAsRaisedByTheTemplate() {
        ChatTemplate t = ChatTemplate.fromModelFolder(FixtureRows.testdata("qwen35-judge/model"));
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.user("a"), ChatMessage.system("late")), true));
        assertTrue(e.raisedByTemplate());
        assertTrue(e.getMessage().endsWith("the template raised an error: System message must be at the beginning."),
                e.getMessage());
        assertFalse(failure("{{ x.y }}").raisedByTemplate());
    }

    @Test
    void renderRefusesExtraVariablesThatShadowItsOwnParameters() {
        assertThrows(IllegalArgumentException.class,
                () -> ChatTemplate.of("x").render(List.of(), true, Map.of("add_generation_prompt", false)));
    }
}
