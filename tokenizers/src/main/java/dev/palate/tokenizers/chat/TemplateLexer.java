package dev.palate.tokenizers.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2 3.1's lexer (jinja2/lexer.py {@code Lexer.tokeniter} and {@code wrap}) for the environment transformers
 * builds: default delimiters, {@code trim_blocks=True}, {@code lstrip_blocks=True}, no line statements, trailing
 * newline of the source dropped. Whitespace control, exactly as there:
 * <ul>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} strip all whitespace (newlines included) before the tag;
 *       {@code -%}}, {@code -}}}, {@code -#}} strip all whitespace after it;</li>
 *   <li>trim_blocks: one newline right after {@code %}} or {@code #}} is dropped (not after {@code }}});</li>
 *   <li>lstrip_blocks: spaces/tabs between a line start and {@code {%} or {@code {#} are dropped
 *       (not before {@code {{}); {@code {%+} and {@code +%}} opt out.</li>
 * </ul>
 * Whitespace means {@code str.isspace()}. Integers and floats use Python's literal syntax; strings are unescaped as
 * Python's {@code unicode-escape} codec does.
 */
final class TemplateLexer {

    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    /** {@code value}: the text for DATA/NAME/OPERATOR, the unescaped String, a Long or a Double. */
    record Token(Kind kind, Object value, int line) {
        boolean is(Kind k, String text) {
            return kind == k && value.equals(text);
        }

        boolean isName(String name) {
            return is(Kind.NAME, name);
        }

        boolean isOperator(String op) {
            return is(Kind.OPERATOR, op);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of template";
                case DATA -> "template data";
                case VARIABLE_BEGIN -> "'{{'";
                case VARIABLE_END -> "'}}'";
                case BLOCK_BEGIN -> "'{%'";
                case BLOCK_END -> "'%}'";
                case STRING -> "string " + PyStrings.repr((String) value);
                default -> "'" + value + "'";
            };
        }
    }

    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%[-+]?\\s*raw\\s*(?:-%\\}|%\\})");
    private static final Pattern FLOAT = Pattern.compile(
            "(?:\\d+_)*\\d+(?:(?:\\.(?:\\d+_)*\\d+)?[eE][+\\-]?(?:\\d+_)*\\d+|\\.(?:\\d+_)*\\d+)");
    private static final Pattern INTEGER = Pattern.compile(
            "0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?\\d)*|0(?:_?0)*");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** jinja2/lexer.py {@code operators}, longest first. */
    private static final List<String> OPERATORS = List.of("//", "**", "==", "!=", ">=", "<=",
            "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";");

    private final String source;
    private final String origin;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    /** Whether the last match ended in a newline (jinja's {@code line_starting}); true at the start. */
    private boolean lineStarting = true;

    private TemplateLexer(String source, String origin) {
        this.source = source;
        this.origin = origin;
    }

    static List<Token> tokenize(String template, String origin) {
        TemplateLexer lexer = new TemplateLexer(normalizeNewlines(template), origin);
        lexer.run();
        return lexer.tokens;
    }

    /** {@code "\n".join(newline_re.split(source)[::2])} minus one trailing empty line (keep_trailing_newline=False). */
    static String normalizeNewlines(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private void run() {
        int n = source.length();
        while (pos < n) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emit(Kind.DATA, source.substring(pos));
                break;
            }
            char kind = source.charAt(tag + 1);
            if (kind == '%' && RAW_BEGIN.matcher(source).region(tag, n).lookingAt()) {
                throw error("{% raw %} blocks are not supported by Palate's chat template renderer");
            }
            int after = tag + 2;
            char sign = after < n ? source.charAt(after) : 0;
            boolean signed = sign == '-' || sign == '+';
            String text = source.substring(pos, tag);
            int textLines = countNewlines(text);
            if (sign == '-') {
                text = PyStrings.strip(text, null, false, true);
            } else if (sign != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            if (!text.isEmpty()) {
                emit(Kind.DATA, text);
            }
            line += textLines;
            pos = after + (signed ? 1 : 0);
            lineStarting = false;
            switch (kind) {
                case '#' -> comment();
                case '%' -> tag(Kind.BLOCK_BEGIN, Kind.BLOCK_END);
                default -> tag(Kind.VARIABLE_BEGIN, Kind.VARIABLE_END);
            }
        }
        tokens.add(new Token(Kind.EOF, "", line));
    }

    private int nextTagStart(int from) {
        for (int i = source.indexOf('{', from); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private void comment() {
        int end = source.indexOf("#}", pos);
        if (end < 0) {
            throw error("Missing end of comment tag");
        }
        char before = end > pos ? source.charAt(end - 1) : 0;
        line += countNewlines(source.substring(pos, end));
        pos = end + 2;
        if (before == '-') {
            skipWhitespaceAfterTag();
        } else if (before != '+') {
            trimNewline();
        } else {
            lineStarting = false;
        }
    }

    private void tag(Kind begin, Kind end) {
        tokens.add(new Token(begin, begin == Kind.BLOCK_BEGIN ? "{%" : "{{", line));
        Deque<Character> balance = new ArrayDeque<>();
        int n = source.length();
        while (true) {
            if (pos >= n) {
                throw error("unexpected end of template: " + (begin == Kind.BLOCK_BEGIN ? "'%}'" : "'}}'") + " missing");
            }
            if (balance.isEmpty() && tagEnd(end)) {
                return;
            }
            char c = source.charAt(pos);
            if (PyStrings.isSpace(c)) {
                int start = pos;
                while (pos < n && PyStrings.isSpace(source.charAt(pos))) {
                    pos++;
                }
                line += countNewlines(source.substring(start, pos));
                continue;
            }
            Matcher m;
            if ((pos == 0 || source.charAt(pos - 1) != '.') && (m = FLOAT.matcher(source).region(pos, n)).lookingAt()) {
                tokens.add(new Token(Kind.FLOAT, Double.parseDouble(m.group().replace("_", "")), line));
                pos = m.end();
            } else if ((m = INTEGER.matcher(source).region(pos, n)).lookingAt()) {
                tokens.add(new Token(Kind.INTEGER, parseInteger(m.group().replace("_", "")), line));
                pos = m.end();
            } else if ((m = NAME.matcher(source).region(pos, n)).lookingAt()) {
                if (m.end() < n && Character.isLetterOrDigit(source.codePointAt(m.end())) && source.charAt(m.end()) > 0x7F) {
                    throw error("non-ASCII identifiers are not supported");
                }
                tokens.add(new Token(Kind.NAME, m.group(), line));
                pos = m.end();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else {
                String op = OPERATORS.stream().filter(o -> source.startsWith(o, pos)).findFirst()
                        .orElseThrow(() -> error("unexpected char " + PyStrings.repr(source.substring(pos,
                                source.offsetByCodePoints(pos, 1))) + " at " + pos));
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    balance.push(op.equals("(") ? ')' : op.equals("[") ? ']' : '}');
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    if (balance.isEmpty()) {
                        throw error("unexpected '" + op + "'");
                    }
                    char expected = balance.pop();
                    if (expected != op.charAt(0)) {
                        throw error("unexpected '" + op + "', expected '" + expected + "'");
                    }
                }
                tokens.add(new Token(Kind.OPERATOR, op, line));
                pos += op.length();
            }
        }
    }

    /** The end rules, tried before anything else in a tag: {@code +%}}, {@code -%}\s*}, {@code %}\n?}; {@code -}}\s*}, {@code }}}. */
    private boolean tagEnd(Kind end) {
        if (end == Kind.BLOCK_END) {
            if (source.startsWith("+%}", pos)) {
                pos += 3;
                lineStarting = false;
            } else if (source.startsWith("-%}", pos)) {
                pos += 3;
                skipWhitespaceAfterTag();
            } else if (source.startsWith("%}", pos)) {
                pos += 2;
                trimNewline();
            } else {
                return false;
            }
        } else {
            if (source.startsWith("-}}", pos)) {
                pos += 3;
                skipWhitespaceAfterTag();
            } else if (source.startsWith("}}", pos)) {
                pos += 2;
                lineStarting = false;
            } else {
                return false;
            }
        }
        tokens.add(new Token(end, end == Kind.BLOCK_END ? "%}" : "}}", line));
        return true;
    }

    private void skipWhitespaceAfterTag() {
        int start = pos;
        while (pos < source.length() && PyStrings.isSpace(source.charAt(pos))) {
            pos++;
        }
        line += countNewlines(source.substring(start, pos));
        lineStarting = pos > start && source.charAt(pos - 1) == '\n';
    }

    private void trimNewline() {
        lineStarting = pos < source.length() && source.charAt(pos) == '\n';
        if (lineStarting) {
            pos++;
            line++;
        }
    }

    /** jinja2/lexer.py {@code string_re}, then {@code .encode("ascii", "backslashreplace").decode("unicode-escape")}. */
    private void string(char quote) {
        int start = pos;
        int i = pos + 1;
        int n = source.length();
        while (i < n && source.charAt(i) != quote) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= n) {
            throw error("unexpected char " + PyStrings.repr(String.valueOf(quote)) + " at " + start);
        }
        String raw = source.substring(start + 1, i);
        tokens.add(new Token(Kind.STRING, unicodeEscape(backslashReplace(raw)), line));
        line += countNewlines(raw);
        pos = i + 1;
    }

    private static String backslashReplace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) cp);
            } else if (cp <= 0xFF) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xFFFF) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        });
        return out.toString();
    }

    /** Python's {@code unicode-escape} decoder on ASCII text; unknown escapes stay as written. */
    private String unicodeEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                if (c == '\\') {
                    throw error("\\ at end of string");
                }
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000B');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    String hex = s.substring(i + 1, Math.min(s.length(), i + 1 + digits));
                    if (hex.length() < digits || !hex.matches("[0-9a-fA-F]+")) {
                        throw error("truncated \\" + e + "XX escape");
                    }
                    int cp = Integer.parseUnsignedInt(hex, 16);
                    if (cp > 0x10FFFF) {
                        throw error("illegal Unicode character");
                    }
                    out.appendCodePoint(cp);
                    i += digits;
                }
                case 'N' -> {
                    int close = s.indexOf('}', i);
                    if (i + 1 >= s.length() || s.charAt(i + 1) != '{' || close < 0) {
                        throw error("malformed \\N character escape");
                    }
                    try {
                        out.appendCodePoint(Character.codePointOf(s.substring(i + 2, close)));
                    } catch (IllegalArgumentException unknown) {
                        throw error("unknown Unicode character name");
                    }
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                            end++;
                        }
                        out.appendCodePoint(Integer.parseInt(s.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private long parseInteger(String text) {
        try {
            if (text.length() > 1 && text.charAt(0) == '0' && Character.isLetter(text.charAt(1))) {
                int radix = switch (Character.toLowerCase(text.charAt(1))) {
                    case 'b' -> 2;
                    case 'o' -> 8;
                    default -> 16;
                };
                return Long.parseLong(text.substring(2), radix);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error("integer literal " + text + " does not fit in 64 bits");
        }
    }

    private static boolean allSpace(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!PyStrings.isSpace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int countNewlines(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    private void emit(Kind kind, String text) {
        tokens.add(new Token(kind, text, line));
    }

    private ChatTemplateException error(String message) {
        return new ChatTemplateException(origin + " line " + line + ": " + message, line, false);
    }
}
