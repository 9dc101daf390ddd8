package dev.palate.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import dev.palate.models.ImageInput;

/**
 * One row's image cell as a task read it: encoded bytes (a binary column, as Spark's {@code binaryFile} source,
 * img2dataset's Parquet and WebDataset give them) or a location (a string column). {@link #open} makes the
 * {@link ImageInput} and is meant for the prefetch thread, since for a location it reads the file.
 *
 * <p>Locations: a local path or a {@code file:} URI is decoded from the file; any other URI ({@code hdfs://},
 * {@code s3a://}, ...) is read through Hadoop's {@code FileSystem} with the executor's Hadoop configuration
 * ({@code core-site.xml} on its class path).
 *
 * @param name     how errors name the image (the row's key or path)
 * @param bytes    the encoded image, or null
 * @param location the path or URI, or null
 */
record ImageRef(String name, byte[] bytes, String location) {
    /** A URI scheme of two letters or more (one letter would be a Windows drive). */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

    /** The image of a cell: {@code byte[]} or a {@code String}; null gives a reference whose {@link #open} fails. */
    static ImageRef of(Object cell, String name) {
        if (cell instanceof byte[] b) return new ImageRef(name, b, null);
        if (cell instanceof String s) return new ImageRef(name, null, s);
        return new ImageRef(name, null, null);
    }

    /**
     * The image to decode.
     *
     * @throws IllegalArgumentException naming the image when the cell was null or the file cannot be read
     */
    ImageInput open() {
        if (bytes != null) return ImageInput.of(bytes, name);
        if (location == null) throw new IllegalArgumentException(name + ": no image (the image cell is null)");
        if (location.isBlank()) throw new IllegalArgumentException(name + ": no image (the image path is empty)");
        if (!SCHEME.matcher(location).lookingAt()) return ImageInput.of(Path.of(location));
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location); // Hadoop's paths are not %-encoded, as binaryFile's path column
        URI uri = p.toUri();
        if ("file".equals(uri.getScheme())) return ImageInput.of(Path.of(uri.getPath()));
        return ImageInput.of(readThroughHadoop(p), location);
    }

    private static byte[] readThroughHadoop(org.apache.hadoop.fs.Path p) {
        try {
            FileSystem fs = p.getFileSystem(new Configuration());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read the image through Hadoop's FileSystem: " + e.getMessage(), e);
        }
    }
}
