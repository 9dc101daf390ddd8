package dev.palate.cli.report;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.palate.cli.report.FidSection.GroupFid;
import dev.palate.engine.Device;
import dev.palate.models.fid.FeatureMatrix;
import dev.palate.models.fid.FeatureStatistics;
import dev.palate.models.fid.FidCalculator;
import dev.palate.models.fid.FidWeights;
import dev.palate.models.fid.FrechetDistance;
import dev.palate.models.fid.NpzStats;
import dev.palate.models.fid.RgbImage;
import dev.palate.models.inception.FidInceptionV3;

/**
 * FID of each checkpoint's images against a reference, with the code {@code palate fid} runs: the reference's
 * statistics once ({@link FidCalculator#features} of its sorted files, or the .npz), then per checkpoint the
 * features of its distinct image files in file order, {@link FeatureStatistics#of}, {@link FrechetDistance#compute}.
 */
public final class FidPerGroup {
    static final String IMAGE_FIELD = "image";

    private FidPerGroup() {
    }

    /** The image files of one checkpoint and the problems met while collecting them. */
    private record Collected(List<Path> files, int missing) {
    }

    public static FidSection compute(Report report, FidSettings settings, FidCalculator.Progress progress) {
        ScoreTable table = report.table();
        if (!table.hasField(IMAGE_FIELD))
            throw new IllegalArgumentException("--fid-reference: " + table.source() + " has no '" + IMAGE_FIELD + "' field;"
                    + " FID needs each row's image path, as 'palate score' writes it");
        Path root = settings.imageRoot() != null ? settings.imageRoot() : table.source().toAbsolutePath().getParent();
        List<String> errors = new ArrayList<>();
        Map<String, Collected> perEntrant = collect(report, root, errors);

        Path weightFile = FidWeights.locate(settings.weights(), FidWeights.INCEPTION_FILE, FidWeights.INCEPTION_URL);
        Device device = Device.parse(settings.device()).requireAvailable();
        FidCalculator.Options options = new FidCalculator.Options(settings.dims(), settings.mode(), settings.batchSize());
        List<GroupFid> groups = new ArrayList<>();
        int referenceImages;
        try (FidInceptionV3 net = FidWeights.inception(weightFile, device)) {
            FidCalculator calc = new FidCalculator(net, options, progress);
            FeatureStatistics reference;
            if (Files.isDirectory(settings.reference())) {
                FeatureMatrix f = calc.features(FidCalculator.listImages(settings.reference()), "reference");
                reference = FeatureStatistics.of(f);
                referenceImages = f.rows();
            } else {
                reference = NpzStats.read(settings.reference());
                referenceImages = -1;
                if (reference.dim() != settings.dims())
                    throw new IllegalArgumentException("--fid-reference " + settings.reference() + " holds " + reference.dim()
                            + "-d statistics but --fid-dims is " + settings.dims() + "; pass the matching --fid-dims");
            }
            for (String e : report.entrants())
                groups.add(group(calc, reference, settings.dims(), report.entrantField(), e, perEntrant.get(e), errors));
        }
        return new FidSection(settings.mode().label(), settings.dims(), settings.reference().toString(), referenceImages,
                weightFile.toString(), groups, errors);
    }

    /**
     * Distinct image files per entrant, first appearance first. A row counts when it has no error or still has a finite
     * score (a wide row whose other metric failed): the image was there to be scored.
     */
    private static Map<String, Collected> collect(Report report, Path root, List<String> errors) {
        Map<String, Set<Path>> found = new LinkedHashMap<>();
        Map<String, Set<String>> absent = new LinkedHashMap<>();
        for (String e : report.entrants()) {
            found.put(e, new LinkedHashSet<>());
            absent.put(e, new LinkedHashSet<>());
        }
        Path source = report.table().source();
        for (ScoreRow r : report.table().rows()) {
            if (!usable(r)) continue;
            String e = ReportBuilder.value(r, report.entrantField());
            String group = report.entrantField() + "=" + e;
            String image = r.field(IMAGE_FIELD);
            if (image == null || image.isBlank()) {
                if (absent.get(e).add("(line " + r.line() + ")"))
                    errors.add(source + " line " + r.line() + ": no image path; left out of " + group + "'s FID");
                continue;
            }
            Path p;
            try {
                p = root.resolve(image).normalize();
            } catch (InvalidPathException ex) {
                if (absent.get(e).add(image))
                    errors.add(source + " line " + r.line() + ": image '" + image + "' is not a valid path (" + ex.getReason()
                            + "); left out of " + group + "'s FID");
                continue;
            }
            if (found.get(e).contains(p) || absent.get(e).contains(p.toString())) continue;
            if (Files.isRegularFile(p)) {
                found.get(e).add(p);
            } else {
                absent.get(e).add(p.toString());
                errors.add(source + " line " + r.line() + ": image file " + p + " not found ('" + image + "' resolved against "
                        + root + "); left out of " + group + "'s FID. Pass --image-root DIR if the images live elsewhere");
            }
        }
        Map<String, Collected> out = new LinkedHashMap<>();
        for (String e : report.entrants()) out.put(e, new Collected(List.copyOf(found.get(e)), absent.get(e).size()));
        return out;
    }

    private static boolean usable(ScoreRow r) {
        if (!r.failed()) return true;
        for (Double v : r.scores().values()) if (v != null && Double.isFinite(v)) return true;
        return false;
    }

    private static GroupFid group(FidCalculator calc, FeatureStatistics reference, int dims, String field, String entrant,
                                  Collected c, List<String> errors) {
        String group = field + "=" + entrant;
        List<Path> files = new ArrayList<>(c.files());
        int unreadable = 0;
        FeatureMatrix features = null;
        while (files.size() >= 2 && features == null) {
            try {
                features = calc.features(files, group);
            } catch (RuntimeException batchFailure) {
                // Find the files that cannot be decoded, report them, and go on with the rest.
                List<Path> bad = new ArrayList<>();
                for (Path p : files) {
                    try {
                        RgbImage.read(p);
                    } catch (RuntimeException decodeFailure) {
                        bad.add(p);
                        errors.add("image file " + p + " cannot be read (" + decodeFailure.getMessage() + "); left out of "
                                + group + "'s FID");
                    }
                }
                if (bad.isEmpty()) throw batchFailure;
                files.removeAll(bad);
                unreadable += bad.size();
            }
        }
        int n = files.size();
        List<String> warnings = new ArrayList<>();
        if (features == null) {
            warnings.add(String.format(Locale.ROOT, "%s: FID needs at least 2 images, %d usable; no FID", group, n));
            return new GroupFid(entrant, n, c.missing(), unreadable, Double.NaN, false, warnings);
        }
        boolean fullRank = n > dims;
        if (!fullRank)
            warnings.add(String.format(Locale.ROOT, "%s: only %d images: the %d-d covariance has rank at most %d and needs"
                    + " at least %d images for full rank; this FID is biased upward and comparable only between groups of"
                    + " the same size", group, n, dims, n - 1, dims + 1));
        FrechetDistance.Result fr = FrechetDistance.compute(reference, FeatureStatistics.of(features));
        for (String w : fr.warnings()) warnings.add(group + ": " + w);
        return new GroupFid(entrant, n, c.missing(), unreadable, fr.value(), fullRank, warnings);
    }
}
