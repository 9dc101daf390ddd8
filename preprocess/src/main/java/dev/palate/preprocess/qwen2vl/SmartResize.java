package dev.palate.preprocess.qwen2vl;

/**
 * Qwen2-VL's {@code smart_resize}: the size an image is resized to so that both sides are multiples of {@code factor}
 * and the area lies in {@code [minPixels, maxPixels]}, aspect ratio kept as well as that allows. Two variants exist
 * upstream and differ at the edges; both are ported with Python's arithmetic: {@code round} is half to even
 * ({@link Math#rint}), {@code /} is a double division, and the doubles are evaluated in the upstream order
 * ({@code height / beta / factor}, {@code height * beta / factor}), so a size never moves by a rounding step.
 */
public final class SmartResize {
    /** Both variants refuse {@code max(h, w) / min(h, w) > 200}. */
    public static final double MAX_ASPECT_RATIO = 200;

    private SmartResize() {}

    /** A resized size, in pixels. */
    public record Size(int height, int width) {
        public long area() { return (long) height * width; }
    }

    /**
     * transformers 5.18 {@code models/qwen2_vl/image_processing_pil_qwen2_vl.py smart_resize} (the image processor's):
     * {@code h̄ = round(h / f) · f} without a lower bound (a side under {@code f / 2} rounds to 0 and the area check
     * then scales it up: 20×30 → 56×84 where transformers 4.46 raised), the floor branch clamped to at least {@code f}.
     */
    public static Size transformers(int height, int width, int factor, long minPixels, long maxPixels) {
        checkAspect(height, width);
        long hBar = Math.round(Math.rint((double) height / factor)) * factor;
        long wBar = Math.round(Math.rint((double) width / factor)) * factor;
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt((double) ((long) height * width) / maxPixels);
            hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt((double) minPixels / ((long) height * width));
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        return size(hBar, wBar, height, width);
    }

    /**
     * qwen-vl-utils {@code vision_process.py smart_resize}, as HPSv3's {@code hpsv3/dataset/utils.py fetch_image} copies
     * it: {@code h̄ = max(f, round(h / f) · f)}, the floor branch without a lower bound. With {@code minPixels ==
     * maxPixels} the area is not pinned: the ceil branch overshoots (1500×100 → 1736×140 = 243040 > 200704).
     */
    public static Size qwenVlUtils(int height, int width, int factor, long minPixels, long maxPixels) {
        checkAspect(height, width);
        long hBar = Math.max(factor, Math.round(Math.rint((double) height / factor)) * factor);
        long wBar = Math.max(factor, Math.round(Math.rint((double) width / factor)) * factor);
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt((double) ((long) height * width) / maxPixels);
            hBar = (long) Math.floor(height / beta / factor) * factor;
            wBar = (long) Math.floor(width / beta / factor) * factor;
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt((double) minPixels / ((long) height * width));
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        return size(hBar, wBar, height, width);
    }

    private static void checkAspect(int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("empty image " + width + "x" + height);
        double ratio = (double) Math.max(height, width) / Math.min(height, width);
        if (ratio > MAX_ASPECT_RATIO)
            throw new IllegalArgumentException("absolute aspect ratio must be smaller than 200, got " + ratio + " ("
                    + width + "x" + height + "); Qwen2-VL refuses such images: crop or pad it first");
    }

    private static Size size(long hBar, long wBar, int height, int width) {
        if (hBar <= 0 || wBar <= 0 || hBar > Integer.MAX_VALUE || wBar > Integer.MAX_VALUE)
            throw new IllegalArgumentException("smart_resize of " + width + "x" + height + " gives " + wBar + "x" + hBar
                    + "; check min_pixels/max_pixels");
        return new Size((int) hBar, (int) wBar);
    }
}
