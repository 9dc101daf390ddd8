package dev.palate.models;

import java.util.Map;

/**
 * Makes one metric's scorers. Implementations are listed in
 * {@code META-INF/services/dev.palate.models.ScorerFactory} and found by {@link ScorerRegistry}.
 */
public interface ScorerFactory {

    /** The registry name, e.g. {@code hpsv2.1}. */
    String name();

    /** Scale, direction and description of the scores (available without loading anything). */
    MetricInfo metric();

    /**
     * Role → default location used when the options name none for that role (Hugging Face or ModelScope ids, looked
     * up in the local caches only, with an optional file or sub-folder after the id, e.g.
     * {@code xswu/HPSv2/HPS_v2_compressed.pt}). Roles with no default must be given.
     */
    Map<String, String> defaultModels();

    /** Loads the weights and returns a ready scorer; the caller closes it. */
    Scorer create(ScorerOptions options);
}
