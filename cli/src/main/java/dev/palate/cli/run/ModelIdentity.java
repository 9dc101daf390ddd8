package dev.palate.cli.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which weights a path holds, cheaply: total size, file count, and a SHA-256 over each file's relative path, size,
 * first and last 64 KiB (not the whole file: a 5 GB checkpoint would take seconds), plus the Hugging Face snapshot
 * revision when the path is inside {@code snapshots/REV/}. Two different checkpoints of the same size and layout
 * differ in their first and last bytes in practice (headers, the last tensors).
 *
 * @param bytes  total size of the file(s)
 * @param files  number of files (1 for a file)
 * @param sample hex SHA-256 of the sampled bytes
 * @param snapshot the snapshot revision, or null
 */
public record ModelIdentity(long bytes, int files, String sample, String snapshot) {
    private static final int SAMPLE = 64 * 1024;
    private static final int MAX_FILES = 2000;

    public static ModelIdentity of(Path path) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            if (Files.isRegularFile(path)) {
                files = List.of(path);
            } else {
                try (Stream<Path> walk = Files.walk(path, 4, FileVisitOption.FOLLOW_LINKS)) {
                    files = walk.filter(Files::isRegularFile).sorted().limit(MAX_FILES).toList();
                }
            }
            long total = 0;
            for (Path f : files) {
                long size = Files.size(f);
                total += size;
                sha.update((Files.isRegularFile(path) ? f.getFileName().toString() : path.relativize(f).toString()).getBytes(StandardCharsets.UTF_8));
                sha.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
                try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
                    byte[] buf = new byte[(int) Math.min(SAMPLE, size)];
                    r.readFully(buf);
                    sha.update(buf);
                    if (size > SAMPLE) {
                        r.seek(Math.max(SAMPLE, size - SAMPLE));
                        byte[] tail = new byte[(int) (size - Math.max(SAMPLE, size - SAMPLE))];
                        r.readFully(tail);
                        sha.update(tail);
                    }
                }
            }
            return new ModelIdentity(total, files.size(), HexFormat.of().formatHex(sha.digest()), snapshot(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the weights at " + path + " (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String snapshot(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (int i = 0; i + 1 < p.getNameCount(); i++)
            if (p.getName(i).toString().equals("snapshots") && i > 0 && p.getName(i - 1).toString().startsWith("models--"))
                return p.getName(i + 1).toString();
        return null;
    }
}
