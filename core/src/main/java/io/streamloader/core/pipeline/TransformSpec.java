package io.streamloader.core.pipeline;

import java.util.Map;
import java.util.Objects;

/**
 * One configured transform step as written: {@code sinks.<name>.transforms[i]}.
 *
 * @param keyPath where it is in the file, such as {@code sinks.fleet.transforms[1]}; problems are named under it
 * @param type the {@link io.streamloader.spi.TransformFactory#type()}
 * @param config the step's other keys, flattened to dotted keys
 */
public record TransformSpec(String keyPath, String type, Map<String, String> config) {
    public TransformSpec {
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(type, "type");
        config = Map.copyOf(config);
    }
}
