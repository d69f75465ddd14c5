package io.streamloader.core.plugin;

import io.streamloader.spi.SinkFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One sink factory the registry found.
 *
 * @param type the factory's {@link SinkFactory#type()}
 * @param factory the factory, wrapped so that every call (and every call of the sinks it creates) runs with {@code
 *     classLoader} as thread context classloader
 * @param version the factory's {@link SinkFactory#version()}
 * @param location the plugin directory; for a factory found on a given classloader, the jar or classes directory
 *     holding the factory class
 * @param jars the jars of the plugin directory (or {@code location} alone for a classloader factory)
 * @param factorySource the jar or classes directory holding the factory class
 * @param classLoader the loader of the factory class
 */
public record LoadedPlugin(
        String type,
        SinkFactory<?> factory,
        String version,
        Path location,
        List<Path> jars,
        Path factorySource,
        ClassLoader classLoader) {

    public LoadedPlugin {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(location, "location");
        jars = List.copyOf(jars);
        Objects.requireNonNull(factorySource, "factorySource");
        Objects.requireNonNull(classLoader, "classLoader");
    }

    @Override
    public String toString() {
        return type + " " + version + " (" + factory + " from " + factorySource + ")";
    }
}
