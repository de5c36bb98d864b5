package org.cnn4j.cli;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.backend.cpu.NativeThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code cnn4j} command line: one sub-command per job. */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Convolutional neural networks for the JVM with native kernels.",
        subcommands = {
                InfoCommand.class,
                BenchCommand.class,
                CalibrateCommand.class,
                DemoCommand.class,
                GoldenCommand.class,
                SelftestCommand.class,
                ConvolveCommand.class,
                ModelsCommand.class,
                TrainCommand.class,
                FinetuneCommand.class,
                FeaturesCommand.class,
                SimulateCommand.class,
                QuantizeCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                ExplainCommand.class,
                FiltersCommand.class,
                ActivationsCommand.class,
                TopPatchesCommand.class,
                ReportCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "Threads for native kernels, 1 to " + NativeThreads.MAX
                    + " (default: cnn4j.threads, CNN4J_THREADS, else all processors).")
    void threads(long n) {
        usage("", () -> {
            // set before NativeLibrary reads its settings, so that --threads wins over CNN4J_THREADS
            System.setProperty("cnn4j.threads", Integer.toString(NativeThreads.check("--threads", n)));
            if (NativeLibrary.isLoaded()) {
                NativeLibrary.useThreads((int) n);
            }
        });
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
        usage("--backend: ", () -> Backends.use(Backends.byName(name), "--backend " + name));
    }

    /** Runs an option's setter, turning its complaint into a usage error (picocli would show reflection text). */
    private void usage(String prefix, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), prefix + e.getMessage());
        }
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
            cmd.getErr().println(cmd.getColorScheme().errorText("cnn4j " + cmd.getCommandName() + ": " + ErrorText.of(ex)));
            return 2;
        });
        cli.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) { // a last resort: sizes are checked before allocating, so this is a missed check
                CommandLine.ParseResult last = parseResult;
                while (last.hasSubcommand()) {
                    last = last.subcommand();
                }
                cli.getErr().println(cli.getColorScheme().errorText("cnn4j " + last.commandSpec().name() + ": out of memory ("
                        + e.getMessage() + ") with a Java heap of " + Runtime.getRuntime().maxMemory() / 1_000_000 + " MB (-Xmx)"));
                return 1;
            }
        });
        return cli.execute(args);
    }
}
