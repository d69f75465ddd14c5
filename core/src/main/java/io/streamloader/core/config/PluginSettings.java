package io.streamloader.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where sink plugins are: section {@code plugins:}.
 *
 * <pre>
 * plugins:
 *   dir: plugins    # one sub-directory per plugin, holding its jars; relative to the working directory
 * </pre>
 *
 * @param dir the plugins directory
 */
public record PluginSettings(Path dir) {

    public static final PluginSettings DEFAULT = new PluginSettings(Path.of("plugins"));

    public PluginSettings {
        Objects.requireNonNull(dir, "dir");
    }

    /** Binds section {@code plugins:}; problems go to the node's problems. */
    public static PluginSettings from(ConfigNode node) {
        return new PluginSettings(node.path("dir", DEFAULT.dir()));
    }
}
