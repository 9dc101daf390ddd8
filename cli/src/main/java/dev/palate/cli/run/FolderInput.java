package dev.palate.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images found under a folder (recursively, sorted by relative path), each with its prompt from, in this order:
 * a {@code prompts.jsonl} or {@code prompts.csv} in the folder mapping file names to prompts (and extra fields;
 * the file is named by {@code image}, {@code file} or {@code file_name}, the Hugging Face image-folder column),
 * a sidecar {@code <image>.txt}, or the one prompt given on the command line. An entry of the prompts file that
 * cannot be read is a warning, not a failure: image-only metrics need no prompt.
 */
public final class FolderInput {
    public static final Set<String> IMAGE_EXTENSIONS =
            Set.of("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif");

    private FolderInput() {}

    /** Mapping keys that name the image file. */
    private static final List<String> FILE_FIELDS = List.of("image", "file", "file_name");

    public static List<InputRow> read(Path dir, String fixedPrompt) throws IOException {
        return read(dir, fixedPrompt, w -> { });
    }

    /** @param warnings told about entries of the prompts file that name no image or cannot be read */
    public static List<InputRow> read(Path dir, String fixedPrompt, java.util.function.Consumer<String> warnings) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("--images " + dir + " is not a folder");
        Map<String, LinkedHashMap<String, Object>> mapping = readMapping(dir, warnings);
        List<Path> images;
        try (Stream<Path> walk = Files.walk(dir)) {
            images = walk.filter(Files::isRegularFile).filter(FolderInput::isImage)
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString())).toList();
        }
        List<InputRow> rows = new ArrayList<>();
        for (Path image : images) {
            String rel = dir.relativize(image).toString();
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            fields.put("image", rel);
            LinkedHashMap<String, Object> mapped = mapping.get(rel);
            if (mapped == null) mapped = mapping.get(image.getFileName().toString());
            String prompt = null;
            if (mapped != null) {
                for (Map.Entry<String, Object> e : mapped.entrySet())
                    if (!FILE_FIELDS.contains(e.getKey())) fields.put(e.getKey(), e.getValue());
                Object p = mapped.get("prompt");
                prompt = p == null ? null : p.toString();
            }
            if (prompt == null) prompt = sidecarPrompt(image);
            if (prompt == null) prompt = fixedPrompt;
            if (prompt != null) fields.put("prompt", prompt);
            rows.add(new InputRow(rows.size(), image, prompt, fields, null, dir + " (" + rel + ")", dir));
        }
        return rows;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String sidecarPrompt(Path image) throws IOException {
        String n = image.getFileName().toString();
        Path txt = image.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ".txt");
        return Files.isRegularFile(txt) ? Files.readString(txt, StandardCharsets.UTF_8).strip() : null;
    }

    /** File name (relative path or bare name) → fields, from prompts.jsonl or prompts.csv. */
    private static Map<String, LinkedHashMap<String, Object>> readMapping(Path dir, java.util.function.Consumer<String> warnings)
            throws IOException {
        Map<String, LinkedHashMap<String, Object>> out = new HashMap<>();
        for (String name : new String[] {"prompts.jsonl", "prompts.csv"}) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) continue;
            for (InputRow r : ManifestReader.read(f)) {
                Object key = FILE_FIELDS.stream().map(k -> r.fields().get(k)).filter(v -> v instanceof String s && !s.isBlank()).findFirst().orElse(null);
                if (key == null) {
                    warnings.accept(r.error() != null && !r.error().contains("no \"image\" field") ? r.error() + "; entry ignored"
                            : r.source() + ": names no image (each entry needs \"image\", \"file\" or \"file_name\"); entry ignored");
                    continue;
                }
                out.put(key.toString(), r.fields());
            }
        }
        return out;
    }
}
