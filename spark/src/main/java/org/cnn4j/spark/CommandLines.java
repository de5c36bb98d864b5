package org.cnn4j.spark;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Runs this module's picocli main classes as the core's CLI runs its commands: a bad option is one line naming it. */
final class CommandLines {
    private CommandLines() {
    }

    /** Runs {@code command} on {@code args} and returns the exit code: 0, 2 for bad options, 1 for a failed run. */
    static int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((ex, given) -> {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(name + ": " + ex.getMessage() + " (see " + name + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + ex);
            return 1;
        });
        return cli.execute(args);
    }

    /** A usage error naming {@code option} and the value given, for range checks picocli cannot make. */
    static ParameterException bad(CommandLine cli, String option, Object value, String expected) {
        return new ParameterException(cli, "option '" + option + "': " + expected + ", got " + value);
    }
}
