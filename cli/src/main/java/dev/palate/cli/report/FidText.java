package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.List;

import dev.palate.cli.report.FidSection.GroupFid;

/** FID wording shared by the Markdown, HTML and console writers. */
final class FidText {
    private FidText() {
    }

    /** "Mode legacy (pytorch-fid), 2048-d pool3 features; reference DIR (N images); weights FILE." */
    static String setup(FidSection f) {
        String mode = f.mode().equals("clean") ? "clean (clean-fid bicubic resize)" : f.mode() + " (pytorch-fid)";
        String ref = f.referenceImages() < 0 ? f.reference() + " (statistics)" : f.reference() + " (" + f.referenceImages() + " images)";
        return "Mode " + mode + ", " + features(f.dims()) + "; reference " + ref + "; weights " + f.weights() + ".";
    }

    /** "2048-d pool3 features" or "64-d Inception features (block 1)". */
    static String features(int dims) {
        return dims == 2048 ? "2048-d pool3 features" : dims + "-d Inception features (pytorch-fid --dims " + dims + ")";
    }

    static List<String> cells(GroupFid g, int dims) {
        return List.of(g.entrant(), Integer.toString(g.images()), Numbers.fixed(g.fid()), Integer.toString(g.missing()),
                Integer.toString(g.unreadable()), g.fullRank() ? "yes" : "no (n < " + (dims + 1) + ")");
    }

    static List<String> warnings(FidSection f) {
        List<String> w = new ArrayList<>();
        for (GroupFid g : f.groups()) w.addAll(g.warnings());
        return w;
    }
}
