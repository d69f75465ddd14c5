package io.streamloader.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What the host hands a {@link SinkFactory}: the sink's configured name, its raw settings and how many workers will
 * write through the sink it opens.
 *
 * @param name the sink's name in the config file (for example {@code search}); used in logs and metrics
 * @param config the sink's own settings as dotted keys without the sink prefix (for example {@code urls}, {@code
 *     auth.username}), already interpolated; the sink parses them into one immutable, validated config record
 * @param workers the runner's {@code workers}: how many {@link SinkWriter}s will share the sink, one per worker
 *     thread; for sizing shared pools (connections, upload threads) so each writer gets what one writer alone would
 */
public record SinkContext(String name, Map<String, String> config, int workers) {

    public SinkContext {
        Objects.requireNonNull(name, "name");
        config = Map.copyOf(config);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
    }

    /** A context for a runner of one worker, as {@code config check} and tests use. */
    public SinkContext(String name, Map<String, String> config) {
        this(name, config, 1);
    }

    /** The config key as the operator wrote it in the file, for error messages: {@code sinks.<name>.config.<key>}. */
    public String keyPath(String key) {
        return "sinks." + name + ".config." + key;
    }
}
