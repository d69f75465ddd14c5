package io.streamloader.core.plugin;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;

/** Turns what went wrong while loading a factory into a {@link PluginProblem} that says how to fix it. */
final class PluginFailures {

    static final String SERVICE_FILE = "META-INF/services/io.streamloader.spi.SinkFactory";

    private PluginFailures() {}

    static PluginProblem noServiceFile(Path location, List<Path> jars) {
        return new PluginProblem(
                location,
                jars,
                "no jar has " + SERVICE_FILE,
                "add " + SERVICE_FILE + " listing your factory class (its fully qualified name, one per line)",
                Optional.empty());
    }

    static PluginProblem noFactoryListed(Path location, List<Path> jars) {
        return new PluginProblem(
                location,
                jars,
                SERVICE_FILE + " lists no class",
                "list your factory class's fully qualified name in " + SERVICE_FILE,
                Optional.empty());
    }

    static PluginProblem of(Path location, List<Path> jars, Throwable failure) {
        List<Throwable> chain = chain(failure);
        String top = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        String message;
        String fix;
        Optional<Throwable> missing = find(chain, NoClassDefFoundError.class);
        if (missing.isPresent()) {
            String cls = missing.get().getMessage().replace('/', '.');
            message = "class " + cls + " is missing (" + top + ")";
            fix = "add the jar that contains " + cls + " to " + location
                    + " (a plugin bundles all its dependencies except the streamloader SPI and SLF4J)";
        } else if (failure instanceof ServiceConfigurationError && top.endsWith(" not found")) {
            message = top;
            fix = "correct the class name in " + SERVICE_FILE + " or add the jar that contains the class";
        } else if (top.contains("not a subtype")) {
            message = top;
            fix = "make the listed class implement io.streamloader.spi.SinkFactory";
        } else if (find(chain, NoSuchMethodException.class).isPresent()
                || find(chain, IllegalAccessException.class).isPresent()) {
            message = top;
            fix = "make the factory class public and give it a public no-argument constructor";
        } else if (top.contains("could not be instantiated")
                || find(chain, InvocationTargetException.class).isPresent()
                || find(chain, ExceptionInInitializerError.class).isPresent()) {
            Throwable thrown = chain.getLast();
            message = top + ": its constructor or static initializer threw " + thrown;
            fix = "keep factory constructors trivial (no I/O, nothing that can fail); open connections in open()";
        } else {
            message = top + " (" + chain.getLast() + ")";
            fix = "check that the plugin was built against this streamloader's SPI and bundles its dependencies";
        }
        return new PluginProblem(location, jars, message, fix, Optional.of(failure));
    }

    private static List<Throwable> chain(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    private static Optional<Throwable> find(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().filter(type::isInstance).findFirst();
    }
}
