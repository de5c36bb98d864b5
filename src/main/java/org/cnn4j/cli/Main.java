package org.cnn4j.cli;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.NativeLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code cnn4j} command line: one sub-command per job. */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Convolutional neural networks for the JVM with native kernels.",
        subcommands = {
                InfoCommand.class,
                BenchCommand.class,
                DemoCommand.class,
                GoldenCommand.class,
                SelftestCommand.class,
                ConvolveCommand.class,
                ModelsCommand.class,
                TrainCommand.class,
                FinetuneCommand.class,
                FeaturesCommand.class,
                SimulateCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                ExplainCommand.class,
                FiltersCommand.class,
                ActivationsCommand.class,
                TopPatchesCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "Threads for native kernels (default: cnn4j.threads, CNN4J_THREADS, else all processors).")
    void threads(int n) {
        if (n <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be > 0, got " + n);
        }
        System.setProperty("cnn4j.threads", Integer.toString(n));
        if (NativeLibrary.isLoaded()) {
            NativeLibrary.useThreads(n);
        }
    }

    @Option(names = "--no-winograd", scope = ScopeType.INHERIT,
            description = "Keep automatic algorithm choice (AUTO, AUTOTUNE) off the Winograd algorithms: F(4x4,3x3)'s "
                    + "error is 8-45x that of direct float32 convolution (default: cnn4j.conv.winograd, else allowed).")
    void noWinograd(boolean off) {
        ConvAlgorithm.allowWinograd(!off);
    }

    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "native or reference (default: cnn4j.backend, CNN4J_BACKEND, else native when it loads).")
    void backend(String name) {
        Backends.use(Backends.byName(name), "--backend " + name);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, given) -> { // one line, not the whole usage text
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(cmd.getColorScheme().errorText(name + ": " + ex.getMessage()) + " (see " + name + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("cnn4j " + cmd.getCommandName() + ": " + ex.getMessage()));
            return 2;
        });
        return cli.execute(args);
    }
}
