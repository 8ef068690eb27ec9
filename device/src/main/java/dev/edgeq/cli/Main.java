package dev.edgeq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code edgeq} command. Errors print one line on stderr and exit non-zero; {@code --debug}
 * (anywhere on the command line) adds the stack trace.
 */
@Command(name = "edgeq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convert CNNs to int8, inspect and evaluate them, and run them on camera frames with MQTT output.",
        subcommands = {
            ConvertCommand.class,
            InspectCommand.class,
            EvalCommand.class,
            ClassifyCommand.class,
            BenchCommand.class,
            ExportCommand.class,
            RunCommand.class,
            CaptureCommand.class,
            KeygenCommand.class,
            SignCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Option(names = "--debug", description = "Show stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (debug) {
                e.printStackTrace(System.err);
            } else {
                System.err.println("edgeq: error: " + message(e));
            }
            return e instanceof UsageError ? 2 : 1;
        });
        return cli.execute(args);
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        if (e instanceof OutOfMemoryError) {
            m = "out of memory (" + m + "); give the JVM more with JAVA_OPTS=-Xmx...";
        }
        return m;
    }

    /** A user mistake on the command line or in a config file (exit code 2). */
    public static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"edgeq " + (v == null ? "(development build)" : v)
                    + ", model format " + dev.edgeq.runtime.ModelFormat.MAJOR + "." + dev.edgeq.runtime.ModelFormat.MINOR
                    + ", Java " + System.getProperty("java.version") + " on " + System.getProperty("os.arch")};
        }
    }
}
