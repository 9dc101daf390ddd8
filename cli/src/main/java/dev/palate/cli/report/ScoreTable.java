package dev.palate.cli.report;

import java.nio.file.Path;
import java.util.List;

/**
 * The rows of one scores file and the metrics found in it.
 *
 * @param metrics metric names in the order they first appear in the file
 * @param fields  non-metric field names in the order they first appear
 */
public record ScoreTable(Path source, List<ScoreRow> rows, List<String> metrics, List<String> fields) {
    boolean hasField(String name) {
        return fields.contains(name);
    }
}
