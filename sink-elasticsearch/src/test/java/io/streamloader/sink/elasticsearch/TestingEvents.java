package io.streamloader.sink.elasticsearch;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** Events for unit tests. */
final class TestingEvents {
    private TestingEvents() {}

    static Event event(String id, String json) {
        return Event.builder()
                .id(id)
                .topic("clicks")
                .partition(0)
                .offset(0)
                .timestamp(Instant.parse("2025-03-23T10:00:00Z"))
                .value(json.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static List<Event> events(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> event("e-" + i, "{\"n\":" + i + "}"))
                .toList();
    }
}
