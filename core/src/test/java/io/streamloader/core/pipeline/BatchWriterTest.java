package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The batch resolution logic with a scripted sink and kafka-clients' MockProducer standing in for the DLQ. */
class BatchWriterTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final RunnerSettings settings = RunnerSettings.builder("docs")
            .type("fake")
            .topics(List.of("orders"))
            .groupId("g")
            .retry(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO))
            .build();
    private final MockProducer<byte[], byte[]> dlq =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final HealthTracker health = new HealthTracker();
    private final ScriptedSink sink = new ScriptedSink();
    private final List<Duration> waits = new ArrayList<>();

    private BatchWriter writer() {
        return new BatchWriter(
                settings,
                sink,
                sink,
                new DeadLetterPublisher(dlq, settings, Duration.ofSeconds(5)),
                new PipelineMetrics(new SimpleMeterRegistry(), "docs"),
                health);
    }

    private static List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch() {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(
                    new ConsumerRecord<>("orders", 0, 10 + i, null, ByteBuffer.wrap(("{\"n\":" + i + "}").getBytes())));
            records.add(
                    new ConsumerRecord<>("orders", 1, 20 + i, null, ByteBuffer.wrap(("{\"m\":" + i + "}").getBytes())));
        }
        return records;
    }

    private Map<TopicPartition, OffsetAndMetadata> write(Set<TopicPartition> owned) {
        return writer().write(batch(), owned::contains, d -> {
            waits.add(d);
            return true;
        });
    }

    @Test
    void successCommitsPastTheLastRecordOfEachPartition() {
        sink.script.add(batch -> WriteResult.success());
        assertThat(write(Set.of(P0, P1)))
                .containsEntry(P0, new OffsetAndMetadata(13))
                .containsEntry(P1, new OffsetAndMetadata(23));
        assertThat(sink.calls).hasSize(1);
        assertThat(waits).isEmpty();
        assertThat(dlq.history()).isEmpty();
    }

    @Test
    void eventsTheFilterDoesNotTakeAreCommittedCountedAndNeverWritten() {
        sink.script.add(batch -> WriteResult.success());
        var registry = new SimpleMeterRegistry();
        RunnerSettings filtered =
                settings.withFilter(EventFilter.of(new EventFilter.Pointer("/n"), new EventFilter.Exists(), true));
        BatchWriter writer = new BatchWriter(
                filtered,
                sink,
                sink,
                new DeadLetterPublisher(dlq, filtered, Duration.ofSeconds(5)),
                new PipelineMetrics(registry, "docs"),
                health);
        assertThat(writer.write(batch(), Set.of(P0, P1)::contains, d -> true))
                .containsEntry(P0, new OffsetAndMetadata(13))
                .containsEntry(P1, new OffsetAndMetadata(23));
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.getFirst()).extracting(Event::offset).containsExactly(10L, 11L, 12L);
        assertThat(registry.get("streamloader.sink.events.filtered").counter().count())
                .isEqualTo(3.0);
        assertThat(dlq.history()).isEmpty();
    }

    @Test
    void aBatchTheFilterTakesNothingOfIsCommittedWithoutASinkCall() {
        RunnerSettings none =
                settings.withFilter(EventFilter.of(new EventFilter.Header("absent"), new EventFilter.Exists(), true));
        BatchWriter writer = new BatchWriter(
                none,
                sink,
                sink,
                new DeadLetterPublisher(dlq, none, Duration.ofSeconds(5)),
                new PipelineMetrics(new SimpleMeterRegistry(), "docs"),
                health);
        assertThat(writer.write(batch(), Set.of(P0, P1)::contains, d -> true))
                .containsEntry(P0, new OffsetAndMetadata(13))
                .containsEntry(P1, new OffsetAndMetadata(23));
        assertThat(sink.calls).isEmpty();
    }

    @Test
    void permanentFailureGoesToTheDeadLetterTopicWithHeadersAndIsCommitted() {
        sink.script.add(batch -> WriteResult.failed(List.of(EventFailure.permanent(
                at(batch, 0, 11), "mapper_parsing_exception: failed to parse field [n]", "mapper_parsing_exception"))));
        assertThat(write(Set.of(P0, P1))).containsEntry(P0, new OffsetAndMetadata(13));
        assertThat(dlq.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(letter.topic()).isEqualTo("orders.dlq");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(header(letter, "sl.error.sink")).isEqualTo("docs");
        assertThat(header(letter, "sl.error.reason")).contains("failed to parse field [n]");
        assertThat(header(letter, "sl.error.class")).isEqualTo("mapper_parsing_exception");
        assertThat(header(letter, "sl.source.topic")).isEqualTo("orders");
        assertThat(header(letter, "sl.source.partition")).isEqualTo("0");
        assertThat(header(letter, "sl.source.offset")).isEqualTo("11");
        assertThat(sink.calls).hasSize(1);
    }

    @Test
    void retriableFailuresAreRetriedAloneAfterABackoff() {
        sink.script.add(batch -> WriteResult.failed(List.of(
                EventFailure.retriable(at(batch, 0, 12), "429 too many requests", "es_rejected_execution_exception"),
                EventFailure.retriable(at(batch, 1, 20), "429 too many requests", "es_rejected_execution_exception"))));
        sink.script.add(batch -> WriteResult.success());
        assertThat(write(Set.of(P0, P1)))
                .containsEntry(P0, new OffsetAndMetadata(13))
                .containsEntry(P1, new OffsetAndMetadata(23));
        assertThat(sink.calls).hasSize(2);
        assertThat(sink.calls.get(1)).extracting(Event::offset).containsExactly(20L, 12L);
        assertThat(waits).hasSize(1);
        assertThat(dlq.history()).isEmpty();
    }

    @Test
    void wholeBatchTransientFailureRetriesEverythingAndReportsRetrying() {
        sink.script.add(batch -> {
            throw new RetriableSinkException("connection refused");
        });
        sink.script.add(batch -> {
            assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
            assertThat(health.get().detail()).contains("connection refused");
            return WriteResult.success();
        });
        health.running();
        assertThat(write(Set.of(P0, P1))).hasSize(2);
        assertThat(sink.calls.get(1)).hasSize(6);
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    @Test
    void stoppingDuringRetryCommitsOnlyBelowTheFirstUnresolvedEvent() {
        sink.script.add(batch -> WriteResult.failed(List.of(EventFailure.retriable(at(batch, 0, 11), "timeout", ""))));
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(batch(), Set.of(P0, P1)::contains, d -> false);
        assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(11)).containsEntry(P1, new OffsetAndMetadata(23));
    }

    @Test
    void partitionLostDuringBackoffIsNeitherRetriedNorCommitted() {
        Set<TopicPartition> owned = new java.util.HashSet<>(Set.of(P0, P1));
        sink.script.add(batch -> WriteResult.failed(List.of(
                EventFailure.retriable(at(batch, 0, 10), "timeout", ""),
                EventFailure.retriable(at(batch, 1, 21), "timeout", ""))));
        sink.script.add(batch -> WriteResult.success());
        Map<TopicPartition, OffsetAndMetadata> offsets = writer().write(batch(), owned::contains, d -> {
            owned.remove(P0);
            return true;
        });
        assertThat(sink.calls.get(1)).extracting(Event::offset).containsExactly(21L);
        assertThat(offsets).containsOnlyKeys(P1).containsEntry(P1, new OffsetAndMetadata(23));
    }

    @Test
    void retriableFailureGoesToTheDeadLetterTopicOnceGiveUpAfterHasPassed() {
        RunnerSettings bounded = RunnerSettings.builder("docs")
                .type("fake")
                .topics(List.of("orders"))
                .groupId("g")
                .retry(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ofNanos(1)))
                .build();
        sink.script.add(batch -> WriteResult.failed(List.of(EventFailure.retriable(at(batch, 1, 22), "503", "x"))));
        sink.script.add(batch -> WriteResult.failed(List.of(EventFailure.retriable(at(batch, 1, 22), "503", "x"))));
        BatchWriter writer = new BatchWriter(
                bounded,
                sink,
                sink,
                new DeadLetterPublisher(dlq, bounded, Duration.ofSeconds(5)),
                new PipelineMetrics(new SimpleMeterRegistry(), "docs"),
                health);
        assertThat(writer.write(batch(), Set.of(P0, P1)::contains, d -> true))
                .containsEntry(P1, new OffsetAndMetadata(23));
        assertThat(dlq.history()).hasSize(1);
        assertThat(header(dlq.history().getFirst(), "sl.error.reason")).startsWith("retriable failure persisted for");
    }

    @Test
    void deadLetterFailureIsRetriedAndNothingIsCommittedPastItMeanwhile() throws InterruptedException {
        MockProducer<byte[], byte[]> manual =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        sink.script.add(batch -> WriteResult.failed(List.of(EventFailure.permanent(at(batch, 0, 10), "bad", ""))));
        BatchWriter writer = new BatchWriter(
                settings,
                sink,
                sink,
                new DeadLetterPublisher(manual, settings, Duration.ofSeconds(5)),
                new PipelineMetrics(new SimpleMeterRegistry(), "docs"),
                health);
        Deque<Runnable> brokerAnswers = new ArrayDeque<>();
        brokerAnswers.add(() -> manual.errorNext(new org.apache.kafka.common.errors.TimeoutException("dlq down")));
        // complete the sends asynchronously, as the broker would, while the writer waits for acknowledgement
        Thread broker = Thread.ofVirtual().start(() -> {
            while (manual.history().isEmpty()) {
                Thread.onSpinWait();
            }
            brokerAnswers.poll().run();
            while (manual.history().size() < 2) {
                Thread.onSpinWait();
            }
            manual.completeNext();
        });
        Map<TopicPartition, OffsetAndMetadata> offsets = writer.write(batch(), Set.of(P0, P1)::contains, d -> {
            assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RETRYING);
            assertThat(health.get().detail())
                    .startsWith("sink docs: dead-lettering 1 event(s), first orders-0@10: could not write")
                    .contains("dlq down");
            return true;
        });
        assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(13));
        assertThat(manual.history()).hasSize(2);
        assertThat(sink.calls)
                .as("the sink is not asked again for a dead-lettered event")
                .hasSize(1);
        assertThat(broker.join(Duration.ofSeconds(5)))
                .as("the fake broker answered both sends")
                .isTrue();
    }

    private static Event at(List<Event> batch, int partition, long offset) {
        return batch.stream()
                .filter(e -> e.partition() == partition && e.offset() == offset)
                .findFirst()
                .orElseThrow();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A sink that answers each write with the next scripted response and records what it was given. */
    static final class ScriptedSink implements Sink, SinkWriter {
        @Override
        public SinkWriter newWriter() {
            return this;
        }

        final Deque<Function<List<Event>, WriteResult>> script = new ArrayDeque<>();
        final List<List<Event>> calls = new ArrayList<>();

        @Override
        public WriteResult write(List<Event> batch) {
            calls.add(batch);
            Function<List<Event>, WriteResult> next = script.poll();
            return next == null ? WriteResult.success() : next.apply(batch);
        }

        @Override
        public void close() {}
    }
}
