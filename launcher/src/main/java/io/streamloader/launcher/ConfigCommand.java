package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamloader config check FILE}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with config files.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Validates a config file, the plugins it names and every sink's settings without connecting anywhere.",
                "Prints every problem with its key path and exits 2, or prints the effective config (secrets masked)."
            })
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The streamloader.yaml to check.")
        Path file;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Startup startup = Startup.validate(file, System.getenv())) {
                startup.registry()
                        .problems()
                        .forEach(problem -> spec.commandLine()
                                .getErr()
                                .println("warning: plugin not loaded (no configured sink needs it): "
                                        + problem.describe()));
                spec.commandLine().getOut().println(file + " is valid.");
                spec.commandLine().getOut().println(startup.config().toString(startup.masker()));
                return ExitCodes.OK;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.INVALID;
            }
        }
    }
}
