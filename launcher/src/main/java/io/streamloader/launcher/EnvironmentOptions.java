package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --env-file}, for the commands that read a config file: where its {@code ${VAR}} values come from. */
final class EnvironmentOptions {
    /** Read when present and no {@code --env-file} is given, as docker compose does. */
    static final Path DEFAULT_FILE = Path.of(".env");

    @Option(
            names = "--env-file",
            paramLabel = "FILE",
            description = {
                "Variables for ${VAR} in the config file, one NAME=value a line (default: .env in the working",
                "directory when present). A variable set and non-empty in the environment wins over the file."
            })
    Path envFile;

    /**
     * The process environment over the env file's variables.
     *
     * @throws ConfigException when the env file is missing (if named) or malformed, naming the file and line
     */
    Map<String, String> environment() {
        return environment(envFile, DEFAULT_FILE, System.getenv());
    }

    static Map<String, String> environment(Path envFile, Path defaultFile, Map<String, String> env) {
        if (envFile != null) {
            return EnvFile.environment(envFile, env);
        }
        return Files.isRegularFile(defaultFile) ? EnvFile.environment(defaultFile, env) : env;
    }
}
