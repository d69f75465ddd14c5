package io.streamloader.core.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin, or one factory of it, that could not be loaded. Problems are per plugin: the other plugins load
 * regardless, and the caller decides whether a problem is fatal.
 *
 * @param location the plugin directory (or classpath entry) at fault
 * @param jars its jars
 * @param message what went wrong, naming the class where one is known
 * @param fix what the plugin's author or the operator should do
 * @param cause the exception behind it, if any, for the log
 */
public record PluginProblem(Path location, List<Path> jars, String message, String fix, Optional<Throwable> cause) {

    public PluginProblem {
        Objects.requireNonNull(location, "location");
        jars = List.copyOf(jars);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        Objects.requireNonNull(cause, "cause");
    }

    /** One line for operators: where, what, and the fix. */
    public String describe() {
        return "plugin " + location + " "
                + jars.stream().map(j -> j.getFileName().toString()).toList() + ": " + message + ". Fix: " + fix;
    }

    @Override
    public String toString() {
        return describe();
    }
}
