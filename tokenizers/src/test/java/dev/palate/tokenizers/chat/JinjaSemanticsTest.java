package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trickier Jinja2/Python semantics, each expected string being Jinja2 3.1.6's output in transformers' environment
 * (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, its tojson), taken from the Python reference while
 * writing these tests. All comparisons exact.
 */
class JinjaSemanticsTest {

    private static String render(String template, Map<String, ?> variables) {
        return ChatTemplate.of(template).render(List.of(), false, variables);
    }

    private static String render(String template) {
        return render(template, Map.of());
    }

    @Test
    void lstripBlocksDropsTheIndentBeforeABlockTagAndTrimBlocksTheNewlineAfterIt() {
        assertEquals("a\n  b\nc", render("a\n  {% if true %}\n  b\n  {% endif %}\nc"));
    }

    @Test
    void plusModifierKeepsTheIndentBeforeAndTheNewlineAfterATag() {
        assertEquals("a\n    b\n\nc", render("a\n  {%+ if true %}\n  b\n  {% endif +%}\nc"));
    }

    @Test
    void variableTagsAreNeitherLstrippedNorTrimmedAndOneTrailingNewlineOfTheSourceIsDropped() {
        assertEquals("x  1\n  2", render("x  {{ 1 }}\n  {{ 2 }}\n"));
    }

    @Test
    void minusModifiersStripAllWhitespaceIncludingNewlinesOnTheirSide() {
        assertEquals("ab  c", render("a  {%- if true -%}  \n  b  \n  {%- endif %}  c"));
        assertEquals("x y z", render("x {{- ' y ' -}} z"));
    }

    @Test
    void commentsAreLstrippedAndTrimmedLikeBlockTags() {
        assertEquals("a\nb", render("a\n  {# note #}\nb"));
    }

    @Test
    void sourceNewlinesAreNormalisedToLineFeeds() {
        assertEquals("x\ny", render("x\r\ny\n"));
    }

    @Test
    void namespaceCarriesValuesOutOfALoopWhilePlainSetsStayInTheirIteration() {
        assertEquals("3 abc []", render("{% set ns = namespace(count=0, names='') %}{% for m in ['a', 'b', 'c'] %}"
                + "{% set ns.count = ns.count + 1 %}{% set ns.names = ns.names ~ m %}{% set local = 1 %}{% endfor %}"
                + "{{ ns.count }} {{ ns.names }} [{{ local }}]"));
        assertEquals("12121", render("{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}"));
    }

    @Test
    void slicingAndIndexingFollowPythonOnCodePoints() {
        assertEquals("😀olléh|él|o😀|[3, 2, 1]|[2, 3]|3||", render(
                "{{ s[::-1] }}|{{ s[1:3] }}|{{ s[-2:] }}|{{ l[::-1] }}|{{ l[1:] }}|{{ l[-1] }}|{{ l[10] }}|{{ e[0] }}",
                Map.of("s", "héllo😀", "l", List.of(1, 2, 3), "e", List.of())));
    }

    @Test
    void tojsonIsJsonDumpsWithEnsureAsciiOffAndItsOptions() {
        Map<String, Object> x = new java.util.LinkedHashMap<>();
        x.put("name", "é \"q\"\n");
        x.put("n", java.util.Arrays.asList(1, 2.0, true, null));
        assertEquals("{\"name\": \"é \\\"q\\\"\\n\", \"n\": [1, 2.0, true, null]}"
                        + "|{\n  \"name\": \"é \\\"q\\\"\\n\",\n  \"n\": [\n    1,\n    2.0,\n    true,\n    null\n  ]\n}"
                        + "|{\"a\":[1.5,null],\"b\":1}",
                render("{{ x|tojson }}|{{ x|tojson(indent=2) }}"
                        + "|{{ {'b': 1, 'a': [1.5, none]}|tojson(sort_keys=true, separators=(',', ':')) }}", Map.of("x", x)));
    }

    @Test
    void printedValuesArePythonStr() {
        assertEquals("None True 1.0 1e+16 1e-05 [1, 'a', None, {'k': (1,)}] it's",
                render("{{ none }} {{ true }} {{ 1.0 }} {{ 1e16 }} {{ 0.00001 }} {{ [1, 'a', none, {'k': (1,)}] }} {{ \"it's\" }}"));
    }

    @Test
    void equalityCrossesNumericTypesAndUndefinedPrintsEmpty() {
        assertEquals("True False True |False 0 x1", render("{{ 1 == 1.0 == true }} {{ [1] == (1,) }} {{ 'a' in {'a': 1} }}"
                + " {{ u }}|{{ u is defined }} {{ u|length }} {{ 'x' ~ u ~ 1 }}"));
    }

    @Test
    void macrosTakeDefaultsAndKeywordsAndReturnTheirText() {
        assertEquals("[a, b][  1  ]", render("{% macro part(c, sep=', ') %}  {{ c|join(sep) }}  {% endmacro %}"
                + "[{{ part(['a', 'b'])|trim }}][{{ part([1], sep='-') }}]"));
    }

    @Test
    void loopFilterBreakAndLoopIndexCountOnlyKeptItems() {
        assertEquals("1:1 2:3 3:5 ", render("{% for i in range(10) if i is odd %}{% if i > 5 %}{% break %}{% endif %}"
                + "{{ loop.index }}:{{ i }} {% endfor %}"));
    }

    @Test
    void qwen3ReasoningSplitChainUsesPythonStringMethods() {
        assertEquals("plan|answer", render("{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}"
                + "|{{ c.split('</think>')[-1].lstrip('\\n') }}", Map.of("c", "<think>\nplan\n</think>\n\nanswer")));
    }

    @Test
    void attributeAccessFallsBackToDictKeysAndMissingKeysAreUndefined() {
        assertEquals("hi|user||d|False|True", render("{{ m.content }}|{{ m['role'] }}|{{ m.missing }}"
                + "|{{ m.get('missing', 'd') }}|{{ 'image' in m }}|{{ m.content is string }}",
                Map.of("m", ChatMessage.user("hi"))));
    }

    @Test
    void renderPassesToolsAndDocumentsAsNoneAndTheGenerationFlag() {
        ChatTemplate t = ChatTemplate.of("{{ tools is none }}{{ documents is defined }}{{ add_generation_prompt }}"
                + "{{ messages|length }}{{ enable_thinking is defined }}");
        assertEquals("TrueTrueTrue1False", t.render(List.of(ChatMessage.user("x")), true));
        assertEquals("TrueTrueFalse0True", t.render(List.of(), false, Map.of("enable_thinking", false)));
    }

    @Test
    void openAiImageUrlPartsBecomeImagePartsAsTheProcessorRewritesThem() {
        ChatTemplate t = ChatTemplate.of("{% for p in messages[0].content %}{{ p.type }}:{{ p.url }};{% endfor %}");
        Map<String, Object> part = Map.of("type", "image_url", "image_url", Map.of("url", "http://x/y.png"));
        assertEquals("image:http://x/y.png;", t.render(List.of(ChatMessage.message("user", List.of(part))), false));
    }
}
