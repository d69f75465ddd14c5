package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchWriterTest.ScriptedSink;
import io.streamloader.spi.Event;
import io.streamloader.spi.TransformFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Transforms inside batch resolution: dropped events committed, failing ones dead-lettered, the rest written. */
class BatchWriterTransformTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);

    private final MockProducer<byte[], byte[]> dlq =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScriptedSink sink = new ScriptedSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A transform that drops "drop", throws for "boom", upper-cases the rest and leaves "same" untouched. */
    private static final TransformFactory SCRIPTED = new TransformFactory() {
        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public io.streamloader.spi.Transform create(Map<String, String> config) {
            return event -> switch (event.valueAsString()) {
                case "drop" -> null;
                case "boom" -> throw new IllegalArgumentException("cannot transform boom");
                case "same" -> event;
                default ->
                    event.toBuilder()
                            .value(event.valueAsString().toUpperCase().getBytes(StandardCharsets.UTF_8))
                            .build();
            };
        }
    };

    private BatchWriter writer() {
        TransformChain chain = TransformChain.of(
                        List.of(new TransformSpec("sinks.docs.transforms[0]", "scripted", Map.of())))
                .resolve(t -> t.equals("scripted") ? Optional.of(SCRIPTED) : Optional.empty());
        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("fake")
                .topics(List.of("orders"))
                .groupId("g")
                .retry(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO))
                .build()
                .withTransforms(chain);
        return new BatchWriter(
                settings,
                sink,
                sink,
                new DeadLetterPublisher(dlq, settings, Duration.ofSeconds(5)),
                new PipelineMetrics(registry, "docs"),
                new HealthTracker());
    }

    private static List<ConsumerRecord<ByteBuffer, ByteBuffer>> records(String... values) {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new ConsumerRecord<>(
                    "orders", 0, 10 + i, null, ByteBuffer.wrap(values[i].getBytes(StandardCharsets.UTF_8))));
        }
        return records;
    }

    @Test
    void aFailingEventIsDeadLetteredWithTheStepAndReasonAndItsNeighboursAreWritten() {
        var offsets = writer().write(records("a", "boom", "drop", "same", "b"), Set.of(P0)::contains, d -> true);

        assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(15));
        assertThat(sink.calls).hasSize(1);
        assertThat(sink.calls.getFirst()).extracting(Event::valueAsString).containsExactly("A", "same", "B");
        assertThat(sink.calls.getFirst()).extracting(Event::offset).containsExactly(10L, 13L, 14L);
        assertThat(dlq.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("boom"); // the original record
        assertThat(header(letter, "sl.error.reason"))
                .contains("sinks.docs.transforms[0]")
                .contains("java.lang.IllegalArgumentException: cannot transform boom");
        assertThat(header(letter, "sl.error.class")).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(registry.get("streamloader.sink.events.filtered").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aBatchWhoseEventsAllFailIsDeadLetteredAndCommittedWithoutASinkCall() {
        var offsets = writer().write(records("boom", "boom"), Set.of(P0)::contains, d -> true);

        assertThat(offsets).containsEntry(P0, new OffsetAndMetadata(12));
        assertThat(sink.calls).isEmpty();
        assertThat(dlq.history()).hasSize(2);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
