package io.streamloader.launcher;

import io.streamloader.generator.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            io.streamloader.launcher.console.DlqCommand.class
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, without exiting (for tests). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> ExitCodes.FAILURE);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"streamloader " + (v == null ? "(development build)" : v)};
        }
    }
}
