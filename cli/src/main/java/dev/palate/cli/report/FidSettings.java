package dev.palate.cli.report;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.palate.models.fid.InceptionInput;
import dev.palate.models.inception.FidInceptionV3;

/**
 * What {@code --fid-reference} and its companions ask for: FID of each checkpoint's images against a reference.
 *
 * @param reference a folder of reference images (sorted, not recursive, as {@code palate fid}) or a pytorch-fid
 *                  {@code .npz} with mu and sigma
 * @param imageRoot where relative {@code image} paths of the scores file resolve; null = the scores file's folder
 * @param mode      legacy (pytorch-fid) or clean (clean-fid resize)
 * @param weights   the Inception checkpoint; null = {@code FidWeights.locate}'s torch hub cache lookup
 * @param device    cpu, cuda or cuda:N
 * @param batchSize images per forward pass
 * @param dims      feature block as pytorch-fid's --dims: 2048 (pool3, the standard FID), 768, 192 or 64
 */
public record FidSettings(Path reference, Path imageRoot, InceptionInput.Mode mode, Path weights, String device, int batchSize,
                          int dims) {
    public FidSettings {
        if (!FidInceptionV3.BLOCK_INDEX_BY_DIM.containsKey(dims))
            throw new IllegalArgumentException("--fid-dims must be 64, 192, 768 or 2048, not " + dims);
        if (!Files.exists(reference))
            throw new IllegalArgumentException("--fid-reference " + reference + " does not exist; pass a folder of reference"
                    + " images or a pytorch-fid .npz (palate fid --reference DIR --save-stats ref.npz writes one)");
        if (!Files.isDirectory(reference) && !reference.getFileName().toString().endsWith(".npz"))
            throw new IllegalArgumentException("--fid-reference " + reference + " is neither a folder of images nor an .npz"
                    + " of statistics");
        if (imageRoot != null && !Files.isDirectory(imageRoot))
            throw new IllegalArgumentException("--image-root " + imageRoot + " is not a folder; pass the folder the scores"
                    + " file's image paths are relative to");
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + batchSize);
    }
}
