package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.ModelLocator;
import dev.palate.models.ScorerOptions;

/** Resolves a scorer's model roles: the location given in the options, else the metric's default id, then located offline. */
final class ModelRoles {
    private ModelRoles() {}

    /** The spec for {@code role}: given, else the default; null when neither exists. */
    static String spec(ScorerOptions o, Map<String, String> defaults, String role) {
        String s = o.model(role);
        return s != null ? s : defaults.get(role);
    }

    /**
     * The path for {@code role}, which must hold one of {@code expectedAnyOf} when it is a folder.
     *
     * @throws IllegalArgumentException when the role has neither a location nor a default
     */
    static Path locate(String metric, ScorerOptions o, Map<String, String> defaults, String role, List<String> expectedAnyOf) {
        String s = spec(o, defaults, role);
        if (s == null)
            throw new IllegalArgumentException(metric + " needs the '" + role + "' weights and has no default for them: pass "
                    + "--model " + metric + ":" + role + "=PATH (a file or folder" + (expectedAnyOf.isEmpty() ? "" : " holding one of " + expectedAnyOf) + ")");
        return ModelLocator.system().locate(s, expectedAnyOf);
    }
}
