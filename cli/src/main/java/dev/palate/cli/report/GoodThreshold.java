package dev.palate.cli.report;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "An image is good for {@code metric} when its score {@code op} {@code value}", e.g. {@code aesthetic-v2>=6}. */
public record GoodThreshold(String metric, Comparison op, double value) {
    public enum Comparison {
        AT_LEAST(">="), AT_MOST("<="), ABOVE(">"), BELOW("<");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }
    }

    // Longest operators first so "a>=6" is not read as "a>" "=6"; metric names may hold '-', '.', '_'.
    private static final Pattern SYNTAX = Pattern.compile("\\s*([^<>=\\s]+)\\s*(>=|<=|>|<)\\s*([-+0-9.eE]+)\\s*");

    /** Parses {@code metric>=x}, {@code metric<=x}, {@code metric>x} or {@code metric<x}. */
    public static GoodThreshold parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches())
            throw new IllegalArgumentException("--good '" + text + "': expected METRIC>=NUMBER or METRIC<=NUMBER"
                    + " (also > and <), e.g. --good aesthetic-v2>=6 or --good style-loss<=0.02");
        double value;
        try {
            value = Double.parseDouble(m.group(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--good '" + text + "': '" + m.group(3) + "' is not a number");
        }
        Comparison op = switch (m.group(2)) {
            case ">=" -> Comparison.AT_LEAST;
            case "<=" -> Comparison.AT_MOST;
            case ">" -> Comparison.ABOVE;
            default -> Comparison.BELOW;
        };
        return new GoodThreshold(m.group(1), op, value);
    }

    public boolean isGood(double score) {
        return switch (op) {
            case AT_LEAST -> score >= value;
            case AT_MOST -> score <= value;
            case ABOVE -> score > value;
            case BELOW -> score < value;
        };
    }

    @Override
    public String toString() {
        return metric + op.symbol + Numbers.plain(value);
    }

    /** The condition without the metric name, e.g. {@code ">= 6"}. */
    public String condition() {
        return String.format(Locale.ROOT, "%s %s", op.symbol, Numbers.plain(value));
    }
}
