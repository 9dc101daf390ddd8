package dev.palate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

import dev.palate.models.MetricOption;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the metrics this build knows, with their scale, direction, what they take, model roles (and defaults) and options. */
@Command(name = "metrics", description = "List the available metrics, their model roles with default weights (--model METRIC:ROLE=PATH) and their options (--set METRIC:KEY=VALUE).")
final class MetricsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (ScorerFactory f : ScorerRegistry.factories()) {
            out.printf("%-14s %s%n", f.name(), f.metric().description());
            out.printf("%-14s %s; %s; %s%n", "", f.metric().direction().label(), f.metric().scale(),
                    f.metric().usesPrompt() ? "takes the image and the prompt" : "takes the image only");
            out.printf("%-14s model roles (--model %s:ROLE=PATH): %s%n", "", f.name(), roles(f));
            for (MetricOption o : f.options())
                out.printf("%-14s option --set %s:%s: %s%n", "", f.name(), o.synopsis(), o.description());
        }
        out.flush();
        return 0;
    }

    /** {@code head (no default), backbone = openai/clip-vit-large-patch14}: each role with its default, if any. */
    static String roles(ScorerFactory f) {
        Map<String, String> defaults = f.defaultModels();
        List<String> roles = new ArrayList<>(f.roles());
        for (String r : defaults.keySet()) if (!roles.contains(r)) roles.add(r); // a default the factory forgot to list
        if (roles.isEmpty()) return "none";
        StringJoiner out = new StringJoiner(", ");
        for (String r : roles) out.add(defaults.containsKey(r) ? r + " = " + defaults.get(r) : r + " (no default)");
        return out.toString();
    }
}
