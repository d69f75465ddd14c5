package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.SinkContext;
import io.streamloader.testing.TestingRecordingSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's two threads, with kafka-clients' MockConsumer standing in for the broker. */
class WorkerTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final int BATCH = 1000;

    /** MockConsumer, plus the assignment callback a real rebalance makes (its own rebalance() does not call it). */
    private final MockConsumer<ByteBuffer, ByteBuffer> consumer = new MockConsumer<>("earliest") {
        private ConsumerRebalanceListener listener;

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
            this.listener = listener;
            super.subscribe(topics, listener);
        }

        @Override
        public synchronized void rebalance(Collection<TopicPartition> assignment) {
            super.rebalance(assignment);
            listener.onPartitionsAssigned(assignment);
        }

        @Override
        public synchronized ConsumerRecords<ByteBuffer, ByteBuffer> poll(Duration timeout) {
            polls.incrementAndGet();
            return super.poll(timeout);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refusedCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new RebalanceInProgressException("another worker left the group");
            }
            super.commitSync(offsets);
            syncCommitted.putAll(offsets);
        }

        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (!asyncCommitsLost.get()) {
                super.commitAsync(offsets, callback);
            }
        }
    };

    /** commitSync calls to refuse, as a coordinator does while the group rebalances. */
    private final AtomicInteger refusedCommits = new AtomicInteger();
    /** What commitSync stored (MockConsumer cannot be asked once the worker closed it). */
    private final Map<TopicPartition, OffsetAndMetadata> syncCommitted = new java.util.concurrent.ConcurrentHashMap<>();
    /** Async commits that never reach the broker: the last commit is then the stop's. */
    private final AtomicBoolean asyncCommitsLost = new AtomicBoolean();

    private final AtomicInteger polls = new AtomicInteger();

    /** Batches cut by count only, unless a test lingers less. */
    private RunnerSettings settings = settings(Duration.ofMinutes(1));

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final HealthTracker health = new HealthTracker();
    private final CountDownLatch firstWriteMayFinish = new CountDownLatch(1);
    /** Thread and first offset of every batch the sink was given. */
    private final List<String> writes = new CopyOnWriteArrayList<>();

    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        firstWriteMayFinish.countDown();
        stopping.set(true);
        if (thread != null) {
            thread.join(10_000);
        }
    }

    @Test
    void theConsumerFetchesTheNextBatchWhileTheSinkWritesAndPausesOnceAWholeBatchWaits() {
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.setMaxPollRecords(BATCH); // as SinkRunner configures max.poll.records
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            addRecords(0);
        });
        consumer.schedulePollTask(() -> addRecords(BATCH));
        start();

        // the sink is busy with the first batch: the second is fetched meanwhile, then fetching pauses
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().contains(TP));
        assertThat(consumer.position(TP)).isEqualTo(2L * BATCH);
        assertThat(writes).hasSize(1);
        assertThat(consumer.committed(Set.of(TP)))
                .as("nothing acknowledged yet")
                .isEmpty();

        firstWriteMayFinish.countDown();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(consumer.committed(Set.of(TP)))
                        .as(() -> "writes " + writes + " position " + consumer.position(TP) + " paused "
                                + consumer.paused())
                        .isEqualTo(Map.of(TP, new OffsetAndMetadata(2L * BATCH))));
        assertThat(writes).containsExactly("docs-sink@0", "docs-sink@1000");
        assertThat(consumer.paused())
                .as("the sink took the second batch: fetching resumed")
                .isEmpty();
    }

    @Test
    void aBatchReadyWhileTheSinkIsBusyWaitsForTheSinkWithoutSpinningOnPolls() {
        settings = settings(Duration.ofMillis(10));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            addRecords(0, 10);
        });
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.size() == 1); // the first write blocks

        addRecords(10, 10); // a second batch, due after 10 ms of linger, while the sink is still busy
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.position(TP) == 20);
        int before = polls.get();

        // waiting on the sink (200 ms at a time), not polling with the zero linger left
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> polls.get() - before <= 10);
        firstWriteMayFinish.countDown();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(consumer.committed(Set.of(TP))).isEqualTo(Map.of(TP, new OffsetAndMetadata(20))));
        assertThat(writes).containsExactly("docs-sink@0", "docs-sink@10");
    }

    @Test
    void aStopDuringARebalanceStillCommitsEverythingWritten() throws InterruptedException {
        settings = settings(Duration.ofMillis(10));
        firstWriteMayFinish.countDown();
        asyncCommitsLost.set(true);
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            addRecords(0, 10);
        });
        start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.size() == 1);
        assertThat(consumer.committed(Set.of(TP))).isEmpty();

        refusedCommits.set(2); // the other workers are leaving: the first commits are refused
        stopping.set(true);
        thread.join(10_000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(syncCommitted).isEqualTo(Map.of(TP, new OffsetAndMetadata(10)));
        assertThat(refusedCommits.get()).as("both refusals were met").isZero();
    }

    private static RunnerSettings settings(Duration linger) {
        return RunnerSettings.builder("docs")
                .type("fake")
                .topics(List.of("orders"))
                .groupId("g")
                .batch(new BatchPolicy(BATCH, 64L << 20, linger))
                .build();
    }

    private void addRecords(int from) {
        addRecords(from, BATCH);
    }

    private void addRecords(int from, int count) {
        for (int i = from; i < from + count; i++) {
            byte[] value = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            consumer.addRecord(new ConsumerRecord<>("orders", 0, i, null, ByteBuffer.wrap(value)));
        }
    }

    private void start() {
        TestingRecordingSink factory = new TestingRecordingSink((sink, batch) -> {
            writes.add(Thread.currentThread().getName() + "@" + batch.getFirst().offset());
            if (writes.size() == 1) {
                awaitRelease();
            }
            return TestingRecordingSink.STORE_ALL.apply(sink, batch);
        });
        MockProducer<byte[], byte[]> dlq =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Worker worker = new Worker(
                settings,
                consumer,
                new RunnerSink(ConfiguredSink.parse(factory, new SinkContext("docs", Map.of()))),
                new DeadLetterPublisher(dlq, settings, Duration.ofSeconds(5)),
                new PipelineMetrics(new SimpleMeterRegistry(), "docs"),
                health,
                stopping,
                () -> {});
        thread = new Thread(worker, "docs");
        thread.start();
    }

    private void awaitRelease() {
        try {
            if (!firstWriteMayFinish.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the first write");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
