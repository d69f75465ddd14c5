package io.streamloader.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.connect.EventWriter.Failure;
import io.streamloader.connect.EventWriter.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EventWriterTest {

    private static Event event(int offset, String value) {
        return Event.builder()
                .id("id-" + offset)
                .topic("t")
                .partition(0)
                .offset(offset)
                .timestamp(Instant.EPOCH)
                .value(value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static List<Event> batch(int n, int... poison) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int o = i;
            boolean bad = java.util.Arrays.stream(poison).anyMatch(p -> p == o);
            events.add(event(i, bad ? "poison" : "ok"));
        }
        return events;
    }

    /** A sink that stores what it is given, or reacts as {@code behaviour} says. */
    private static final class FakeSink implements Sink, SinkWriter {
        @Override
        public SinkWriter newWriter() {
            return this;
        }

        final List<Event> stored = new ArrayList<>();
        final Function<List<Event>, WriteResult> behaviour;
        boolean healthy = true;
        int calls;

        FakeSink(Function<List<Event>, WriteResult> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public WriteResult write(List<Event> batch) {
            calls++;
            WriteResult result = behaviour.apply(batch);
            List<Event> failed =
                    result.failures().stream().map(EventFailure::event).toList();
            batch.stream().filter(e -> !failed.contains(e)).forEach(stored::add);
            return result;
        }

        @Override
        public void checkHealth() throws Exception {
            if (!healthy) {
                throw new IllegalStateException("store down");
            }
        }

        @Override
        public void close() {}
    }

    private static WriteResult throwOnPoison(List<Event> batch) {
        if (batch.stream().anyMatch(e -> e.valueAsString().equals("poison"))) {
            throw new IllegalArgumentException("cannot convert");
        }
        return WriteResult.success();
    }

    @Test
    void aThrowingBatchIsNarrowedDownToTheEventsThatThrowAndTheRestIsStored() {
        FakeSink sink = new FakeSink(EventWriterTest::throwOnPoison);
        Outcome outcome = new EventWriter("s", sink, sink).write(batch(16, 3, 11));

        assertThat(outcome.permanent()).extracting(f -> f.event().offset()).containsExactly(3L, 11L);
        assertThat(outcome.permanent())
                .allSatisfy(f -> assertThat(f.errorClass()).isEqualTo(IllegalArgumentException.class.getName()))
                .allSatisfy(f -> assertThat(f.reason()).isEqualTo("cannot convert"));
        assertThat(outcome.retriable()).isEmpty();
        assertThat(outcome.storeDown()).isEmpty();
        assertThat(sink.stored).extracting(Event::offset).hasSize(14).doesNotContain(3L, 11L);
    }

    @Test
    void anUnhealthyStoreTurnsThrowingEventsIntoAnOutageWithNothingDeadLettered() {
        FakeSink sink = new FakeSink(EventWriterTest::throwOnPoison);
        sink.healthy = false;
        Outcome outcome = new EventWriter("s", sink, sink).write(batch(4, 2));

        assertThat(outcome.storeDown()).hasValueSatisfying(r -> assertThat(r).contains("store down"));
        assertThat(outcome.permanent()).isEmpty();
        assertThat(outcome.complete()).isFalse();
    }

    @Test
    void perEventFailuresAreSortedByKind() {
        FakeSink sink = new FakeSink(b -> WriteResult.failed(List.of(
                EventFailure.permanent(b.get(0), "mapping", "mapper_parsing_exception"),
                EventFailure.retriable(b.get(2), "429", "es_rejected_execution_exception"))));
        Outcome outcome = new EventWriter("s", sink, sink).write(batch(3));

        assertThat(outcome.permanent()).extracting(Failure::reason).containsExactly("mapping");
        assertThat(outcome.retriable()).extracting(Failure::reason).containsExactly("429");
        assertThat(outcome.complete()).isFalse();
        assertThat(sink.calls).isEqualTo(1);
    }

    @Test
    void aRetriableSinkExceptionIsAnOutage() {
        FakeSink sink = new FakeSink(b -> {
            throw new RetriableSinkException("connection refused");
        });
        assertThat(new EventWriter("s", sink, sink).write(batch(3)).storeDown()).contains("connection refused");
    }

    @Test
    void fatalFailuresAndJvmErrorsAreRethrown() {
        FakeSink fatal = new FakeSink(b -> {
            throw new FatalSinkException("authentication refused");
        });
        assertThatThrownBy(() -> new EventWriter("s", fatal, fatal).write(batch(3)))
                .isInstanceOf(FatalSinkException.class);
        FakeSink oom = new FakeSink(b -> {
            throw new OutOfMemoryError("heap");
        });
        assertThatThrownBy(() -> new EventWriter("s", oom, oom).write(batch(3))).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aStackOverflowIsAboutTheEvent() {
        FakeSink sink = new FakeSink(b -> {
            if (b.stream().anyMatch(e -> e.valueAsString().equals("poison"))) {
                throw new StackOverflowError();
            }
            return WriteResult.success();
        });
        Outcome outcome = new EventWriter("s", sink, sink).write(batch(5, 4));
        assertThat(outcome.permanent()).extracting(f -> f.event().offset()).containsExactly(4L);
        assertThat(outcome.permanent().getFirst().errorClass()).isEqualTo(StackOverflowError.class.getName());
    }
}
