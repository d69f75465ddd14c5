package io.streamloader.connect;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The adapter's own connector settings, parsed from the raw connector config. Everything under {@value
 * #SINK_CONFIG_PREFIX} is the sink's own settings, handed to its {@code SinkFactory} without the prefix (as {@code
 * sinks.<name>.config.*} is in {@code streamloader.yaml}); every other key belongs to Connect.
 *
 * @param connectorName the connector's {@code name}; the sink's name in its logs and error messages
 * @param sinkType the {@code SinkFactory.type()} to run
 * @param pluginsDir a streamloader plugins directory (one sub-directory per sink plugin, each loaded in its own
 *     classloader as {@code streamloader run} does); empty to find the sink on the connector plugin's own classpath
 * @param sinkConfig the sink's settings, keys without the prefix
 */
record ConnectorSettings(
        String connectorName, String sinkType, Optional<Path> pluginsDir, Map<String, String> sinkConfig) {

    static final String SINK_TYPE = "streamloader.sink.type";
    static final String PLUGINS_DIR = "streamloader.plugins.dir";
    static final String SINK_CONFIG_PREFIX = "streamloader.sink.config.";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    SINK_TYPE,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "The streamloader sink type to run, as in `sinks.<name>.type` (for example `mongo`).")
            .define(
                    PLUGINS_DIR,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "A streamloader plugins directory (for example the distribution's `plugins/`): each sub-directory"
                            + " is a sink plugin loaded in its own classloader. Empty: the sink's jars lie in this"
                            + " connector's plugin directory.");

    ConnectorSettings {
        Objects.requireNonNull(connectorName, "connectorName");
        Objects.requireNonNull(sinkType, "sinkType");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        sinkConfig = Map.copyOf(sinkConfig);
    }

    /**
     * @throws ConfigException naming the key when {@value #SINK_TYPE} is missing or blank
     */
    static ConnectorSettings parse(Map<String, String> props) {
        String type = props.getOrDefault(SINK_TYPE, "").trim();
        if (type.isEmpty()) {
            throw new ConfigException(SINK_TYPE, props.get(SINK_TYPE), "names no sink type; set it, e.g. to mongo");
        }
        String dir = props.getOrDefault(PLUGINS_DIR, "").trim();
        return new ConnectorSettings(
                props.getOrDefault("name", "connect"),
                type,
                dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
                sinkConfig(props));
    }

    /** The sink's own settings: every key under {@value #SINK_CONFIG_PREFIX}, without it. */
    static Map<String, String> sinkConfig(Map<String, String> props) {
        Map<String, String> config = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(SINK_CONFIG_PREFIX) && key.length() > SINK_CONFIG_PREFIX.length()) {
                config.put(key.substring(SINK_CONFIG_PREFIX.length()), value == null ? "" : value);
            }
        });
        return config;
    }
}
