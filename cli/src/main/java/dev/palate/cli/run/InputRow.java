package dev.palate.cli.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One image to score, as the input gave it.
 *
 * @param index  position in the input (output rows keep this order)
 * @param image  the resolved image file (null when the input line itself was unreadable)
 * @param prompt the prompt, or null for image-only metrics
 * @param fields every input field, in input order, carried through to the output as given
 * @param error  why this row cannot be scored before any model runs (bad manifest line), or null
 */
public record InputRow(int index, Path image, String prompt, LinkedHashMap<String, Object> fields, String error) {
    /** The resume key: a row is done when a row with the same image field and prompt is in the output. */
    public String key() {
        return key(fields);
    }

    static String key(Map<String, ?> fields) {
        Object image = fields.get("image");
        Object prompt = fields.get("prompt");
        return (image == null ? "" : image.toString()) + "\u0000" + (prompt == null ? "" : prompt.toString());
    }
}
