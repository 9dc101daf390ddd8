package dev.palate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code palate} command: one subcommand per job. */
@Command(name = "palate", mixinStandardHelpOptions = true, version = "palate 0.1.0",
        description = "Scores AI-generated images with reward and quality models, offline, on libtorch.",
        subcommands = {DoctorCommand.class, MetricsCommand.class, ScoreCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class PalateCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PalateCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get the message that names the file and the problem; the stack trace only on request.
            cmd.getErr().println("palate: " + e.getMessage());
            if (Boolean.getBoolean("palate.debug")) e.printStackTrace(cmd.getErr());
            return 2;
        });
        System.exit(cli.execute(args));
    }
}
