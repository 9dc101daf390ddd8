package dev.palate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.palate.models.MetricOption;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the metrics this build knows, with their scale, direction, default weights and options. */
@Command(name = "metrics", description = "List the available metrics, their default weights and their options (--set METRIC:KEY=VALUE).")
final class MetricsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (ScorerFactory f : ScorerRegistry.factories()) {
            out.printf("%-14s %s%n", f.name(), f.metric().description());
            out.printf("%-14s %s; %s; %s%n", "", f.metric().direction().label(), f.metric().scale(),
                    f.metric().usesPrompt() ? "uses the prompt" : "image only");
            if (!f.defaultModels().isEmpty()) out.printf("%-14s default weights: %s%n", "", f.defaultModels());
            for (MetricOption o : f.options())
                out.printf("%-14s option --set %s:%s: %s%n", "", f.name(), o.synopsis(), o.description());
        }
        out.flush();
        return 0;
    }
}
