package dev.palate.tokenizers.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values were produced once by CPython 3.11's {@code html.unescape} on the same inputs. */
class HtmlUnescapeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "fish &amp; chips|fish & chips",
        "&amp;amp;|&amp;",
        "&lt;3 &gt|<3 >",
        "&ampfoo|&foo",
        "&notit; &notin; &not|\u00acit; \u2209 \u00ac",
        "AT&T|AT&T",
        "&#65;&#x42;&#X43|ABC",
        "&#0;|\ufffd",
        "&#128;&#x9d;|\u20ac\u009d",
        "&#xD800;|\ufffd",
        "&#1114112;|\ufffd",
        "&#99999999999999999999;|\ufffd",
        "&#1;x&#xFFFE;|x",
        "&#;&#x;|&#;&#x;",
        "&hellip;&copy2024|\u2026\u00a92024",
        "&NotANamedEntity;|&NotANamedEntity;",
        "a & b|a & b",
        "&AElig&Aacute;|\u00c6\u00c1",
        "&#x1F431;|\ud83d\udc31",
        "&zwnj;x|\u200cx",
        "&&&|&&&",
        "&#65|A",
        "&#x2019;s|\u2019s",
        "&amp&lt;|&<",
        "&acE;|\u223e\u0333",
        "&nbsp;x|\u00a0x",
    })
    void unescapeMatchesPythonHtmlUnescape(String input, String expected) {
        assertEquals(expected, HtmlUnescape.unescape(input));
    }

    @org.junit.jupiter.api.Test
    void carriageReturnReferenceBecomesCarriageReturn() {
        assertEquals("a\rb", HtmlUnescape.unescape("a&#13;b"));
    }

    @org.junit.jupiter.api.Test
    void bundledEntityTableHasTheWholeHtml5List() {
        assertEquals(2231, HtmlUnescape.html5Entities().size());
    }
}
