package io.streamloader.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What the host hands a {@link SinkFactory}: the sink's configured name and its raw settings.
 *
 * @param name the sink's name in the config file (for example {@code search}); used in logs and metrics
 * @param config the sink's own settings as dotted keys without the sink prefix (for example {@code urls}, {@code
 *     auth.username}), already interpolated; the sink parses them into one immutable, validated config record
 */
public record SinkContext(String name, Map<String, String> config) {

    public SinkContext {
        Objects.requireNonNull(name, "name");
        config = Map.copyOf(config);
    }

    /** The config key as the operator wrote it in the file, for error messages: {@code sinks.<name>.config.<key>}. */
    public String keyPath(String key) {
        return "sinks." + name + ".config." + key;
    }
}
