package dev.palate.tokenizers.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a parsed template with Jinja2's runtime semantics (jinja2/compiler.py's generated code, jinja2/runtime.py)
 * over {@link PyValues}: {@code {{ x }}} writes {@code str(x)}, scopes as {@link Scope} describes, {@code and}/{@code or}
 * return an operand, {@code a if b} without else gives Undefined, macros render to a string. One instance per render.
 */
final class TemplateRenderer {

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final String origin;

    private TemplateRenderer(String origin) {
        this.origin = origin;
    }

    static String render(List<Node> template, Map<String, ?> variables, String origin) {
        Scope globals = new Scope(null);
        globals.setAll(TemplateGlobals.all());
        Scope context = new Scope(globals);
        context.setAll(variables);
        StringBuilder out = new StringBuilder();
        new TemplateRenderer(origin).execute(template, new Scope(context), out);
        return out.toString();
    }

    // ---- statements ------------------------------------------------------------------------------------------------

    private Flow execute(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow = execute(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execute(Node node, Scope scope, StringBuilder out) {
        if (node instanceof Node.Text t) {
            out.append(t.text());
        } else if (node instanceof Node.Output o) {
            out.append(located(o.line(), () -> PyValues.str(eval(o.value(), scope))));
        } else if (node instanceof Node.If f) {
            for (int i = 0; i < f.tests().size(); i++) {
                if (PyValues.truthy(eval(f.tests().get(i), scope))) {
                    return execute(f.bodies().get(i), scope, out);
                }
            }
            return execute(f.orElse(), scope, out);
        } else if (node instanceof Node.For f) {
            return loop(f, scope, out);
        } else if (node instanceof Node.Set s) {
            Object value = eval(s.value(), scope);
            located(s.line(), () -> assign(s.target(), value, scope));
        } else if (node instanceof Node.SetBlock s) {
            StringBuilder body = new StringBuilder();
            execute(s.body(), new Scope(scope), body);
            Object value = s.filter() == null ? body.toString() : applyFilters(s.filter(), body.toString(), scope);
            located(s.line(), () -> assign(s.target(), value, scope));
        } else if (node instanceof Node.Macro m) {
            scope.set(m.name(), new MacroValue(m, scope));
        } else if (node instanceof Node.With w) {
            Scope inner = new Scope(scope);
            for (int i = 0; i < w.targets().size(); i++) {
                Object value = eval(w.values().get(i), scope);
                Expr target = w.targets().get(i);
                located(w.line(), () -> assign(target, value, inner));
            }
            return execute(w.body(), inner, out);
        } else if (node instanceof Node.FilterBlock f) {
            StringBuilder body = new StringBuilder();
            execute(f.body(), new Scope(scope), body);
            out.append(located(f.line(), () -> PyValues.str(applyFilters(f.filter(), body.toString(), scope))));
        } else if (node instanceof Node.Break) {
            return Flow.BREAK;
        } else if (node instanceof Node.Continue) {
            return Flow.CONTINUE;
        } else {
            throw new IllegalStateException("unknown node " + node);
        }
        return Flow.NORMAL;
    }

    private Flow loop(Node.For f, Scope scope, StringBuilder out) {
        Object iterable = eval(f.iterable(), scope);
        List<Object> items = located(f.line(), () -> PyValues.iterate(iterable));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                located(f.line(), () -> assign(f.target(), item, probe));
                if (PyValues.truthy(eval(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            return execute(f.orElse(), new Scope(scope), out);
        }
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope);
            Object item = items.get(i);
            located(f.line(), () -> assign(f.target(), item, iteration));
            iteration.set("loop", new LoopContext(items, i));
            if (execute(f.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
        return Flow.NORMAL;
    }

    private Void assign(Expr target, Object value, Scope scope) {
        if (target instanceof Expr.Name n) {
            scope.set(n.name(), value);
        } else if (target instanceof Expr.NamespaceRef r) {
            if (!(scope.lookup(r.name()) instanceof Namespace namespace)) {
                throw new TemplateError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
            }
            namespace.attributes.put(r.attribute(), value);
        } else if (target instanceof Expr.TupleLiteral t) {
            List<Object> items = PyValues.iterate(value);
            if (items.size() != t.items().size()) {
                throw TemplateError.value(items.size() < t.items().size()
                        ? "not enough values to unpack (expected " + t.items().size() + ", got " + items.size() + ")"
                        : "too many values to unpack (expected " + t.items().size() + ")");
            }
            for (int i = 0; i < items.size(); i++) {
                assign(t.items().get(i), items.get(i), scope);
            }
        } else {
            throw new IllegalStateException("the parser only builds name, ns.attr and tuple targets");
        }
        return null;
    }

    /** A macro bound to the scope it was defined in (read at call time: Jinja's late binding). */
    private final class MacroValue implements PyCallable {
        private final Node.Macro macro;
        private final Scope definedIn;

        MacroValue(Node.Macro macro, Scope definedIn) {
            this.macro = macro;
            this.definedIn = definedIn;
        }

        @Override
        public String pythonType() {
            return "Macro";
        }

        @Override
        public Object call(Args args) {
            List<String> params = macro.parameters();
            if (args.positional.size() > params.size()) {
                throw TemplateError.type("macro '" + macro.name() + "' takes not more than " + params.size()
                        + " argument(s)");
            }
            Scope frame = new Scope(definedIn);
            Map<String, Object> given = new LinkedHashMap<>();
            for (int i = 0; i < args.positional.size(); i++) {
                given.put(params.get(i), args.positional.get(i));
            }
            for (Map.Entry<String, Object> k : args.keywords.entrySet()) {
                if (!params.contains(k.getKey())) {
                    throw TemplateError.type("macro '" + macro.name() + "' takes no keyword argument '" + k.getKey() + "'");
                }
                if (given.containsKey(k.getKey())) {
                    throw TemplateError.type("macro '" + macro.name() + "' got multiple values for argument '" + k.getKey() + "'");
                }
                given.put(k.getKey(), k.getValue());
            }
            int firstDefault = params.size() - macro.defaults().size();
            for (int i = 0; i < params.size(); i++) {
                String p = params.get(i);
                if (given.containsKey(p)) {
                    frame.set(p, given.get(p));
                } else if (i >= firstDefault) {
                    frame.set(p, eval(macro.defaults().get(i - firstDefault), frame));
                } else {
                    frame.set(p, Undefined.missingArgument(p));
                }
            }
            StringBuilder body = new StringBuilder();
            execute(macro.body(), frame, body);
            return body.toString();
        }
    }

    // ---- expressions -----------------------------------------------------------------------------------------------

    private Object eval(Expr e, Scope scope) {
        return located(e.line(), () -> evaluate(e, scope));
    }

    private Object evaluate(Expr e, Scope scope) {
        if (e instanceof Expr.Const c) {
            return c.value();
        }
        if (e instanceof Expr.Name n) {
            Object v = scope.lookup(n.name());
            return v == Scope.MISSING ? Undefined.name(n.name()) : v;
        }
        if (e instanceof Expr.GetAttr g) {
            return PyAccess.getattr(eval(g.target(), scope), g.attribute());
        }
        if (e instanceof Expr.GetItem g) {
            Object target = eval(g.target(), scope);
            Object key = g.key() instanceof Expr.SliceExpr s
                    ? new PyAccess.Slice(part(s.start(), scope), part(s.stop(), scope), part(s.step(), scope))
                    : eval(g.key(), scope);
            return PyAccess.getitem(target, key);
        }
        if (e instanceof Expr.Call c) {
            Object callee = eval(c.callee(), scope);
            Args args = arguments(calleeName(c.callee()), c.args(), c.keywords(), scope);
            if (callee instanceof Undefined u) {
                throw u.fail();
            }
            if (!(callee instanceof PyCallable f)) {
                throw TemplateError.type("'" + PyValues.typeName(callee) + "' object is not callable");
            }
            return f.call(args);
        }
        if (e instanceof Expr.Filter f) {
            return applyFilters(f, null, scope);
        }
        if (e instanceof Expr.Test t) {
            Object value = eval(t.value(), scope);
            return TemplateTests.apply(t.name(), value, arguments(t.name(), t.args(), t.keywords(), scope));
        }
        if (e instanceof Expr.Not n) {
            return !PyValues.truthy(eval(n.value(), scope));
        }
        if (e instanceof Expr.Unary u) {
            return PyValues.negate(eval(u.value(), scope), u.minus());
        }
        if (e instanceof Expr.Binary b) {
            Object left = eval(b.left(), scope);
            return PyValues.binary(b.op(), left, eval(b.right(), scope));
        }
        if (e instanceof Expr.And a) {
            Object left = eval(a.left(), scope);
            return PyValues.truthy(left) ? eval(a.right(), scope) : left;
        }
        if (e instanceof Expr.Or o) {
            Object left = eval(o.left(), scope);
            return PyValues.truthy(left) ? left : eval(o.right(), scope);
        }
        if (e instanceof Expr.Compare c) {
            Object left = eval(c.first(), scope);
            for (Expr.Operand op : c.rest()) {
                Object right = eval(op.value(), scope);
                if (!compare(op.op(), left, right)) {
                    return false;
                }
                left = right;
            }
            return true;
        }
        if (e instanceof Expr.Concat c) {
            StringBuilder s = new StringBuilder();
            for (Expr part : c.parts()) {
                s.append(PyValues.str(eval(part, scope)));
            }
            return s.toString();
        }
        if (e instanceof Expr.CondExpr c) {
            if (PyValues.truthy(eval(c.test(), scope))) {
                return eval(c.then(), scope);
            }
            return c.otherwise() == null ? Undefined.plain() : eval(c.otherwise(), scope);
        }
        if (e instanceof Expr.ListLiteral l) {
            List<Object> items = new ArrayList<>();
            for (Expr x : l.items()) {
                items.add(eval(x, scope));
            }
            return items;
        }
        if (e instanceof Expr.TupleLiteral t) {
            List<Object> items = new ArrayList<>();
            for (Expr x : t.items()) {
                items.add(eval(x, scope));
            }
            return new PyTuple(items);
        }
        if (e instanceof Expr.DictLiteral d) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < d.keys().size(); i++) {
                Object key = eval(d.keys().get(i), scope);
                if (key instanceof List<?> && !(key instanceof PyTuple) || key instanceof Map<?, ?>) {
                    throw TemplateError.type("unhashable type: '" + PyValues.typeName(key) + "'");
                }
                Object existing = PyValues.findKey(map, key);
                map.put(existing == PyValues.MISSING ? key : existing, eval(d.values().get(i), scope));
            }
            return map;
        }
        throw new IllegalStateException("no evaluation for " + e); // slices and ns.attr only appear inside [ ] / set
    }

    private Object part(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private static boolean compare(String op, Object left, Object right) {
        return switch (op) {
            case "==" -> PyValues.eq(left, right);
            case "!=" -> !PyValues.eq(left, right);
            case "in" -> PyValues.contains(right, left);
            case "notin" -> !PyValues.contains(right, left);
            default -> PyValues.order(op, left, right);
        };
    }

    /** A filter chain; the innermost filter with a null value takes {@code body} (filter blocks, block sets). */
    private Object applyFilters(Expr filter, Object body, Scope scope) {
        Expr.Filter f = (Expr.Filter) filter;
        Object value = f.value() == null ? body : f.value() instanceof Expr.Filter inner
                ? located(inner.line(), () -> applyFilters(inner, body, scope)) : eval(f.value(), scope);
        Args args = arguments(f.name(), f.args(), f.keywords(), scope);
        return located(f.line(), () -> TemplateFilters.apply(f.name(), value, args));
    }

    private Args arguments(String function, List<Expr> positional, List<Expr.Keyword> keywords, Scope scope) {
        List<Object> values = new ArrayList<>();
        for (Expr x : positional) {
            values.add(eval(x, scope));
        }
        Map<String, Object> named = new LinkedHashMap<>();
        for (Expr.Keyword k : keywords) {
            named.put(k.name(), eval(k.value(), scope));
        }
        return new Args(function, values, named);
    }

    private static String calleeName(Expr callee) {
        if (callee instanceof Expr.Name n) {
            return n.name();
        }
        return callee instanceof Expr.GetAttr g ? g.attribute() : "function";
    }

    private interface Step<T> {
        T run();
    }

    /** Runs {@code step}, turning a Python-level error into a {@link ChatTemplateException} at {@code line}. */
    private <T> T located(int line, Step<T> step) {
        try {
            return step.run();
        } catch (TemplateError e) {
            if (e.kind.equals(TemplateGlobals.RAISED)) {
                throw new ChatTemplateException(origin + " line " + line + ": the template raised an error: "
                        + e.getMessage(), line, true);
            }
            throw new ChatTemplateException(origin + " line " + line + ": " + e.kind + ": " + e.getMessage(), line, false);
        }
    }
}
