package io.streamloader.core.pipeline;

import io.streamloader.spi.Sink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of a runner's workers with their consumers and writers, the sink they share ({@link RunnerSink}), the
 * dead-letter producer and the clients' meters. Never restarted itself: {@link SinkRunner}'s supervisor replaces a
 * failed one by a new one (which opens the sink again).
 *
 * <p>Lifecycle: {@link #start()} once; a worker's failure stops the others and wakes whoever waits in {@link
 * #awaitFailure}; {@link #stop()} (idempotent) stops the workers, waits for them, then closes the sink, the producer and
 * the meters. Failure signals are sent under the runner's {@code monitor}.
 */
final class RunnerGeneration {
    private static final Logger log = LoggerFactory.getLogger(RunnerGeneration.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final RunnerSettings settings;
    private final RunnerClients clients;
    private final PipelineMetrics metrics;
    private final Duration deadLetterTimeout;
    private final Object monitor;
    private final RunnerSink runnerSink;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<HealthTracker> workerHealth = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> meters = new ArrayList<>(); // guarded by this
    private final long startedNanos = System.nanoTime();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile String failedWith; // written under monitor
    private KafkaProducer<byte[], byte[]> producer; // guarded by this

    /** @param monitor the runner's lock: failures are signalled on it */
    RunnerGeneration(
            RunnerSettings settings,
            ConfiguredSink<?> sink,
            RunnerClients clients,
            PipelineMetrics metrics,
            Duration deadLetterTimeout,
            Object monitor) {
        this.settings = settings;
        this.clients = clients;
        this.metrics = metrics;
        this.deadLetterTimeout = deadLetterTimeout;
        this.monitor = monitor;
        this.runnerSink = new RunnerSink(sink);
    }

    /** Starts a thread per worker; a consumer that cannot be built throws (workers started so far keep running). */
    void start() {
        DeadLetterPublisher deadLetters =
                new DeadLetterPublisher(this::producer, settings, deadLetterTimeout, clients.topicLimits()::of);
        for (int i = 0; i < settings.workers(); i++) {
            KafkaConsumer<ByteBuffer, ByteBuffer> consumer = clients.consumer(i);
            synchronized (this) {
                meters.add(clients.meter(consumer));
            }
            HealthTracker health = new HealthTracker();
            workerHealth.add(health);
            Worker worker =
                    new Worker(settings, consumer, runnerSink, deadLetters, metrics, health, stopping, this::fatal);
            Thread thread = new Thread(worker, "sl-" + settings.name() + "-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    /** The dead-letter producer, built on first use. */
    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (stopped.get()) {
            throw new IllegalStateException("sink " + settings.name() + " is stopping");
        }
        if (producer == null) {
            producer = clients.deadLetterProducer();
            meters.add(clients.meter(producer));
        }
        return producer;
    }

    /** The sink, once a worker opened it and until it closed. */
    Optional<Sink> openSink() {
        return runnerSink.current();
    }

    /** The worst state among the workers: FAILED, then RETRYING, then STARTING, then the rest. */
    RunnerHealth health() {
        return workerHealth.stream()
                .map(HealthTracker::get)
                .max(Comparator.comparingInt(h -> severity(h.state())))
                .orElse(RunnerHealth.of(RunnerHealth.State.STARTING, "not started"));
    }

    /** Called by a worker after it failed: stop the others too, wake the supervisor. */
    private void fatal() {
        stopping.set(true);
        synchronized (monitor) {
            if (failedWith == null) {
                RunnerHealth health = health();
                failedWith = health.detail().isEmpty() ? "a worker failed" : health.detail();
            }
            monitor.notifyAll();
        }
    }

    /** Fails this generation with {@code reason}: its workers stop, the supervisor wakes. */
    void fail(String reason) {
        synchronized (monitor) {
            failedWith = reason;
            stopping.set(true);
            monitor.notifyAll();
        }
    }

    /** Blocks until a worker failed (its reason) or {@code closed} holds (null). */
    String awaitFailure(BooleanSupplier closed) {
        synchronized (monitor) {
            while (failedWith == null && !closed.getAsBoolean()) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return closed.getAsBoolean() ? null : failedWith;
        }
    }

    Duration ranFor() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            thread.join(Duration.ofNanos(left));
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the workers, waits for them (each closes its consumer and writer), closes the sink once the last writer
     * closed, then the producer and meters.
     */
    void stop() {
        stopping.set(true);
        try {
            if (!awaitTermination(STOP_WAIT)) {
                log.warn("sink {}: workers did not stop within 30 s", settings.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runnerSink.closeWhenUnused();
        if (stopped.getAndSet(true)) {
            return;
        }
        synchronized (this) {
            for (AutoCloseable meter : meters) {
                try {
                    meter.close();
                } catch (Exception e) {
                    log.debug("closing meters failed", e);
                }
            }
            meters.clear();
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    private static int severity(RunnerHealth.State state) {
        return switch (state) {
            case FAILED -> 4;
            case RETRYING -> 3;
            case STARTING -> 2;
            case STOPPED -> 1;
            case RUNNING -> 0;
        };
    }
}
