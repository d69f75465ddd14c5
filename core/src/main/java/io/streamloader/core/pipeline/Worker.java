package io.streamloader.core.pipeline;

import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One thread of a runner: owns a consumer and a sink instance. Polls, cuts batches, has {@link BatchWriter} resolve
 * every event, then commits. Stops when asked, after finishing (or abandoning, uncommitted) the batch in hand.
 */
final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final long MAX_POLL_BLOCK_MS = 200;

    private final RunnerSettings settings;
    private final Consumer<ByteBuffer, ByteBuffer> consumer;
    private final SinkFactory factory;
    private final DeadLetterPublisher deadLetters;
    private final PipelineMetrics metrics;
    private final HealthTracker health;
    private final AtomicBoolean stopping;
    private final Runnable onFatal;
    private final BatchBuffer buffer;
    private final Set<TopicPartition> owned = new HashSet<>();
    /** The started sink, for health probes from other threads; null before start and after close. */
    private volatile Sink liveSink;
    /** Offsets of batches fully resolved (stored or dead-lettered), per partition; what a sync commit makes durable. */
    private final Map<TopicPartition, OffsetAndMetadata> completed = new HashMap<>();
    /** Set by a failed async commit (callbacks run on this thread, inside poll or commit). */
    private boolean commitFailed;

    Worker(
            RunnerSettings settings,
            Consumer<ByteBuffer, ByteBuffer> consumer,
            SinkFactory factory,
            DeadLetterPublisher deadLetters,
            PipelineMetrics metrics,
            HealthTracker health,
            AtomicBoolean stopping,
            Runnable onFatal) {
        this.settings = settings;
        this.consumer = consumer;
        this.factory = factory;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.health = health;
        this.stopping = stopping;
        this.onFatal = onFatal;
        this.buffer = new BatchBuffer(settings.batch());
    }

    @Override
    public void run() {
        MDC.put("sink", settings.name());
        Sink sink = null;
        try (consumer) {
            sink = createSink();
            if (sink == null) {
                return;
            }
            liveSink = sink;
            BatchWriter writer = new BatchWriter(settings, sink, deadLetters, metrics, health);
            consumer.subscribe(settings.topics(), new Listener());
            health.running();
            while (!stopping.get()) {
                poll(buffer.lingerLeftMillis(MAX_POLL_BLOCK_MS));
                while (buffer.isDue() && !stopping.get()) {
                    flush(writer, buffer.take());
                }
                if (commitFailed) {
                    // no later batch may come to cover it (an idle partition), so make it durable now
                    commitFailed = false;
                    commitSync(owned, false);
                }
            }
            if (!buffer.isEmpty()) {
                flush(writer, buffer.take()); // one last try; what does not succeed stays uncommitted
            }
            commitSync(owned, true);
            health.stopped();
        } catch (RuntimeException | Error e) {
            health.failed(e.toString());
            log.error("sink {}: fatal error, runner stops and commits nothing more", settings.name(), e);
            onFatal.run();
        } finally {
            liveSink = null;
            closeQuietly(sink);
            MDC.remove("sink");
        }
    }

    /** The running sink instance, if any; its {@link Sink#checkHealth()} may be called from any thread. */
    java.util.Optional<Sink> sink() {
        return java.util.Optional.ofNullable(liveSink);
    }

    private Sink createSink() {
        SinkContext context = new SinkContext(settings.name(), settings.sinkConfig());
        for (int attempt = 1; !stopping.get(); attempt++) {
            try {
                return factory.create(context);
            } catch (RetriableSinkException e) {
                health.retrying("cannot start sink " + settings.name() + ": " + e.getMessage());
                log.warn("sink {}: store not reachable at start ({}); retrying", settings.name(), e.getMessage());
                if (!sleepWhileRunning(settings.retry().backoff(attempt))) {
                    break;
                }
            }
        }
        return null;
    }

    private void flush(BatchWriter writer, List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch) {
        long start = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = writer.write(batch, owned::contains, this::pausedWait);
        commit(offsets);
        metrics.batches.increment();
        metrics.batchSize.record(batch.size());
        metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Commits a resolved batch asynchronously: a round trip per batch would cost the consumer a large share of its
     * throughput. Commits are sent in order, and a failed one is covered by the next, or by {@link #commitSync} when
     * partitions are revoked or the worker stops, so the only effect of a lost async commit is a redelivery.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().retainAll(owned);
        if (offsets.isEmpty()) {
            return;
        }
        completed.putAll(offsets);
        consumer.commitAsync(new HashMap<>(offsets), (committed, e) -> {
            if (e != null) {
                commitFailed = true;
                log.debug(
                        "sink {}: async commit failed ({}); the next commit covers it", settings.name(), e.toString());
            }
        });
    }

    /**
     * Makes the completed offsets of {@code partitions} durable: before they are given up ({@code forget}), or after
     * an async commit failed.
     */
    private void commitSync(Collection<TopicPartition> partitions, boolean forget) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = forget ? completed.remove(tp) : completed.get(tp);
            if (offset != null) {
                offsets.put(tp, offset);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (RebalanceInProgressException e) {
            if (!forget) {
                commitFailed = true; // still ours: try again on the next loop, once the rebalance is over
            }
            log.debug("sink {}: offset commit deferred by a rebalance", settings.name());
        } catch (KafkaException e) {
            // Safe: the events are stored under their ids; the next owner redelivers and overwrites them.
            log.warn(
                    "sink {}: offset commit failed ({}); events may be redelivered and overwritten",
                    settings.name(),
                    e.toString());
        }
    }

    /** Backoff that keeps the consumer in its group: partitions paused, polling until the time is up. */
    private boolean pausedWait(Duration backoff) {
        long deadline = System.nanoTime() + backoff.toNanos();
        try {
            while (!stopping.get()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return true;
                }
                consumer.pause(consumer.assignment());
                poll(Math.min(left, MAX_POLL_BLOCK_MS));
            }
            return false;
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    private void poll(long millis) {
        ConsumerRecords<ByteBuffer, ByteBuffer> records = consumer.poll(Duration.ofMillis(millis));
        if (!records.isEmpty()) {
            buffer.addAll(records);
        }
    }

    private boolean sleepWhileRunning(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!stopping.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(MAX_POLL_BLOCK_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping.get();
    }

    private void closeQuietly(Sink sink) {
        if (sink == null) {
            return;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            log.warn("sink {}: close failed", settings.name(), e);
        }
    }

    /** Tracks ownership; buffered records of a lost partition are dropped, its new owner redelivers them. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            log.info("sink {}: assigned {}", settings.name(), partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitSync(partitions, true);
            lose(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(completed::remove); // no longer ours to commit
            lose(partitions);
        }

        private void lose(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            buffer.dropPartitions(partitions);
            if (!partitions.isEmpty()) {
                log.info("sink {}: revoked {}", settings.name(), partitions);
            }
        }
    }
}
