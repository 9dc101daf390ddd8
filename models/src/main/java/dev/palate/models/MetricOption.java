package dev.palate.models;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One option a metric accepts, set per scorer with {@link ScorerOptions.Builder#set(String, String)} (on the command
 * line {@code --set METRIC:KEY=VALUE}) and declared by {@link ScorerFactory#options()}.
 *
 * <pre>
 * static final MetricOption RESIZE = MetricOption.choice("resize", "legacy", "what each value means", "legacy", "antialias");
 * String resize = RESIZE.value(options);   // the value set, else "legacy"
 * </pre>
 *
 * @param key          the option's name, e.g. {@code resize} (lower case letters, digits, '-', '_')
 * @param allowed      the values it takes, in the order they are listed; empty = any non-blank value (the factory
 *                     parses it, e.g. a number)
 * @param defaultValue the value when none is set (one of {@code allowed} when those are given)
 * @param description  one line: what the values mean
 */
public record MetricOption(String key, List<String> allowed, String defaultValue, String description) {
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    public MetricOption {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches())
            throw new IllegalArgumentException("option key '" + key + "' must be lower case letters, digits, '-' or '_'");
        allowed = List.copyOf(allowed);
        if (new LinkedHashSet<>(allowed).size() != allowed.size())
            throw new IllegalArgumentException("option " + key + " lists a value twice: " + allowed);
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (!allowed.isEmpty() && !allowed.contains(defaultValue))
            throw new IllegalArgumentException("option " + key + ": default '" + defaultValue + "' is not among " + allowed);
        Objects.requireNonNull(description, "description");
    }

    /** An option with a fixed set of values. */
    public static MetricOption choice(String key, String defaultValue, String description, String... allowed) {
        return new MetricOption(key, List.of(allowed), defaultValue, description);
    }

    /** The value {@code options} set for this key (checked against {@link #allowed()}), else the default. */
    public String value(ScorerOptions options) {
        String v = options.setting(key);
        if (v == null) return defaultValue;
        if (!accepts(v)) throw new IllegalArgumentException(notAllowed(null, v));
        return v;
    }

    /** True when {@code value} may be set. */
    public boolean accepts(String value) {
        return allowed.isEmpty() ? value != null && !value.isBlank() : allowed.contains(value);
    }

    /** {@code resize=legacy|antialias (default legacy)}, as {@code palate metrics} and the errors show it. */
    public String synopsis() {
        return key + "=" + (allowed.isEmpty() ? "VALUE" : String.join("|", allowed)) + " (default " + defaultValue + ")";
    }

    /**
     * Every declared option's value: the one set in {@code settings}, else its default, in declaration order.
     *
     * @throws IllegalArgumentException for a key {@code metric} does not declare or a value it does not allow; the
     *                                  message lists what it accepts
     */
    static Map<String, String> resolve(String metric, List<MetricOption> declared, Map<String, String> settings) {
        Map<String, MetricOption> byKey = new LinkedHashMap<>();
        for (MetricOption o : declared) byKey.put(o.key(), o);
        for (Map.Entry<String, String> s : settings.entrySet()) {
            MetricOption o = byKey.get(s.getKey());
            if (o == null)
                throw new IllegalArgumentException(metric + " has no option '" + s.getKey() + "': "
                        + (declared.isEmpty() ? metric + " takes no options" : "its options are " + synopses(declared)));
            if (!o.accepts(s.getValue())) throw new IllegalArgumentException(o.notAllowed(metric, s.getValue()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (MetricOption o : declared) out.put(o.key(), settings.getOrDefault(o.key(), o.defaultValue()));
        return out;
    }

    private String notAllowed(String metric, String value) {
        return (metric == null ? "" : metric + ": ") + key + "=" + value + " is not allowed: use " + synopsis()
                + "; " + description;
    }

    private static String synopses(List<MetricOption> declared) {
        return String.join(", ", declared.stream().map(MetricOption::synopsis).toList());
    }
}
