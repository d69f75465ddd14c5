package io.streamloader.launcher;

import ch.qos.logback.classic.Level;
import io.streamloader.generator.GenerateCommand;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code streamloader} command. */
@Command(
        name = "streamloader",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Events from HTTP clients through Apache Kafka into Elasticsearch, MongoDB, PostgreSQL + S3.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:A runner or service failed while running; the log says which and why.",
            "2:Invalid command line, config file or plugin; every problem was printed and nothing was started."
        },
        subcommands = {
            RunCommand.class,
            DevCommand.class,
            ConfigCommand.class,
            TopicsCommand.class,
            PluginsCommand.class,
            GenerateCommand.class,
            io.streamloader.launcher.console.DlqCommand.class,
            CompletionCommand.class
        })
public final class Main {
    /** Commands that run until stopped; they log at INFO by default, every other command at WARN. */
    private static final Set<String> SERVICES = Set.of("run", "dev");

    static final String LOG_LEVEL = "--log-level";
    static final String LOG_FORMAT = "--log-format";

    @Option(
            names = LOG_LEVEL,
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            converter = LevelConverter.class,
            completionCandidates = LevelNames.class,
            description = "trace, debug, info, warn, error or off (env STREAMLOADER_LOG_LEVEL). Default: info for run"
                    + " and dev, warn for commands that print a result. Logs always go to stderr.")
    Level logLevel;

    @Option(
            names = LOG_FORMAT,
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            completionCandidates = FormatNames.class,
            description = "text (default) or json, one object per line (env STREAMLOADER_LOG_FORMAT).")
    Logging.Format logFormat;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, without exiting (for tests). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(
                e -> e instanceof CommandLine.ParameterException ? ExitCodes.INVALID : ExitCodes.FAILURE);
        cli.setExecutionStrategy(Main::configureLoggingThenRun);
        return cli;
    }

    /** Sets up logging for the command about to run (before it logs anything), then runs it. */
    private static int configureLoggingThenRun(ParseResult parsed) {
        Level level = null;
        Logging.Format format = null;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) { // the option may follow any (sub)command
            level = p.matchedOptionValue(LOG_LEVEL, level);
            format = p.matchedOptionValue(LOG_FORMAT, format);
        }
        boolean service = parsed.hasSubcommand()
                && SERVICES.contains(parsed.subcommand().commandSpec().name());
        try {
            Logging.configure(
                    format != null ? format : Logging.chooseFormat(System.getenv()),
                    level != null ? level : Logging.chooseLevel(System.getenv(), service ? Level.INFO : Level.WARN),
                    System.err);
        } catch (IllegalArgumentException e) { // from the environment or a system property
            parsed.commandSpec()
                    .commandLine()
                    .getErr()
                    .println("streamloader: " + e.getMessage() + " (set by "
                            + Logging.LEVEL_ENV + ", " + Logging.FORMAT_ENV + " or -D" + Logging.LEVEL_PROPERTY + "/"
                            + Logging.FORMAT_PROPERTY + ")");
            return ExitCodes.INVALID;
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            return Logging.level(value);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Logging.Format> {
        @Override
        public Logging.Format convert(String value) {
            return Logging.format(value);
        }
    }

    /** For shell completion. */
    static final class LevelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("trace", "debug", "info", "warn", "error", "off")
                    .iterator();
        }
    }

    /** For shell completion. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("text", "json").iterator();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"streamloader " + (v == null ? "(development build)" : v)};
        }
    }
}
