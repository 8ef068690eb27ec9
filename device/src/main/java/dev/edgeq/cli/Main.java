package dev.edgeq.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code edgeq} command. Errors print one line on stderr and exit non-zero; {@code --debug}
 * (anywhere on the command line) adds the stack trace. Exit codes, for every subcommand: 0 success,
 * 1 a runtime failure (unreadable model or data, broker or I/O trouble, images that failed), 2 a usage
 * error (bad flag or value, a missing file or folder, the wrong kind of file).
 */
@Command(name = "edgeq", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run int8 CNNs on camera frames with MQTT output; the full tool also converts, inspects and evaluates them.",
        subcommands = {
            ClassifyCommand.class,
            BenchCommand.class,
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
        CommandLine cli = withToolCommands(new CommandLine(new Main()));
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

    /** Adds the commands of the modules on the class path (none in the board jar), keeping help last. */
    static CommandLine withToolCommands(CommandLine cli) {
        boolean added = false;
        for (ToolCommands module : ServiceLoader.load(ToolCommands.class)) {
            for (Class<?> command : module.commands()) {
                cli.addSubcommand(command);
                added = true;
            }
        }
        if (added && cli.getSubcommands().containsKey("help")) {
            cli.getCommandSpec().removeSubcommand("help");
            cli.addSubcommand(new CommandLine.HelpCommand());
        }
        return cli;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            m = "no such file: " + f.getFile();
        } else if (e instanceof java.nio.file.AccessDeniedException f) {
            m = "permission denied: " + f.getFile();
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            m = f.getFile() + ": " + f.getReason();
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
