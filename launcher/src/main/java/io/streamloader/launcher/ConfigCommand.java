package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamloader config check FILE}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with config files.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Schema.class})
final class ConfigCommand {
    /** The JSON Schema of streamloader.yaml, also shipped as schema/streamloader.schema.json in the distribution. */
    static final String SCHEMA_RESOURCE = "streamloader.schema.json";

    @Command(
            name = "schema",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the JSON Schema (draft 2020-12) of streamloader.yaml, for editors: put",
                "# yaml-language-server: $schema=<path or URL of the schema> on the file's first line."
            })
    static final class Schema implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            spec.commandLine().getOut().print(schema());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    static String schema() throws IOException {
        try (InputStream in = ConfigCommand.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

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

        @Mixin
        EnvironmentOptions environment;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Startup startup = Startup.validate(file, environment.environment())) {
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
