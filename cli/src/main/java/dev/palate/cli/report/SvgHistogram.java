package dev.palate.cli.report;

import java.util.Locale;

/**
 * One inline SVG histogram. Bins are equal-width on [lo, hi], the last bin closed (numpy.histogram's rule);
 * lo, hi and yMax are shared by every entrant of a metric so the charts can be compared at a glance.
 */
final class SvgHistogram {
    static final int WIDTH = 300;
    static final int HEIGHT = 170;
    private static final int LEFT = 34, RIGHT = 10, TOP = 26, BOTTOM = 30;

    private SvgHistogram() {
    }

    static int[] counts(double[] values, double lo, double hi, int bins) {
        int[] c = new int[bins];
        double width = hi - lo;
        for (double v : values) {
            int i = width <= 0 ? 0 : (int) Math.floor((v - lo) / width * bins);
            c[Math.max(0, Math.min(bins - 1, i))]++;
        }
        return c;
    }

    /**
     * @param threshold good-image threshold to draw as a vertical line, or null
     */
    static String render(String title, double[] values, double lo, double hi, int bins, int yMax, double mean,
                         GoodThreshold threshold) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\">", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<title>").append(Html.esc(title)).append("</title>");
        s.append(text(LEFT, 16, "start", "t", title));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double baseY = TOP + plotH;
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                LEFT, baseY, WIDTH - RIGHT, baseY));
        if (values.length == 0) {
            s.append(text(LEFT + plotW / 2, TOP + plotH / 2, "middle", "nodata", "no successful scores"));
            return s.append("</svg>").toString();
        }
        int[] counts = counts(values, lo, hi, bins);
        double barW = plotW / bins;
        for (int i = 0; i < bins; i++) {
            if (counts[i] == 0) continue;
            double h = plotH * counts[i] / yMax;
            double binLo = lo + (hi - lo) * i / bins;
            double binHi = lo + (hi - lo) * (i + 1) / bins;
            s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                            + "<title>[%s, %s%s: %d</title></rect>",
                    LEFT + i * barW + 0.5, baseY - h, Math.max(0.5, barW - 1), h,
                    Numbers.fixed(binLo), Numbers.fixed(binHi), i == bins - 1 ? "]" : ")", counts[i]));
        }
        if (threshold != null && threshold.value() >= lo && threshold.value() <= hi) {
            double x = xOf(threshold.value(), lo, hi, plotW);
            s.append(String.format(Locale.ROOT, "<line class=\"good\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    x, TOP, x, baseY));
        }
        double mx = xOf(mean, lo, hi, plotW);
        s.append(String.format(Locale.ROOT, "<line class=\"mean\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>",
                mx, TOP, mx, baseY));
        s.append(text(LEFT - 4, TOP + 4, "end", "tick", Integer.toString(yMax)));
        s.append(text(LEFT - 4, baseY, "end", "tick", "0"));
        s.append(text(LEFT, baseY + 14, "start", "tick", Numbers.fixed(lo)));
        s.append(text(WIDTH - RIGHT, baseY + 14, "end", "tick", Numbers.fixed(hi)));
        s.append(text(LEFT + plotW / 2, baseY + 26, "middle", "tick", "n " + values.length + ", mean " + Numbers.fixed(mean)));
        return s.append("</svg>").toString();
    }

    private static double xOf(double v, double lo, double hi, double plotW) {
        return hi > lo ? LEFT + (v - lo) / (hi - lo) * plotW : LEFT + plotW / 2;
    }

    private static String text(double x, double y, String anchor, String cls, String body) {
        return String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                cls, x, y, anchor, Html.esc(body));
    }
}
