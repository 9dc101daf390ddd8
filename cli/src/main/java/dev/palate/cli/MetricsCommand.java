package dev.palate.cli;

import java.util.concurrent.Callable;

import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerRegistry;
import picocli.CommandLine.Command;

/** Lists the metrics this build knows, with their scale, direction and default weights. */
@Command(name = "metrics", description = "List the available metrics.")
final class MetricsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (ScorerFactory f : ScorerRegistry.factories()) {
            System.out.printf("%-14s %s%n", f.name(), f.metric().description());
            System.out.printf("%-14s %s; %s; %s%n", "", f.metric().direction().label(), f.metric().scale(),
                    f.metric().usesPrompt() ? "uses the prompt" : "image only");
            if (!f.defaultModels().isEmpty()) System.out.printf("%-14s default weights: %s%n", "", f.defaultModels());
        }
        return 0;
    }
}
