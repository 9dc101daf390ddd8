package dev.palate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code palate} command: one subcommand per job. Exit codes: 0 success (for {@code score}: every row scored),
 * 1 some rows failed ({@code score}, {@code tokenize}), 2 a fatal or usage error (nothing or only the rows before it
 * were written).
 */
@Command(name = "palate", mixinStandardHelpOptions = true, version = "palate 0.1.0",
        description = "Scores AI-generated images with reward and quality models, offline, on libtorch.",
        footer = {"", "Exit codes: 0 success; 1 some rows failed (score, tokenize); 2 fatal or usage error."},
        subcommands = {DoctorCommand.class, MetricsCommand.class, ScoreCommand.class, ReportCommand.class,
                TokenizeCommand.class, PreprocessCommand.class, FidCommand.class, ParseCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class PalateCli implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** No command: the usage on stderr, and exit 2 (a usage error), so a script that forgot the command notices. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Palate's error handling: a failure prints its message (which names the file) and exits 2. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PalateCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get the message that names the file and the problem; the stack trace only on request.
            cmd.getErr().println("palate: " + e.getMessage());
            if (Boolean.getBoolean("palate.debug")) e.printStackTrace(cmd.getErr());
            return 2;
        });
        return cli;
    }
}
