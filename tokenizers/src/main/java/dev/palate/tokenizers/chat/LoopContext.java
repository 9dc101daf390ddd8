package dev.palate.tokenizers.chat;

import java.util.List;

/** Jinja2's {@code loop} variable inside a {@code for} body (jinja2/runtime.py {@code LoopContext}). */
final class LoopContext {

    private final List<Object> items;
    private final int index0;

    LoopContext(List<Object> items, int index0) {
        this.items = items;
        this.index0 = index0;
    }

    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.plain();
            case "nextitem" -> index0 < n - 1 ? items.get(index0 + 1) : Undefined.plain();
            case "cycle" -> (PyCallable) args -> {
                if (args.positional.isEmpty() || !args.keywords.isEmpty()) {
                    throw TemplateError.type("no items for cycling given");
                }
                return args.positional.get(index0 % args.positional.size());
            };
            case "changed" -> throw TemplateError.unsupported("loop.changed");
            default -> Undefined.attribute(this, name);
        };
    }
}
