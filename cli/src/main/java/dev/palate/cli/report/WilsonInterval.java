package dev.palate.cli.report;

/**
 * 95% Wilson score interval for a proportion: with z = 1.959964, p̂ = successes/n,
 * centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
 * Ties enter p̂ as half a win; since a tie carries less variance than a coin flip, the interval is then slightly
 * conservative.
 */
record WilsonInterval(double low, double high) {
    static final double Z95 = 1.959963984540054;

    static WilsonInterval of(double successes, int n) {
        if (n == 0) return new WilsonInterval(Double.NaN, Double.NaN);
        double p = successes / n;
        double z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
