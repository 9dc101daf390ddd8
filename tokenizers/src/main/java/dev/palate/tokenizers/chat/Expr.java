package dev.palate.tokenizers.chat;

import java.util.List;

/** Jinja2 expression nodes (jinja2/nodes.py), the subset {@link TemplateParser} builds. */
sealed interface Expr {

    int line();

    record Const(Object value, int line) implements Expr {}

    record Name(String name, int line) implements Expr {}

    /** {@code ns.attr} as an assignment target of {@code {% set %}}. */
    record NamespaceRef(String name, String attribute, int line) implements Expr {}

    record GetAttr(Expr target, String attribute, int line) implements Expr {}

    /** {@code target[key]}; {@code key} may be a {@link SliceExpr}. */
    record GetItem(Expr target, Expr key, int line) implements Expr {}

    /** {@code [start:stop:step]}, each part null when omitted. */
    record SliceExpr(Expr start, Expr stop, Expr step, int line) implements Expr {}

    record Keyword(String name, Expr value) {}

    record Call(Expr callee, List<Expr> args, List<Keyword> keywords, int line) implements Expr {}

    /** {@code value | name(args)}; {@code value} null inside {@code {% filter %}} / {@code {% set x | f %}} (the body). */
    record Filter(Expr value, String name, List<Expr> args, List<Keyword> keywords, int line) implements Expr {}

    record Test(Expr value, String name, List<Expr> args, List<Keyword> keywords, int line) implements Expr {}

    record Not(Expr value, int line) implements Expr {}

    /** Unary {@code -} (minus) or {@code +}. */
    record Unary(boolean minus, Expr value, int line) implements Expr {}

    /** {@code + - * / // % **}. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {}

    record And(Expr left, Expr right, int line) implements Expr {}

    record Or(Expr left, Expr right, int line) implements Expr {}

    /** {@code op}: {@code == != < <= > >= in notin}. */
    record Operand(String op, Expr value) {}

    record Compare(Expr first, List<Operand> rest, int line) implements Expr {}

    /** {@code a ~ b ~ c}. */
    record Concat(List<Expr> parts, int line) implements Expr {}

    /** {@code then if test else otherwise}; {@code otherwise} null yields Undefined. */
    record CondExpr(Expr test, Expr then, Expr otherwise, int line) implements Expr {}

    record ListLiteral(List<Expr> items, int line) implements Expr {}

    record TupleLiteral(List<Expr> items, int line) implements Expr {}

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {}
}
