package dev.palate.models.fid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * FID reference statistics in pytorch-fid's {@code --save-stats} layout: an {@code .npz} (zip) holding {@code mu.npy}
 * [d] and {@code sigma.npy} [d, d] ({@code np.savez_compressed(path, mu=mu, sigma=sigma)}). Reads files written by
 * numpy, compressed or not; writes deflated entries as {@code savez_compressed} does.
 */
public final class NpzStats {
    private NpzStats() {}

    public static FeatureStatistics read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            NpyArray mu = entry(zip, file, "mu"), sigma = entry(zip, file, "sigma");
            if (mu.shape().length != 1)
                throw new IllegalArgumentException(file + ": 'mu' has shape " + java.util.Arrays.toString(mu.shape()) + ", expected [d]");
            int d = (int) mu.shape()[0];
            if (sigma.shape().length != 2 || sigma.shape()[0] != d || sigma.shape()[1] != d)
                throw new IllegalArgumentException(file + ": 'sigma' has shape " + java.util.Arrays.toString(sigma.shape())
                        + ", expected [" + d + ", " + d + "] to match 'mu'");
            return new FeatureStatistics(mu.data(), sigma.data(), d);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + " is not an .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read FID statistics " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, FeatureStatistics stats) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.setMethod(ZipOutputStream.DEFLATED);
                put(zip, "mu.npy", new NpyArray(stats.mu(), new long[]{stats.dim()}));
                put(zip, "sigma.npy", new NpyArray(stats.sigma(), new long[]{stats.dim(), stats.dim()}));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write FID statistics to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void put(ZipOutputStream zip, String name, NpyArray a) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(a.toBytes());
        zip.closeEntry();
    }

    private static NpyArray entry(ZipFile zip, Path file, String key) throws IOException {
        ZipEntry e = zip.getEntry(key + ".npy");
        if (e == null)
            throw new IllegalArgumentException(file + " has no '" + key + "' array: FID statistics need 'mu' and 'sigma'"
                    + " (pytorch-fid --save-stats layout)");
        try (InputStream in = zip.getInputStream(e)) {
            return NpyArray.parse(in.readAllBytes(), file + ":" + key + ".npy");
        }
    }
}
