package io.streamloader.sink.elasticsearch;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Events for unit tests. */
final class TestingEvents {
    private TestingEvents() {}

    static Event event(String id, String json) {
        return new Event(
                id,
                "clicks",
                0,
                0,
                Instant.parse("2025-03-23T10:00:00Z"),
                null,
                json.getBytes(StandardCharsets.UTF_8),
                Map.of(),
                null);
    }

    static List<Event> events(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> event("e-" + i, "{\"n\":" + i + "}"))
                .toList();
    }
}
