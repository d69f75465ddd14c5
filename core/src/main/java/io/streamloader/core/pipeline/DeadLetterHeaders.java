package io.streamloader.core.pipeline;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which error headers a dead letter carries besides the original key, value and headers ({@code
 * sinks.<name>.dead-letter.headers}).
 */
public enum DeadLetterHeaders {
    /** {@code sl.error.*} and {@code sl.source.*} only: what streamloader's own tools read. */
    STREAMLOADER("streamloader"),
    /** Kafka Connect's {@code __connect.errors.*} only, as Connect's dead-letter reporter writes them. */
    CONNECT("connect"),
    /** Both families (the default): streamloader's tools and Connect's read the same letters. */
    BOTH("both");

    private final String configName;

    DeadLetterHeaders(String configName) {
        this.configName = configName;
    }

    /** The value as written in the config file. */
    public String configName() {
        return configName;
    }

    /** The constant whose {@link #configName()} is {@code value}, if any. */
    public static Optional<DeadLetterHeaders> of(String value) {
        return Arrays.stream(values()).filter(h -> h.configName.equals(value)).findFirst();
    }

    boolean streamloader() {
        return this != CONNECT;
    }

    boolean connect() {
        return this != STREAMLOADER;
    }
}
