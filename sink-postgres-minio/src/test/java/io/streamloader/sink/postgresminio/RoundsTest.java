package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
    private static PreparedEvent event(String id, long offset) {
        Event e = Event.builder()
                .id(id)
                .topic("t")
                .partition(0)
                .offset(offset)
                .timestamp(Instant.EPOCH)
                .value("{}".getBytes(StandardCharsets.UTF_8))
                .contentType("application/json")
                .build();
        return new PreparedEvent(e, "{}", List.of());
    }

    private static List<List<Long>> offsets(List<PreparedEvent> events) {
        return PostgresMinioWriter.rounds(events).stream()
                .map(r -> r.stream().map(p -> p.event().offset()).toList())
                .toList();
    }

    @Test
    void distinctIdsAreOneRoundInBatchOrder() {
        assertThat(offsets(List.of(event("a", 0), event("b", 1), event("c", 2))))
                .containsExactly(List.of(0L, 1L, 2L));
        assertThat(offsets(List.of())).isEmpty();
    }

    @Test
    void everyCopyOfAnIdIsKeptAndWrittenAfterTheEarlierOne() {
        var events = List.of(event("a", 0), event("b", 1), event("a", 2), event("a", 3), event("c", 4), event("b", 5));
        assertThat(offsets(events)).containsExactly(List.of(0L, 1L, 4L), List.of(2L, 5L), List.of(3L));
    }
}
