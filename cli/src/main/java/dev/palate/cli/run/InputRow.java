package dev.palate.cli.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * One image to score, as the input gave it. Output row k is input row k: rows are matched by position, never by
 * their fields (a manifest may list one image and prompt several times).
 *
 * @param index  position in the input (output rows keep this order)
 * @param image  the resolved image file (null when the input line itself was unreadable)
 * @param prompt the prompt, or null for image-only metrics
 * @param fields every input field, in input order, carried through to the output as given
 * @param error  why this row cannot be scored before any model runs (bad manifest line), or null
 * @param source where the row came from, for messages: "m.jsonl line 4", "images/ (a.png)"
 * @param base   the folder relative paths of this row resolve against (the manifest's), or null
 */
public record InputRow(int index, Path image, String prompt, LinkedHashMap<String, Object> fields, String error, String source, Path base) {
    /** Fields naming further images of a row, for metrics that compare several (a judge's source image, a second edit). */
    public static final java.util.List<String> IMAGE_FIELDS = java.util.List.of("source", "image2");

    public InputRow(int index, Path image, String prompt, LinkedHashMap<String, Object> fields, String error, String source) {
        this(index, image, prompt, fields, error, source, image == null ? null : image.toAbsolutePath().getParent());
    }

    /** The path a further image field names, resolved like {@code image}; null when absent. */
    public Path imageField(String field) {
        Object v = fields.get(field);
        if (v == null) return null;
        if (!(v instanceof String s) || s.isBlank())
            throw new IllegalArgumentException(source + ": \"" + field + "\" must be a path (a string), found " + v);
        return base == null ? Path.of(s) : base.resolve(s).normalize();
    }
}
