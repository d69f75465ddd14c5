package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One pass over the events to write: the sink call, its narrowing down, and each event's outcome. */
class WritePassTest {
    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "docs");
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile String unhealthy;

    private final Sink sink = new Sink() {
        @Override
        public SinkWriter newWriter() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkHealth() {
            healthChecks.incrementAndGet();
            if (unhealthy != null) {
                throw new IllegalStateException(unhealthy);
            }
        }
    };

    private WritePass pass(Function<List<Event>, WriteResult> write) {
        SinkWriter writer = batch -> {
            calls.incrementAndGet();
            return write.apply(batch);
        };
        return new WritePass("docs", writer, sink, metrics);
    }

    private static List<Event> events(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] value = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            events.add(EventMapper.toEvent(new ConsumerRecord<>("orders", 0, i, null, ByteBuffer.wrap(value))));
        }
        return events;
    }

    private static WriteResult throwingOn(List<Event> batch, long offset) {
        if (batch.stream().anyMatch(e -> e.offset() == offset)) {
            throw new IllegalArgumentException("cannot map event " + offset);
        }
        return WriteResult.success();
    }

    @Test
    void aBatchStoredWholeCostsOneCallAndNoHealthCheck() {
        WritePass.Round round = pass(batch -> WriteResult.success()).write(events(8));

        assertThat(round.stored).isEqualTo(8);
        assertThat(round.failed).isEmpty();
        assertThat(round.suspects).isEmpty();
        assertThat(calls).hasValue(1);
        assertThat(healthChecks).hasValue(0);
        assertThat(metrics.written.count()).isEqualTo(8);
    }

    @Test
    void anEventThatThrowsOnItsOwnIsNarrowedDownToAndTheRestIsStored() {
        WritePass.Round round = pass(batch -> throwingOn(batch, 5)).write(events(8));

        assertThat(round.suspects).singleElement().satisfies(s -> {
            assertThat(s.event().offset()).isEqualTo(5);
            assertThat(s.thrown()).hasMessage("cannot map event 5");
        });
        assertThat(round.failed).isEmpty();
        assertThat(round.stored).isEqualTo(7);
        assertThat(calls.get()).as("halves, not one call per event").isLessThan(8);
        assertThat(healthChecks)
                .as("the store was asked before blaming the event")
                .hasValue(1);
    }

    @Test
    void aThrowingEventIsNotBlamedWhileTheStoreIsUnhealthy() {
        unhealthy = "connection refused";

        WritePass.Round round = pass(batch -> throwingOn(batch, 2)).write(events(4));

        assertThat(round.suspects).isEmpty();
        assertThat(round.failed).singleElement().satisfies(f -> {
            assertThat(f.event().offset()).isEqualTo(2);
            assertThat(f.kind()).isEqualTo(FailureKind.RETRIABLE);
            assertThat(f.storeWide()).isTrue();
            assertThat(f.reason()).contains("connection refused");
        });
        assertThat(round.stored).isEqualTo(3);
    }

    @Test
    void aStoreOutageFailsEveryEventStoreWideWithoutAskingTheHealthCheck() {
        WritePass.Round round = pass(batch -> {
                    throw new RetriableSinkException("503 from the store");
                })
                .write(events(5));

        assertThat(round.stored).isZero();
        assertThat(round.failed).hasSize(5).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.RETRIABLE);
            assertThat(f.storeWide()).isTrue();
            assertThat(f.reason()).contains("503 from the store");
            assertThat(f.errorClass()).isEqualTo(RetriableSinkException.class.getName());
        });
        assertThat(calls).as("no narrowing down of an outage").hasValue(1);
        assertThat(healthChecks).hasValue(0);
    }

    @Test
    void retriableFailuresOfEveryEventCountAsTheStoresOnlyWhenItIsUnhealthy() {
        Function<List<Event>, WriteResult> allRetriable = batch -> WriteResult.failed(batch.stream()
                .map(e -> EventFailure.retriable(e, "429", "es_rejected_execution_exception"))
                .toList());

        WritePass.Round healthy = pass(allRetriable).write(events(3));
        unhealthy = "cluster red";
        WritePass.Round down = pass(allRetriable).write(events(3));

        assertThat(healthy.failed).hasSize(3).noneMatch(WritePass.Failed::storeWide);
        assertThat(down.failed).hasSize(3).allMatch(WritePass.Failed::storeWide);
        assertThat(healthy.stored).isZero();
    }

    @Test
    void reportedFailuresAreMatchedByCoordinatesAndOthersIgnored() {
        List<Event> batch = events(4);
        Event stranger = events(9).get(8);

        WritePass.Round round = pass(b -> WriteResult.failed(List.of(
                        EventFailure.permanent(batch.get(1), "mapping error", "mapper_parsing_exception"),
                        EventFailure.permanent(stranger, "not in this write", "x"))))
                .write(batch);

        assertThat(round.failed).singleElement().satisfies(f -> {
            assertThat(f.event().offset()).isEqualTo(1);
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.storeWide()).isFalse();
        });
        assertThat(round.stored).isEqualTo(3);
    }

    @Test
    void aFatalSinkExceptionOrAJvmFailureIsRethrown() {
        assertThatThrownBy(() -> pass(batch -> {
                            throw new FatalSinkException("bad credentials");
                        })
                        .write(events(2)))
                .isInstanceOf(FatalSinkException.class);
        assertThatThrownBy(() -> pass(batch -> {
                            throw new OutOfMemoryError("heap");
                        })
                        .write(events(2)))
                .isInstanceOf(OutOfMemoryError.class);
    }
}
