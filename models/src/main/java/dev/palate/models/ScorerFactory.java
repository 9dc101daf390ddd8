package dev.palate.models;

import java.util.Comparator;
import java.util.List;
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
     * {@code xswu/HPSv2/HPS_v2_compressed.pt}). Roles without a default are listed by {@link #roles()}.
     */
    Map<String, String> defaultModels();

    /**
     * Every model role {@link #create} reads ({@code --model METRIC:ROLE=PATH}; role {@code model} is the plain
     * {@code --model METRIC=PATH}), with a default in {@link #defaultModels()} or without one (then it must be given,
     * or is optional), in the order {@code palate metrics} lists them. By default the roles of
     * {@link #defaultModels()}, {@code model} first, the others by name.
     */
    default List<String> roles() {
        return defaultModels().keySet().stream()
                .sorted(Comparator.comparing((String r) -> !r.equals(ScorerOptions.MODEL)).thenComparing(r -> r))
                .toList();
    }

    /**
     * The options this metric accepts ({@link ScorerOptions.Builder#set}, {@code --set METRIC:KEY=VALUE}), listed by
     * {@code palate metrics}; none by default. {@link #create} reads them with {@link MetricOption#value}.
     */
    default List<MetricOption> options() { return List.of(); }

    /**
     * Every declared option's value for {@code options}: the one set, else the default, in declaration order (what a
     * run records as the options it scored with).
     *
     * @throws IllegalArgumentException for an option this metric does not declare or a value it does not allow
     */
    default Map<String, String> settings(ScorerOptions options) {
        return MetricOption.resolve(name(), options(), options.settings());
    }

    /** Loads the weights and returns a ready scorer; the caller closes it. */
    Scorer create(ScorerOptions options);
}
