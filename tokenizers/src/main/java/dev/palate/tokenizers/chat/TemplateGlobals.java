package dev.palate.tokenizers.chat;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The global names a chat template sees: Jinja2's {@code range}, {@code dict}, {@code namespace}
 * (jinja2/defaults.py; the sandbox's {@code range} is capped at 100000 items) and the two transformers adds
 * (utils/chat_template_utils.py): {@code raise_exception(message)} and {@code strftime_now(format)}. Jinja's
 * {@code lipsum}, {@code cycler} and {@code joiner} are refused when called.
 */
final class TemplateGlobals {

    private TemplateGlobals() {}

    /** The kind of {@link TemplateError} {@code raise_exception} throws (jinja2.exceptions.TemplateError). */
    static final String RAISED = "TemplateError";
    private static final long MAX_RANGE = 100_000; // jinja2/sandbox.py MAX_RANGE

    static Map<String, Object> all() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("range", (PyCallable) TemplateGlobals::range);
        g.put("dict", (PyCallable) args -> mapping("dict", args));
        g.put("namespace", (PyCallable) args -> {
            Namespace ns = new Namespace();
            ns.attributes.putAll(mapping("namespace", args));
            return ns;
        });
        g.put("raise_exception", (PyCallable) args -> {
            throw new TemplateError(RAISED, PyValues.str(args.supported("message").required(0, "message")));
        });
        g.put("strftime_now", (PyCallable) args -> strftime(args.supported("format").string(0, "format"), LocalDateTime.now()));
        for (String name : List.of("lipsum", "cycler", "joiner")) {
            g.put(name, (PyCallable) args -> {
                throw TemplateError.unsupported("the Jinja global " + name + "()");
            });
        }
        return g;
    }

    private static Object range(Args args) {
        if (!args.keywords.isEmpty() || args.positional.isEmpty() || args.positional.size() > 3) {
            throw TemplateError.type("range expected 1 to 3 positional arguments");
        }
        long[] v = new long[args.positional.size()];
        for (int i = 0; i < v.length; i++) {
            Object o = args.positional.get(i);
            if (!(PyValues.isInt(o) || o instanceof Boolean)) {
                throw TemplateError.type("'" + PyValues.typeName(o) + "' object cannot be interpreted as an integer");
            }
            v[i] = PyValues.toLong(o);
        }
        long start = v.length == 1 ? 0 : v[0];
        long stop = v.length == 1 ? v[0] : v[1];
        long step = v.length == 3 ? v[2] : 1;
        if (step == 0) {
            throw TemplateError.value("range() arg 3 must not be zero");
        }
        List<Long> items = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (items.size() >= MAX_RANGE) {
                throw new TemplateError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
            }
            items.add(i);
        }
        String text = "range(" + start + ", " + stop + (step != 1 ? ", " + step : "") + ")";
        return PyView.range(items, text);
    }

    /** {@code dict(mapping_or_none, **kwargs)}. */
    private static Map<String, Object> mapping(String function, Args args) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (args.positional.size() > 1) {
            throw TemplateError.type(function + " expected at most 1 positional argument");
        }
        if (args.positional.size() == 1) {
            if (!(args.positional.get(0) instanceof Map<?, ?> m)) {
                throw TemplateError.unsupported(function + "() from a " + PyValues.typeName(args.positional.get(0)));
            }
            m.forEach((k, v) -> {
                if (!(k instanceof String s)) {
                    throw TemplateError.unsupported(function + "() with non-string keys");
                }
                out.put(s, v);
            });
        }
        out.putAll(args.keywords);
        return out;
    }

    /** C-locale {@code strftime} for the directives chat templates use; others are refused. */
    static String strftime(String format, LocalDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'd' -> out.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> out.append(String.format("%2d", t.getDayOfMonth()));
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'm' -> out.append(String.format("%02d", t.getMonthValue()));
                case 'y' -> out.append(String.format("%02d", t.getYear() % 100));
                case 'Y' -> out.append(t.getYear());
                case 'H' -> out.append(String.format("%02d", t.getHour()));
                case 'I' -> out.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'M' -> out.append(String.format("%02d", t.getMinute()));
                case 'S' -> out.append(String.format("%02d", t.getSecond()));
                case 'f' -> out.append(String.format("%06d", t.getNano() / 1000));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'z', 'Z' -> { } // datetime.now() is naive: empty
                case '%' -> out.append('%');
                default -> throw TemplateError.unsupported("the strftime directive %" + d);
            }
        }
        return out.toString();
    }
}
