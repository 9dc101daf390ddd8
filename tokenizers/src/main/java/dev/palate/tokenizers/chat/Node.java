package dev.palate.tokenizers.chat;

import java.util.List;

/** Jinja2 statement nodes (jinja2/nodes.py), the subset {@link TemplateParser} builds. */
sealed interface Node {

    /** Template text between tags, after whitespace control. */
    record Text(String text) implements Node {}

    /** {@code {{ expr }}}. */
    record Output(Expr value, int line) implements Node {}

    /** {@code if/elif.../else}: {@code tests.get(i)} guards {@code bodies.get(i)}. */
    record If(List<Expr> tests, List<List<Node>> bodies, List<Node> orElse, int line) implements Node {}

    /** {@code for target in iterable [if filter]} ... {@code else} ...; target is a Name or a TupleLiteral of Names. */
    record For(Expr target, Expr iterable, Expr filter, List<Node> body, List<Node> orElse, int line) implements Node {}

    /** {@code {% set target = value %}}; target is a Name, NamespaceRef or TupleLiteral of them. */
    record Set(Expr target, Expr value, int line) implements Node {}

    /** {@code {% set name [| filters] %}body{% endset %}}; {@code filter} null when none. */
    record SetBlock(Expr target, Expr filter, List<Node> body, int line) implements Node {}

    /** {@code {% macro name(params, p=default) %}}; {@code defaults} align with the last parameters. */
    record Macro(String name, List<String> parameters, List<Expr> defaults, List<Node> body, int line) implements Node {}

    /** {@code {% with a = x, b = y %}}. */
    record With(List<Expr> targets, List<Expr> values, List<Node> body, int line) implements Node {}

    /** {@code {% filter f %}body{% endfilter %}}. */
    record FilterBlock(Expr filter, List<Node> body, int line) implements Node {}

    record Break(int line) implements Node {}

    record Continue(int line) implements Node {}
}
