package dev.palate.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Output format chosen by the file extension of {@code --output}. */
public enum ReportFormat {
    MARKDOWN, CSV, HTML;

    public static ReportFormat of(Path output) {
        String n = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".md") || n.endsWith(".markdown")) return MARKDOWN;
        if (n.endsWith(".csv")) return CSV;
        if (n.endsWith(".html") || n.endsWith(".htm")) return HTML;
        throw new IllegalArgumentException("--output " + output + ": unknown report format; use a .md, .csv or .html file name");
    }

    public String render(Report report) {
        return switch (this) {
            case MARKDOWN -> MarkdownReportWriter.render(report);
            case CSV -> CsvReportWriter.render(report);
            case HTML -> HtmlReportWriter.render(report);
        };
    }

    /** Renders and writes the report, creating parent folders. */
    public static void write(Report report, Path output) {
        String text = of(output).render(report);
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write report " + output + ": " + e.getMessage()
                    + "; check the folder exists and is writable", e);
        }
    }
}
