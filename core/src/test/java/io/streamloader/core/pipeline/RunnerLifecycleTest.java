package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SourcePartition;
import io.streamloader.testing.TestingRecordingSink;
import io.streamloader.testing.TestingRecordingSink.Call;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runner's sink lifecycle with {@code workers: 4}, each worker on a MockConsumer of its own sharing one {@link
 * RunnerSink} as a runner's generation does: one open, one writer per worker, partition hooks on the writer's thread,
 * the sink closed after every writer.
 */
class RunnerLifecycleTest {
    private static final int WORKERS = 4;
    private static final String TOPIC = "orders";

    private final TestingRecordingSink factory = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);
    private final RunnerSink runnerSink =
            new RunnerSink(ConfiguredSink.parse(factory, new SinkContext("docs", Map.of())));
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<HookedConsumer> consumers = new ArrayList<>();

    /** MockConsumer rebalancing on the consumer thread inside poll (its rebalance calls the worker's listener). */
    private static final class HookedConsumer extends MockConsumer<ByteBuffer, ByteBuffer> {
        HookedConsumer() {
            super("earliest");
        }

        /** Assigns {@code partitions} at the worker's next poll. */
        void assignAtNextPoll(List<TopicPartition> partitions) {
            schedulePollTask(() -> rebalance(partitions));
        }

        /** Revokes every partition at the worker's next poll. */
        void revokeAllAtNextPoll() {
            schedulePollTask(() -> rebalance(List.of()));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    private void startWorkers() {
        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("recording")
                .topics(List.of(TOPIC))
                .groupId("g")
                .workers(WORKERS)
                .batch(new BatchPolicy(10, 64L << 20, Duration.ofMillis(20)))
                .build();
        MockProducer<byte[], byte[]> dlq =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(dlq, settings, Duration.ofSeconds(5));
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "docs");
        for (int i = 0; i < WORKERS; i++) {
            HookedConsumer consumer = new HookedConsumer();
            TopicPartition tp = new TopicPartition(TOPIC, i);
            consumer.updateBeginningOffsets(Map.of(tp, 0L));
            consumer.assignAtNextPoll(List.of(tp));
            for (int offset = 0; offset < 3; offset++) {
                byte[] value = ("{\"p\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                ConsumerRecord<ByteBuffer, ByteBuffer> record =
                        new ConsumerRecord<>(TOPIC, i, offset, null, ByteBuffer.wrap(value));
                consumer.schedulePollTask(() -> consumer.addRecord(record));
            }
            consumers.add(consumer);
            Worker worker = new Worker(
                    settings, consumer, runnerSink, deadLetters, metrics, new HealthTracker(), stopping, () -> {});
            Thread thread = new Thread(worker, "docs-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    @Test
    void fourWorkersOpenTheSinkOnceMakeAWriterEachAndCloseItAfterTheLastWriter() throws InterruptedException {
        startWorkers();
        await().atMost(Duration.ofSeconds(20)).until(() -> factory.stored().size() == WORKERS * 3);

        assertThat(factory.count("open")).as("open once per runner").isEqualTo(1);
        assertThat(factory.count("newWriter")).as("a writer per worker").isEqualTo(WORKERS);
        assertThat(runnerSink.current()).as("the open sink, for health").isPresent();
        List<Call> assigned = factory.lifecycle().stream()
                .filter(c -> c.what().equals("assigned"))
                .toList();
        assertThat(assigned)
                .extracting(Call::partitions)
                .containsExactlyInAnyOrder(
                        List.of(new SourcePartition(TOPIC, 0)),
                        List.of(new SourcePartition(TOPIC, 1)),
                        List.of(new SourcePartition(TOPIC, 2)),
                        List.of(new SourcePartition(TOPIC, 3)));
        assertThat(assigned)
                .as("on each worker's own sink thread")
                .extracting(Call::thread)
                .containsExactlyInAnyOrder("docs-0-sink", "docs-1-sink", "docs-2-sink", "docs-3-sink");

        consumers.getFirst().revokeAllAtNextPoll();
        await().atMost(Duration.ofSeconds(10)).until(() -> factory.count("revoked") == 1);
        assertThat(factory.lifecycle().stream().filter(c -> c.what().equals("revoked")))
                .singleElement()
                .isEqualTo(new Call("revoked", List.of(new SourcePartition(TOPIC, 0)), "docs-0-sink"));

        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(factory.count("writer-close")).isEqualTo(WORKERS);
        assertThat(factory.count("close")).as("not before the generation stops").isZero();
        runnerSink.closeWhenUnused(); // what the runner's generation does once its workers ended

        List<Call> calls = factory.lifecycle();
        assertThat(factory.count("close")).isEqualTo(1);
        assertThat(calls.getFirst().what()).isEqualTo("open");
        assertThat(calls.getLast().what())
                .as("the sink closes after every writer")
                .isEqualTo("close");
        assertThat(runnerSink.current()).isEmpty();
        for (int i = 0; i < WORKERS; i++) {
            String sinkThread = "docs-" + i + "-sink";
            List<String> ofWorker = calls.stream()
                    .filter(c -> c.thread().equals(sinkThread) && !c.what().equals("open"))
                    .map(Call::what)
                    .toList();
            assertThat(ofWorker)
                    .as("worker %d: writer made, partition assigned, revoked (by the test or at stop), closed", i)
                    .containsExactly("newWriter", "assigned", "revoked", "writer-close");
        }
        assertThat(factory.count("revoked"))
                .as("every assigned partition revoked before its writer closed")
                .isEqualTo(WORKERS);
    }

    @Test
    void aWorkerThatAcquiresAfterTheGenerationStoppedGetsNoSinkAndNothingIsOpened() throws Exception {
        runnerSink.closeWhenUnused();

        assertThat(runnerSink.acquire(runnerSink::open)).isEmpty();
        assertThat(factory.count("open")).isZero();
    }
}
