package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-event isolation, bounded per-event retries and offsets through rebalances, with a fake store that throws for
 * chosen events, a switchable health check, and kafka-clients' MockProducer as the dead-letter topic.
 */
class BatchIsolationTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final MockProducer<byte[], byte[]> dlq =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final HealthTracker health = new HealthTracker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeStore store = new FakeStore();
    private final List<Duration> waits = new ArrayList<>();
    private RetryPolicy retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO);

    private BatchWriter writer() {
        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("fake")
                .topics(List.of("orders"))
                .groupId("g")
                .retry(retry)
                .build();
        return new BatchWriter(
                settings,
                store,
                store,
                new DeadLetterPublisher(dlq, settings, Duration.ofSeconds(5)),
                new PipelineMetrics(registry, "docs"),
                health);
    }

    /** {@code n} records on partition 0, offsets 0..n-1, each with its own id {@code e<offset>}. */
    private static List<ConsumerRecord<ByteBuffer, ByteBuffer>> records(int n) {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(record(0, i, "e" + i, "{\"n\":" + i + "}"));
        }
        return records;
    }

    private static ConsumerRecord<ByteBuffer, ByteBuffer> record(int partition, long offset, String id, String value) {
        ConsumerRecord<ByteBuffer, ByteBuffer> r = new ConsumerRecord<>(
                "orders", partition, offset, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        r.headers().add(Event.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private Map<TopicPartition, OffsetAndMetadata> write(List<ConsumerRecord<ByteBuffer, ByteBuffer>> records) {
        return writer().write(records, Set.of(P0, P1)::contains, d -> {
            waits.add(d);
            return waits.size() < 50; // a test that never settles stops here instead of hanging
        });
    }

    @ParameterizedTest(name = "{0} poison(s) in a batch of {1}")
    @CsvSource({"1,1", "1,2", "1,7", "1,100", "1,500", "1,1000", "2,2", "3,64", "3,500", "5,1000", "10,1000"})
    void bisectionDeadLettersExactlyThePoisonEventsAndStoresTheRestInFewCalls(int k, int n) {
        Set<Long> poison = new TreeSet<>();
        for (int i = 0; poison.size() < k; i++) {
            poison.add((i * 7919L + n / 3) % n); // spread, deterministic
        }
        store.poison.addAll(poison);

        Map<TopicPartition, OffsetAndMetadata> offsets = write(records(n));

        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(n)));
        assertThat(dlq.history())
                .extracting(r -> Long.valueOf(header(r, "sl.source.offset")))
                .containsExactlyInAnyOrderElementsOf(poison);
        for (ProducerRecord<byte[], byte[]> letter : dlq.history()) {
            assertThat(header(letter, "sl.error.class")).isEqualTo("java.lang.IllegalStateException");
            assertThat(header(letter, "sl.error.reason"))
                    .isEqualTo("cannot convert event at offset " + header(letter, "sl.source.offset"));
        }
        Set<String> good = records(n).stream()
                .filter(r -> !poison.contains(r.offset()))
                .map(r -> "e" + r.offset())
                .collect(Collectors.toSet());
        assertThat(store.stored.keySet()).isEqualTo(good);
        int log2 = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
        assertThat(store.calls)
                .as("write calls for %d poison(s) in %d: O(k log n)", k, n)
                .hasSizeLessThanOrEqualTo(1 + 2 * k * log2);
        assertThat(waits).as("no backoff: nothing was retriable").isEmpty();
        assertThat(store.healthChecks)
                .as("one health check for the round, not one per event")
                .hasValue(1);
        assertThat(registry.get("streamloader.sink.events.isolated").counter().count())
                .isEqualTo(k);
        assertThat(health.get().state()).isNotEqualTo(RunnerHealth.State.RETRYING);
    }

    @Test
    void theHappyPathIsOneWriteWithoutHealthChecks() {
        assertThat(write(records(1000))).isEqualTo(Map.of(P0, new OffsetAndMetadata(1000)));
        assertThat(store.calls).hasSize(1);
        assertThat(store.healthChecks).hasValue(0);
        assertThat(store.stored).hasSize(1000);
        assertThat(registry.get("streamloader.sink.bisections").counter().count())
                .isZero();
    }

    @Test
    void bisectionKeepsBatchOrderSoTheLaterOfTwoSameIdEventsIsWrittenLast() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = records(8);
        records.set(1, record(0, 1, "dup", "{\"v\":\"old\"}"));
        records.set(6, record(0, 6, "dup", "{\"v\":\"new\"}"));
        store.poison.add(2L);
        write(records);
        assertThat(store.stored.get("dup")).isEqualTo("{\"v\":\"new\"}");
        assertThat(store.stored).hasSize(6);
    }

    @Test
    void errorsThatConcernOneEventAreIsolatedButJvmFailuresAndFatalExceptionsStopTheRunner() {
        store.thrower = offset -> offset == 3 ? new StackOverflowError() : null;
        write(records(10));
        assertThat(dlq.history()).hasSize(1);
        assertThat(header(dlq.history().getFirst(), "sl.error.class")).isEqualTo("java.lang.StackOverflowError");
        assertThat(header(dlq.history().getFirst(), "sl.source.offset")).isEqualTo("3");

        store.thrower = offset -> offset == 4 ? new NoClassDefFoundError("com/acme/Codec") : null;
        write(records(10));
        assertThat(header(dlq.history().getLast(), "sl.error.class")).isEqualTo("java.lang.NoClassDefFoundError");
        assertThat(header(dlq.history().getLast(), "sl.error.reason")).isEqualTo("com/acme/Codec");

        store.thrower = offset -> offset == 5 ? new OutOfMemoryError("Java heap space") : null;
        assertThatThrownBy(() -> write(records(10))).isInstanceOf(OutOfMemoryError.class);

        store.thrower = offset -> offset == 5 ? new FatalSinkException("authentication refused for user loader") : null;
        assertThatThrownBy(() -> write(records(10)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessage("authentication refused for user loader");
        assertThat(dlq.history()).as("nothing more dead-lettered").hasSize(2);
    }

    @Test
    void anIsolatedEventIsNotDeadLetteredWhileTheStoreIsUnhealthy() {
        store.poison.add(4L);
        store.unhealthy = "connection refused: localhost:27017";
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(records(10), Set.of(P0)::contains, d -> {
            waits.add(d);
            assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
            assertThat(health.get().detail()).contains("orders-0@4").contains("connection refused: localhost:27017");
            if (waits.size() == 3) {
                store.unhealthy = null; // the store is back: now the event is judged on its own
            }
            return true;
        });
        assertThat(waits).as("retried while the store was unhealthy").hasSize(3);
        assertThat(dlq.history()).extracting(r -> header(r, "sl.source.offset")).containsExactly("4");
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
        assertThat(store.stored).hasSize(9);
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    @Test
    void aStoreThrowingForEveryEventWhileUnhealthyIsAnOutageNotABatchOfPoison() {
        store.thrower = offset -> new IllegalStateException("connection pool shut down");
        store.unhealthy = "no primary reachable";
        retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ofNanos(1));
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(records(1000), Set.of(P0)::contains, d -> {
            waits.add(d);
            return waits.size() < 5;
        });
        assertThat(dlq.history()).isEmpty();
        assertThat(offsets).as("nothing resolved, nothing committed").isEmpty();
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
        assertThat(health.get().detail()).contains("no primary reachable").contains("orders-0@0");
        // each round: the batch, then one path down to a lone event and its sibling, then the health check stops it
        assertThat(store.calls.size()).isLessThanOrEqualTo(5 * (1 + 2 * 10));
    }

    @Test
    void anEventFailingRetriablyWhileItsNeighboursSucceedIsDeadLetteredAfterTheEventBound() {
        retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ofNanos(1));
        store.retriable.put(7L, "S3 refused content type image/png; x");
        Map<TopicPartition, OffsetAndMetadata> offsets = write(records(20));
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(20)));
        assertThat(dlq.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(header(letter, "sl.source.offset")).isEqualTo("7");
        assertThat(header(letter, "sl.error.reason"))
                .startsWith("retriable failure of this event persisted for")
                .endsWith("while the store was healthy: S3 refused content type image/png; x");
        assertThat(waits).as("retried once alone, then given up").hasSize(1);
        assertThat(store.stored).hasSize(19);
    }

    @Test
    void theEventBoundDoesNotRunWhileTheStoreIsDown() {
        retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ofNanos(1));
        store.retriable.put(7L, "503 slow down");
        store.unhealthy = "bucket endpoint unreachable";
        int[] rounds = {0};
        store.before = batch -> {
            if (++rounds[0] % 2 == 0) { // every other round the sink itself says the store is down
                throw new RetriableSinkException("connect timed out");
            }
            return null;
        };
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(records(20), Set.of(P0)::contains, d -> {
            waits.add(d);
            return waits.size() < 10;
        });
        assertThat(dlq.history())
                .as("an outage never counts toward the per-event bound")
                .isEmpty();
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
        assertThat(health.get().detail()).contains("orders-0@7");
    }

    @Test
    void theEventBoundCanBeSwitchedOff() {
        retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ZERO);
        store.retriable.put(7L, "429");
        Map<TopicPartition, OffsetAndMetadata> offsets = write(records(20));
        assertThat(waits).hasSize(50);
        assertThat(dlq.history()).isEmpty();
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
    }

    @Test
    void aPartitionRevokedAndReassignedDuringARetryBackoffIsNotCommittedPastItsDroppedEvents() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(record(0, 10 + i, "a" + i, "{}"));
            records.add(record(1, 20 + i, "b" + i, "{}"));
        }
        store.retriable.put(10L, "429"); // p0's first event: dropped once p0 is revoked
        store.retriable.put(21L, "429"); // keeps the batch retrying until p0 is back
        Set<TopicPartition> owned = new java.util.HashSet<>(Set.of(P0, P1));
        int[] awaits = {0};
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(records, owned::contains, d -> {
            switch (++awaits[0]) {
                case 1 -> owned.remove(P0); // revoked during the first backoff
                case 2 -> {
                    owned.add(P0); // assigned back to this worker before the batch ends
                    store.retriable.clear();
                }
                default -> {}
            }
            return true;
        });
        assertThat(store.stored).doesNotContainKey("a0");
        assertThat(offsets)
                .as("p0 lost event 10 from this batch: its next owner (this worker again) reads it from the"
                        + " committed offset, so this batch must not commit p0 at all")
                .isEqualTo(Map.of(P1, new OffsetAndMetadata(23)));
    }

    @Test
    void ofTwoEventsWithTheSameIdTheLaterFailingPermanentlyLeavesTheEarlierStored() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records =
                List.of(record(0, 0, "x", "{\"v\":1}"), record(0, 1, "y", "{}"), record(0, 2, "x", "{\"v\":2"));
        store.permanent.put(2L, "value is not JSON");
        Map<TopicPartition, OffsetAndMetadata> offsets = write(records);
        assertThat(store.stored).containsEntry("x", "{\"v\":1}").containsKey("y");
        assertThat(dlq.history()).extracting(r -> header(r, "sl.source.offset")).containsExactly("2");
        assertThat(new String(dlq.history().getFirst().value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":2");
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void ofTwoEventsWithTheSameIdOnlyTheLaterIsRetriedWhenItFailsRetriably() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records =
                List.of(record(0, 0, "x", "{\"v\":1}"), record(0, 1, "y", "{}"), record(0, 2, "x", "{\"v\":2}"));
        store.retriableOnce.put(2L, "429");
        Map<TopicPartition, OffsetAndMetadata> offsets = write(records);
        assertThat(store.calls).hasSize(2);
        assertThat(store.calls.get(1)).extracting(Event::offset).containsExactly(2L);
        assertThat(store.stored).containsEntry("x", "{\"v\":2}");
        assertThat(store.writesOf.get(0L)).as("the earlier x was written, once").isEqualTo(1);
        assertThat(dlq.history()).isEmpty();
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void anEarlierSameIdEventFailingRetriablyIsNotWrittenOverTheStoredLaterOne() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records =
                List.of(record(0, 0, "x", "{\"v\":1}"), record(0, 1, "y", "{}"), record(0, 2, "x", "{\"v\":2}"));
        store.retriableOnce.put(0L, "429");
        Map<TopicPartition, OffsetAndMetadata> offsets = write(records);
        assertThat(store.calls)
                .as("nothing left to retry: the newer x is stored")
                .hasSize(1);
        assertThat(store.stored).containsEntry("x", "{\"v\":2}");
        assertThat(dlq.history()).isEmpty();
        assertThat(offsets).isEqualTo(Map.of(P0, new OffsetAndMetadata(3)));
    }

    @Test
    void healthTurnsRetryingWithTheEventsCoordinatesAndBackOnceResolved() {
        store.retriableOnce.put(3L, "es_rejected_execution_exception: queue full");
        health.running();
        writer().write(records(5), Set.of(P0)::contains, d -> {
            assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
            assertThat(health.get().detail())
                    .isEqualTo("sink docs: retrying 1 event(s), first orders-0@3:"
                            + " es_rejected_execution_exception: queue full");
            return true;
        });
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * A store keyed by id. Throws {@link IllegalStateException} for a write containing a poison offset, or what
     * {@link #thrower} says; reports per-event failures for the offsets listed; fails its health check on demand.
     */
    static final class FakeStore implements Sink, SinkWriter {
        @Override
        public SinkWriter newWriter() {
            return this;
        }

        final Set<Long> poison = new TreeSet<>();
        final Map<Long, String> retriable = new HashMap<>();
        final Map<Long, String> retriableOnce = new HashMap<>();
        final Map<Long, String> permanent = new HashMap<>();
        Function<Long, Throwable> thrower = offset -> null;
        Function<List<Event>, Void> before = batch -> null;
        volatile String unhealthy;
        final java.util.concurrent.atomic.AtomicInteger healthChecks = new java.util.concurrent.atomic.AtomicInteger();
        final Map<String, String> stored = new HashMap<>();
        final Map<Long, Integer> writesOf = new HashMap<>();
        final List<List<Event>> calls = new ArrayList<>();

        @Override
        public WriteResult write(List<Event> batch) {
            calls.add(batch);
            before.apply(batch);
            for (Event e : batch) {
                if (poison.contains(e.offset())) {
                    throw new IllegalStateException("cannot convert event at offset " + e.offset());
                }
                Throwable t = thrower.apply(e.offset());
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                if (t instanceof Error error) {
                    throw error;
                }
            }
            List<EventFailure> failures = new ArrayList<>();
            for (Event e : batch) {
                if (retriable.containsKey(e.offset())) {
                    failures.add(EventFailure.retriable(e, retriable.get(e.offset()), "throttled"));
                } else if (retriableOnce.containsKey(e.offset())) {
                    failures.add(EventFailure.retriable(e, retriableOnce.remove(e.offset()), "throttled"));
                } else if (permanent.containsKey(e.offset())) {
                    failures.add(EventFailure.permanent(e, permanent.get(e.offset()), "parse_error"));
                } else {
                    stored.put(e.id(), e.valueAsString());
                    writesOf.merge(e.offset(), 1, Integer::sum);
                }
            }
            return WriteResult.failed(failures);
        }

        @Override
        public void checkHealth() {
            healthChecks.incrementAndGet();
            String problem = unhealthy;
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
        }

        @Override
        public void close() {}
    }
}
