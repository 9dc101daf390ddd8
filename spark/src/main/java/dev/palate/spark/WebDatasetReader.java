package dev.palate.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The samples of one WebDataset {@code .tar} shard, read as the iterator is pulled (a shard is never held whole).
 * Follows webdataset's tariterators.py: regular members only, {@code __...__} metadata members skipped; a member's
 * key is its path up to the first '.' of its file name and its extension the rest, lower-cased
 * ({@code base_plus_ext}); consecutive members with one key make a sample ({@code group_by_keys}; a repeated
 * extension keeps the first member). The image is the first member among {@link #IMAGE_EXTENSIONS}; the prompt is the
 * {@code .txt} member (UTF-8, as written), else the {@code .json} member's {@code caption}.
 *
 * <p>Bad data never throws: a sample without an image has a null image and a name saying so (the scorer reports it in
 * that row's error), and a shard that cannot be read further ends with one such row naming the problem.
 */
final class WebDatasetReader implements Iterator<WebDatasetReader.Sample>, AutoCloseable {
    /** Image members, in order of preference. */
    static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff");

    /**
     * @param key    webdataset's {@code __key__}
     * @param name   how errors name the sample: {@code SHARD:KEY.EXT}, or why it has no image
     * @param image  the encoded image member, or null
     * @param prompt the caption, or null
     */
    record Sample(String key, String name, byte[] image, String prompt) {}

    private final String shard;
    private final TarArchiveInputStream tar;
    private String pendingPath;      // the member read ahead, which starts the next sample
    private byte[] pendingData;
    private Sample next;
    private Sample failure;          // the row that reports an unreadable rest of the shard, after the sample before it
    private boolean done;

    /** @param shard the shard's file name, for the samples' names */
    WebDatasetReader(String shard, InputStream in) {
        this.shard = shard;
        this.tar = new TarArchiveInputStream(in);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) next = readSample();
        return next != null;
    }

    @Override
    public Sample next() {
        if (!hasNext()) throw new NoSuchElementException();
        Sample s = next;
        next = null;
        return s;
    }

    @Override
    public void close() {
        done = true;
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(shard + ": closing the shard failed", e);
        }
    }

    private Sample readSample() {
        if (failure != null) {
            Sample f = failure;
            failure = null;
            done = true;
            return f;
        }
        String key = null;
        Map<String, byte[]> members = new LinkedHashMap<>();
        try {
            while (true) {
                if (pendingPath == null && !readMember()) break;
                String[] kx = keyAndExtension(pendingPath);
                if (key != null && !kx[0].equals(key)) break; // the member starts the next sample
                key = kx[0];
                members.putIfAbsent(kx[1], pendingData);
                pendingPath = null;
                pendingData = null;
            }
        } catch (IOException | RuntimeException e) {
            close();
            done = false; // the sample read so far, then the failure
            String after = key == null ? "" : " after sample " + key;
            failure = new Sample(shard, shard + ": unreadable" + after + " (" + e.getMessage()
                    + "): the shard is truncated or not a tar file", null, null);
            return key == null ? readSample() : sample(key, members);
        }
        if (key == null) {
            close();
            return null;
        }
        return sample(key, members);
    }

    /** Reads the next regular, non-metadata member into pendingPath/pendingData; false at the end of the shard. */
    private boolean readMember() throws IOException {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) continue;
            String path = e.getName();
            String file = path.substring(path.lastIndexOf('/') + 1);
            if (!path.contains("/") && file.startsWith("__") && file.endsWith("__")) continue; // webdataset's meta members
            if (keyAndExtension(path) == null) continue;                                        // no extension: not part of a sample
            pendingPath = path;
            pendingData = tar.readAllBytes();
            return true;
        }
        return false;
    }

    /** webdataset's base_plus_ext: the key up to the first '.' of the file name, the rest lower-cased; null when none. */
    static String[] keyAndExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.indexOf('.', slash + 1);
        if (dot < 0 || dot == slash + 1) return null; // no '.', or a file name starting with one
        return new String[] {path.substring(0, dot), path.substring(dot + 1).toLowerCase()};
    }

    private Sample sample(String key, Map<String, byte[]> members) {
        String prompt = null;
        if (members.containsKey("txt")) prompt = new String(members.get("txt"), StandardCharsets.UTF_8);
        else if (members.containsKey("json")) prompt = caption(members.get("json"));
        for (String ext : IMAGE_EXTENSIONS)
            if (members.containsKey(ext)) return new Sample(key, shard + ":" + key + "." + ext, members.get(ext), prompt);
        return new Sample(key, shard + ":" + key + " (no image member among ." + String.join(", .", members.keySet())
                + "; expected one of ." + String.join(", .", IMAGE_EXTENSIONS) + ")", null, prompt);
    }

    /** The {@code caption} string of a JSON member, or null when it has none or is not JSON. */
    private static String caption(byte[] json) {
        try {
            JsonElement root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) return null;
            JsonElement c = root.getAsJsonObject().get("caption");
            return c != null && c.isJsonPrimitive() && c.getAsJsonPrimitive().isString() ? c.getAsString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
