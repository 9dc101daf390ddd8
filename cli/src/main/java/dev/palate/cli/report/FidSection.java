package dev.palate.cli.report;

import java.util.List;

/**
 * FID per checkpoint against one reference (lower is better); reported beside the ranking, never used by it.
 *
 * @param mode            legacy or clean
 * @param reference       the reference folder or .npz as given
 * @param referenceImages images in the reference folder; -1 when the reference is an .npz of statistics
 * @param weights         the Inception checkpoint used
 * @param groups          one per value of the compared field, in file order
 * @param errors          image files left out (missing, unreadable, no path), each naming the file and the row
 */
public record FidSection(String mode, int dims, String reference, int referenceImages, String weights,
                         List<GroupFid> groups, List<String> errors) {
    public FidSection {
        groups = List.copyOf(groups);
        errors = List.copyOf(errors);
    }

    /**
     * @param images     distinct image files the FID was computed from
     * @param missing    distinct image paths of usable rows that do not exist (or rows without a path)
     * @param unreadable image files that exist but could not be decoded
     * @param fid        NaN when fewer than 2 images were usable
     * @param fullRank   images &gt; dims, so the covariance can have full rank
     * @param warnings   low-rank covariance, singular product, dropped imaginary part
     */
    public record GroupFid(String entrant, int images, int missing, int unreadable, double fid, boolean fullRank,
                           List<String> warnings) {
        public GroupFid {
            warnings = List.copyOf(warnings);
        }
    }
}
