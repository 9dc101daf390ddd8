package dev.palate.tokenizers.chat;

import dev.palate.tokenizers.chat.TemplateLexer.Kind;
import dev.palate.tokenizers.chat.TemplateLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Jinja2 3.1's parser (jinja2/parser.py), same grammar and precedence, for the statements and expressions listed in
 * {@link ChatTemplate}'s javadoc. Everything else (include/import/extends/block/call/raw, {@code *args} calls,
 * recursive loops, macros that read {@code varargs}/{@code kwargs}/{@code caller}, unknown filters and tests) is
 * refused here, at parse time, with the line and the construct named.
 */
final class TemplateParser {

    private static final Set<String> COMPARE_OPERATORS = Set.of("==", "!=", "<", "<=", ">", ">=");
    /** Jinja's other statement keywords and the ext tags an environment may have; all refused by name. */
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from", "call",
            "autoescape", "do", "trans", "pluralize", "debug", "raw");

    private final List<Token> tokens;
    private final String origin;
    private int at;
    private int loopDepth;

    private TemplateParser(List<Token> tokens, String origin) {
        this.tokens = tokens;
        this.origin = origin;
    }

    static List<Node> parse(String source, String origin) {
        TemplateParser p = new TemplateParser(TemplateLexer.tokenize(source, origin), origin);
        List<Node> body = p.subparse(Set.of());
        if (p.current().kind() != Kind.EOF) {
            throw p.error("unexpected " + p.current().describe());
        }
        return body;
    }

    // ---- statements --------------------------------------------------------------------------------------------

    /** Nodes until a block tag whose name is in {@code endTags} (left current, after the {@code {%}) or EOF. */
    private List<Node> subparse(Set<String> endTags) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = current();
            switch (t.kind()) {
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw error("unexpected end of template; expected one of " + String.join(", ", endTags.stream()
                                .map(s -> "'" + s + "'").sorted().toList()));
                    }
                    return body;
                }
                case DATA -> {
                    body.add(new Node.Text((String) t.value()));
                    next();
                }
                case VARIABLE_BEGIN -> {
                    next();
                    Expr e = parseTuple(true, Set.of(), false);
                    expect(Kind.VARIABLE_END, "'}}'");
                    body.add(new Node.Output(e, t.line()));
                }
                case BLOCK_BEGIN -> {
                    next();
                    Token name = current();
                    if (name.kind() == Kind.NAME && endTags.contains((String) name.value())) {
                        return body;
                    }
                    body.addAll(statement());
                    expect(Kind.BLOCK_END, "'%}'");
                }
                default -> throw error("unexpected " + t.describe());
            }
        }
    }

    /** The body of a statement up to one of {@code endTags}; returns the end tag's name (consumed, and its %}). */
    private List<Node> body(Set<String> endTags, String[] endTag) {
        expect(Kind.BLOCK_END, "'%}'");
        List<Node> nodes = subparse(endTags);
        endTag[0] = (String) next().value();
        return nodes;
    }

    private List<Node> statement() {
        Token t = current();
        if (t.kind() != Kind.NAME) {
            throw error("tag name expected");
        }
        String tag = (String) t.value();
        return switch (tag) {
            case "if" -> List.of(parseIf());
            case "for" -> List.of(parseFor());
            case "set" -> List.of(parseSet());
            case "macro" -> List.of(parseMacro());
            case "with" -> List.of(parseWith());
            case "filter" -> List.of(parseFilterBlock());
            case "break", "continue" -> {
                next();
                if (loopDepth == 0) {
                    throw error("'" + tag + "' outside of a for loop");
                }
                yield List.of(tag.equals("break") ? new Node.Break(t.line()) : new Node.Continue(t.line()));
            }
            case "generation" -> { // transformers' AssistantTracker: renders its body unchanged unless tracking
                next();
                String[] end = new String[1];
                List<Node> nodes = body(Set.of("endgeneration"), end);
                yield nodes;
            }
            default -> {
                if (UNSUPPORTED_TAGS.contains(tag)) {
                    throw error("the {% " + tag + " %} tag is not supported by Palate's chat template renderer");
                }
                throw error("unknown tag '" + tag + "'");
            }
        };
    }

    private Node parseIf() {
        int line = next().line();
        List<Expr> tests = new ArrayList<>();
        List<List<Node>> bodies = new ArrayList<>();
        List<Node> orElse = List.of();
        while (true) {
            tests.add(parseTuple(false, Set.of(), false));
            String[] end = new String[1];
            bodies.add(body(Set.of("elif", "else", "endif"), end));
            if (end[0].equals("elif")) {
                continue;
            }
            if (end[0].equals("else")) {
                orElse = body(Set.of("endif"), end);
            }
            break;
        }
        return new Node.If(tests, bodies, orElse, line);
    }

    private Node parseFor() {
        int line = next().line();
        Expr target = parseAssignTarget(Set.of("in"), false);
        expectName("in");
        Expr iterable = parseTuple(false, Set.of("recursive"), false);
        Expr filter = null;
        if (current().isName("if")) {
            next();
            filter = parseExpression(true);
        }
        if (current().isName("recursive")) {
            throw error("recursive for loops are not supported by Palate's chat template renderer");
        }
        loopDepth++;
        String[] end = new String[1];
        List<Node> body = body(Set.of("endfor", "else"), end);
        loopDepth--;
        List<Node> orElse = end[0].equals("else") ? body(Set.of("endfor"), end) : List.of();
        return new Node.For(target, iterable, filter, body, orElse, line);
    }

    private Node parseSet() {
        int line = next().line();
        Expr target = parseAssignTarget(Set.of(), true);
        if (current().isOperator("=")) {
            next();
            return new Node.Set(target, parseTuple(true, Set.of(), false), line);
        }
        if (!(target instanceof Expr.Name)) {
            throw error("a block {% set %} needs a plain name as its target");
        }
        Expr filter = current().isOperator("|") ? parseFilter(null, false) : null;
        String[] end = new String[1];
        return new Node.SetBlock(target, filter, body(Set.of("endset"), end), line);
    }

    private Node parseMacro() {
        int line = next().line();
        String name = expectNameToken();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        expectOperator("(");
        while (!current().isOperator(")")) {
            if (!parameters.isEmpty()) {
                expectOperator(",");
            }
            parameters.add(expectNameToken());
            if (current().isOperator("=")) {
                next();
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw error("non-default argument follows default argument");
            }
        }
        expectOperator(")");
        int outerLoops = loopDepth;
        loopDepth = 0;
        int bodyStart = at;
        String[] end = new String[1];
        List<Node> body = body(Set.of("endmacro"), end);
        loopDepth = outerLoops;
        for (int i = bodyStart; i < at; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.NAME && Set.of("varargs", "kwargs", "caller").contains((String) t.value())
                    && !parameters.contains((String) t.value())) {
                throw error("macro '" + name + "' reads '" + t.value() + "', which Palate's chat template renderer"
                        + " does not support");
            }
        }
        return new Node.Macro(name, parameters, defaults, body, line);
    }

    private Node parseWith() {
        int line = next().line();
        List<Expr> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOperator(",");
            }
            targets.add(parseAssignTarget(Set.of(), false));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        String[] end = new String[1];
        return new Node.With(targets, values, body(Set.of("endwith"), end), line);
    }

    private Node parseFilterBlock() {
        int line = next().line();
        Expr filter = parseFilter(null, true);
        String[] end = new String[1];
        return new Node.FilterBlock(filter, body(Set.of("endfilter"), end), line);
    }

    /** parse_assign_target: names (or ns.attr with {@code withNamespace}), possibly a tuple of them. */
    private Expr parseAssignTarget(Set<String> extraEnd, boolean withNamespace) {
        int line = current().line();
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd) || current().isOperator("=")) {
                break;
            }
            Token t = current();
            if (t.kind() != Kind.NAME || Set.of("true", "false", "True", "False", "none", "None").contains((String) t.value())) {
                throw error("can't assign to " + t.describe());
            }
            next();
            if (withNamespace && current().isOperator(".")) {
                next();
                items.add(new Expr.NamespaceRef((String) t.value(), expectNameToken(), t.line()));
            } else {
                items.add(new Expr.Name((String) t.value(), t.line()));
            }
            if (current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (items.isEmpty()) {
            throw error("expected an assignment target, got " + current().describe());
        }
        return tuple ? new Expr.TupleLiteral(items, line) : items.get(0);
    }

    // ---- expressions (parse_tuple → parse_condexpr → or → and → not → compare → math1 → concat → math2 → pow → unary)

    private boolean isTupleEnd(Set<String> extraEnd) {
        Token t = current();
        if (t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.isOperator(")")) {
            return true;
        }
        return t.kind() == Kind.NAME && extraEnd.contains((String) t.value());
    }

    private Expr parseTuple(boolean withCondExpr, Set<String> extraEnd, boolean explicitParentheses) {
        int line = current().line();
        List<Expr> items = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOperator(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            items.add(parseExpression(withCondExpr));
            if (current().isOperator(",")) {
                tuple = true;
            } else {
                break;
            }
        }
        if (!tuple) {
            if (!items.isEmpty()) {
                return items.get(0);
            }
            if (!explicitParentheses) {
                throw error("Expected an expression, got " + current().describe());
            }
        }
        return new Expr.TupleLiteral(items, line);
    }

    private Expr parseExpression(boolean withCondExpr) {
        return withCondExpr ? parseCondExpr() : parseOr();
    }

    private Expr parseCondExpr() {
        int line = current().line();
        Expr expr = parseOr();
        while (current().isName("if")) {
            next();
            Expr test = parseOr();
            Expr otherwise = null;
            if (current().isName("else")) {
                next();
                otherwise = parseCondExpr();
            }
            expr = new Expr.CondExpr(test, expr, otherwise, line);
        }
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (current().isName("or")) {
            int line = next().line();
            left = new Expr.Or(left, parseAnd(), line);
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (current().isName("and")) {
            int line = next().line();
            left = new Expr.And(left, parseNot(), line);
        }
        return left;
    }

    private Expr parseNot() {
        if (current().isName("not")) {
            int line = next().line();
            return new Expr.Not(parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = current().line();
        Expr first = parseMath1();
        List<Expr.Operand> rest = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.kind() == Kind.OPERATOR && COMPARE_OPERATORS.contains((String) t.value())) {
                next();
                rest.add(new Expr.Operand((String) t.value(), parseMath1()));
            } else if (t.isName("in")) {
                next();
                rest.add(new Expr.Operand("in", parseMath1()));
            } else if (t.isName("not") && peek(1).isName("in")) {
                next();
                next();
                rest.add(new Expr.Operand("notin", parseMath1()));
            } else {
                break;
            }
        }
        return rest.isEmpty() ? first : new Expr.Compare(first, rest, line);
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (current().isOperator("+") || current().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary((String) op.value(), left, parseConcat(), op.line());
        }
        return left;
    }

    private Expr parseConcat() {
        int line = current().line();
        List<Expr> parts = new ArrayList<>();
        parts.add(parseMath2());
        while (current().isOperator("~")) {
            next();
            parts.add(parseMath2());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts, line);
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (Set.of("*", "/", "//", "%").contains(current().kind() == Kind.OPERATOR ? (String) current().value() : "")) {
            Token op = next();
            left = new Expr.Binary((String) op.value(), left, parsePow(), op.line());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (current().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, parseUnary(true), op.line());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = current();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            node = new Expr.Unary(t.isOperator("-"), parseUnary(false), t.line());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        if (withFilter) {
            node = parseFilterExpr(node);
        }
        return node;
    }

    private Expr parsePrimary() {
        Token t = current();
        switch (t.kind()) {
            case NAME -> {
                next();
                String name = (String) t.value();
                return switch (name) {
                    case "true", "True" -> new Expr.Const(true, t.line());
                    case "false", "False" -> new Expr.Const(false, t.line());
                    case "none", "None" -> new Expr.Const(null, t.line());
                    default -> new Expr.Name(name, t.line());
                };
            }
            case STRING -> {
                next();
                StringBuilder text = new StringBuilder((String) t.value());
                while (current().kind() == Kind.STRING) { // adjacent literals concatenate
                    text.append((String) next().value());
                }
                return new Expr.Const(text.toString(), t.line());
            }
            case INTEGER, FLOAT -> {
                next();
                return new Expr.Const(t.value(), t.line());
            }
            case OPERATOR -> {
                switch ((String) t.value()) {
                    case "(" -> {
                        next();
                        Expr inner = parseTuple(true, Set.of(), true);
                        expectOperator(")");
                        return inner;
                    }
                    case "[" -> {
                        next();
                        List<Expr> items = new ArrayList<>();
                        while (!current().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                            }
                            if (current().isOperator("]")) {
                                break;
                            }
                            items.add(parseExpression(true));
                        }
                        expectOperator("]");
                        return new Expr.ListLiteral(items, t.line());
                    }
                    case "{" -> {
                        next();
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!current().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expectOperator(",");
                            }
                            if (current().isOperator("}")) {
                                break;
                            }
                            keys.add(parseExpression(true));
                            expectOperator(":");
                            values.add(parseExpression(true));
                        }
                        expectOperator("}");
                        return new Expr.DictLiteral(keys, values, t.line());
                    }
                    default -> throw error("unexpected " + t.describe());
                }
            }
            default -> throw error("unexpected " + t.describe());
        }
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOperator(".") || t.isOperator("[")) {
                node = parseSubscript(node);
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOperator("|")) {
                node = parseFilter(node, false);
            } else if (t.isName("is")) {
                node = parseTest(node);
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token t = next();
        if (t.isOperator(".")) {
            Token attr = next();
            if (attr.kind() == Kind.NAME) {
                return new Expr.GetAttr(node, (String) attr.value(), t.line());
            }
            if (attr.kind() != Kind.INTEGER) {
                throw error("expected name or number");
            }
            return new Expr.GetItem(node, new Expr.Const(attr.value(), attr.line()), t.line());
        }
        List<Expr> args = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!args.isEmpty()) {
                expectOperator(",");
            }
            args.add(parseSubscribed());
        }
        expectOperator("]");
        Expr key = args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args, t.line());
        return new Expr.GetItem(node, key, t.line());
    }

    private Expr parseSubscribed() {
        int line = current().line();
        Expr start = null;
        if (!current().isOperator(":")) {
            start = parseExpression(true);
            if (!current().isOperator(":")) {
                return start;
            }
        }
        next(); // the first ':'
        Expr stop = null;
        if (!current().isOperator(":") && !current().isOperator("]") && !current().isOperator(",")) {
            stop = parseExpression(true);
        }
        Expr step = null;
        if (current().isOperator(":")) {
            next();
            if (!current().isOperator("]") && !current().isOperator(",")) {
                step = parseExpression(true);
            }
        }
        return new Expr.SliceExpr(start, stop, step, line);
    }

    private record CallArgs(List<Expr> args, List<Expr.Keyword> keywords) {}

    private CallArgs parseCallArgs() {
        expectOperator("(");
        List<Expr> args = new ArrayList<>();
        List<Expr.Keyword> keywords = new ArrayList<>();
        boolean requireComma = false;
        while (!current().isOperator(")")) {
            if (requireComma) {
                expectOperator(",");
                if (current().isOperator(")")) {
                    break;
                }
            }
            if (current().isOperator("*") || current().isOperator("**")) {
                throw error("*args / **kwargs in calls are not supported by Palate's chat template renderer");
            }
            if (current().kind() == Kind.NAME && peek(1).isOperator("=")) {
                String key = (String) next().value();
                next();
                keywords.add(new Expr.Keyword(key, parseExpression(true)));
            } else {
                if (!keywords.isEmpty()) {
                    throw error("invalid syntax for function call expression");
                }
                args.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOperator(")");
        return new CallArgs(args, keywords);
    }

    private Expr parseCall(Expr callee) {
        int line = current().line();
        CallArgs a = parseCallArgs();
        return new Expr.Call(callee, a.args(), a.keywords(), line);
    }

    private Expr parseFilter(Expr node, boolean startInline) {
        while (current().isOperator("|") || startInline) {
            if (!startInline) {
                next();
            }
            startInline = false;
            Token nameToken = current();
            String name = expectNameToken();
            while (current().isOperator(".")) {
                next();
                name += "." + expectNameToken();
            }
            TemplateFilters.checkSupported(name, nameToken.line(), origin);
            CallArgs a = current().isOperator("(") ? parseCallArgs() : new CallArgs(List.of(), List.of());
            node = new Expr.Filter(node, name, a.args(), a.keywords(), nameToken.line());
        }
        return node;
    }

    private Expr parseTest(Expr node) {
        int line = next().line(); // 'is'
        boolean negated = false;
        if (current().isName("not")) {
            next();
            negated = true;
        }
        String name = expectNameToken();
        while (current().isOperator(".")) {
            next();
            name += "." + expectNameToken();
        }
        TemplateTests.checkSupported(name, line, origin);
        List<Expr> args = List.of();
        List<Expr.Keyword> keywords = List.of();
        Token t = current();
        if (t.isOperator("(")) {
            CallArgs a = parseCallArgs();
            args = a.args();
            keywords = a.keywords();
        } else if ((t.kind() == Kind.NAME || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER || t.kind() == Kind.FLOAT
                || t.isOperator("[") || t.isOperator("{"))
                && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            if (t.isName("is")) {
                throw error("You cannot chain multiple tests with is");
            }
            args = List.of(parsePostfix(parsePrimary()));
        }
        Expr test = new Expr.Test(node, name, args, keywords, line);
        return negated ? new Expr.Not(test, line) : test;
    }

    // ---- token stream ----------------------------------------------------------------------------------------------

    private Token current() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind() != Kind.EOF) {
            at++;
        }
        return t;
    }

    private void expect(Kind kind, String what) {
        if (current().kind() != kind) {
            throw error("expected " + what + ", got " + current().describe());
        }
        next();
    }

    private void expectOperator(String op) {
        if (!current().isOperator(op)) {
            throw error("expected '" + op + "', got " + current().describe());
        }
        next();
    }

    private void expectName(String name) {
        if (!current().isName(name)) {
            throw error("expected '" + name + "', got " + current().describe());
        }
        next();
    }

    private String expectNameToken() {
        if (current().kind() != Kind.NAME) {
            throw error("expected a name, got " + current().describe());
        }
        return (String) next().value();
    }

    private ChatTemplateException error(String message) {
        int line = current().line();
        return new ChatTemplateException(origin + " line " + line + ": " + message, line, false);
    }
}
