package io.streamloader.core.transform;

import io.streamloader.core.pipeline.TransformChain;
import io.streamloader.core.pipeline.TransformSpec;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Events and built-in transforms for the transform tests. */
final class TestingEvents {
    static final Instant TIME = Instant.parse("2026-03-23T10:15:30.250Z");

    private TestingEvents() {}

    static Event json(String value) {
        return event(value.getBytes(StandardCharsets.UTF_8), Map.of(), null);
    }

    static Event event(byte[] value, Map<String, String> headers, String contentType) {
        return Event.builder()
                .id("id-1")
                .topic("orders")
                .partition(2)
                .offset(42)
                .timestamp(TIME)
                .key("k1".getBytes(StandardCharsets.UTF_8))
                .value(value)
                .headers(headers)
                .contentType(contentType)
                .build();
    }

    /** A built-in transform of {@code type} with {@code config}. */
    static Transform transform(String type, Map<String, String> config) {
        return BuiltinTransforms.find(type).orElseThrow().create(config);
    }

    /** The problems creating it gives, with their full key paths. */
    static java.util.List<String> problems(String type, Map<String, String> config) {
        try {
            TransformChain.of(java.util.List.of(new TransformSpec("sinks.s.transforms[1]", type, config)))
                    .resolve(BuiltinTransforms::find);
            return java.util.List.of();
        } catch (TransformConfigException e) {
            return e.problems();
        }
    }
}
