package dev.palate.models.judges;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The number helpers DiffSynth defines identically in {@code models/unified_reward_edit.py} and
 * {@code models/unified_reward_2.py} ({@code _coerce_float}, {@code _mean}), and {@code qwen_image_bench.py}'s
 * {@code _mean_non_none} (the same mean).
 */
final class DiffSynthNumbers {
    private static final Pattern NUMBER = PyRegex.compile("[-+]?\\d*\\.?\\d+", 0);

    private DiffSynthNumbers() {}

    /**
     * {@code _coerce_float}: bool → None, int/float → float (an int beyond the double range raises OverflowError),
     * str → its first {@code [-+]?\d*\.?\d+} (Unicode digits), else None.
     */
    static Double coerceFloat(Object value) {
        if (value instanceof Boolean) return null;
        if (PyNumbers.isInt(value)) return PyNumbers.intToFloat(value);
        if (PyNumbers.isFloat(value)) return ((Number) value).doubleValue();
        if (value instanceof String) {
            Matcher m = NUMBER.matcher((String) value);
            if (m.find()) return PyNumbers.floatOfNumberMatch(m.group());
        }
        return null;
    }

    /**
     * {@code sum(values) / len(values)} over the non-None values, None when there are none. Summed left to right from
     * 0 as CPython 3.11's {@code sum} does (the fixtures' Python; 3.12 compensates float sums and can differ in the
     * last bit).
     */
    static Double mean(Iterable<Double> values) {
        double sum = 0.0;
        int n = 0;
        for (Double v : values)
            if (v != null) {
                sum += v;
                n++;
            }
        return n == 0 ? null : sum / n;
    }
}
