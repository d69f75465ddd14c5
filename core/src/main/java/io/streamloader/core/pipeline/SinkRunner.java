package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One configured sink at work: its own consumer group, one {@link io.streamloader.spi.Sink} opened for the runner,
 * {@code workers} threads each with a consumer and a writer of that sink, and a shared dead-letter producer.
 * Independent of every other runner, so a stuck store holds up only its own sink. The workers of one start are a
 * {@link RunnerGeneration}, their Kafka clients come from {@link RunnerClients}; this class supervises them.
 *
 * <p>Lifecycle: {@link #start()} once; {@link #close()} stops the workers (each finishes or abandons its batch,
 * commits what was written) and waits for them. The runner is supervised: once a worker fails (a fatal sink error),
 * all of its workers stop, commit what they wrote and close their consumers and writers, then the sink and producer
 * close, and then, by {@link SupervisionPolicy}, a fresh set starts after a backoff (same group: it resumes from the
 * committed offsets), or the runner stays {@code FAILED}, or it {@linkplain #exitRequested() asks the process to
 * exit}. {@link #health()} says which, why, and how many restarts there were.
 */
public final class SinkRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Room above the largest source record for the headers a letter adds: the dead-letter producer's {@code
     * max.request.size} and (by {@code topics create}) a dead-letter topic's {@code max.message.bytes} are the source's
     * limit plus this.
     */
    public static final int DEAD_LETTER_HEADROOM = 64 * 1024;
    /** Kafka's default {@code message.max.bytes}: what a topic without its own {@code max.message.bytes} accepts. */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = TopicLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;

    private final RunnerSettings settings;
    private final ConfiguredSink<?> sink;
    private final PipelineMetrics metrics;
    private final Counter restarts;
    private final RunnerClients clients;
    private final Object lock = new Object();
    private final AtomicInteger restartCount = new AtomicInteger();
    private boolean closed; // guarded by lock
    private volatile RunnerGeneration current;
    /** Set while the runner is not running a generation because of a failure (backoff, stopped, exiting). */
    private volatile RunnerHealth failure;

    private volatile String lastFailure;
    private volatile boolean finished;
    private volatile boolean exitRequested;
    private Thread supervisor;

    /**
     * @param kafkaProperties client properties shared by consumers and the dead-letter producer; must hold {@code
     *     bootstrap.servers}. Group id, offset handling and (de)serializers are set here and cannot be overridden.
     */
    public SinkRunner(
            RunnerSettings settings,
            SinkFactory<?> factory,
            Map<String, Object> kafkaProperties,
            MeterRegistry registry) {
        this(
                settings,
                ConfiguredSink.parse(
                        factory, new SinkContext(settings.name(), settings.sinkConfig(), settings.workers())),
                kafkaProperties,
                registry);
    }

    /**
     * A runner of a sink whose settings were parsed already ({@code config check} and startup parse them once).
     *
     * @param kafkaProperties as for {@link #SinkRunner(RunnerSettings, SinkFactory, Map, MeterRegistry)}
     */
    public SinkRunner(
            RunnerSettings settings,
            ConfiguredSink<?> sink,
            Map<String, Object> kafkaProperties,
            MeterRegistry registry) {
        if (!sink.name().equals(settings.name()) || sink.context().workers() != settings.workers()) {
            throw new IllegalArgumentException(
                    "sink " + sink.name() + " (" + sink.context().workers()
                            + " worker(s)) was parsed for another runner than " + settings.name() + " ("
                            + settings.workers() + " worker(s))");
        }
        if (!settings.transforms().isResolved()) {
            throw new IllegalArgumentException("sinks." + settings.name()
                    + ".transforms: not resolved; call RunnerSettings.withTransforms(transforms().resolve(lookup))");
        }
        this.settings = settings.withBatch(settings.batch().resolve(sink.factory()));
        this.sink = sink;
        this.metrics = new PipelineMetrics(registry, settings.name());
        this.restarts = Counter.builder("streamloader.runner.restarts")
                .description("Times the runner was restarted after a failure")
                .tag("sink", settings.name())
                .register(registry);
        this.clients = new RunnerClients(this.settings, kafkaProperties, registry, DEAD_LETTER_TIMEOUT);
    }

    public String name() {
        return settings.name();
    }

    public RunnerSettings settings() {
        return settings;
    }

    /** Starts the first set of workers and the supervisor that replaces them when they fail. */
    public void start() {
        synchronized (lock) {
            if (supervisor != null || closed) {
                throw new IllegalStateException("sink runner " + settings.name() + " already started");
            }
            current = newGeneration();
            try {
                current.start();
            } catch (RuntimeException e) {
                current.fail(e.toString()); // workers already started stop; nothing of theirs outlives the error
                current.stop();
                closed = true;
                throw e;
            }
            supervisor = new Thread(this::supervise, "sl-" + settings.name() + "-supervisor");
            supervisor.setDaemon(true);
            supervisor.start();
        }
        log.info(
                "sink {} ({}) started: {} worker(s), group {}, topics {}, batches of up to {} records, on failure {}",
                settings.name(),
                settings.type(),
                settings.workers(),
                settings.groupId(),
                settings.topics(),
                settings.batch().maxRecords(),
                settings.supervision().onFailure().configName());
    }

    /**
     * The worst state among the current workers: FAILED, then RETRYING, then STARTING, then the rest. Between a
     * failure and the restart, {@code FAILED} with "restarting in ... after failure #n: reason"; once restarted and
     * running, the detail names the restarts and the last failure.
     */
    public RunnerHealth health() {
        RunnerHealth failed = failure;
        if (failed != null) {
            return failed;
        }
        RunnerGeneration generation = current;
        RunnerHealth health =
                generation == null ? RunnerHealth.of(RunnerHealth.State.STARTING, "not started") : generation.health();
        int n = restartCount.get();
        if (n > 0 && health.detail().isEmpty()) {
            return new RunnerHealth(
                    health.state(), "restarted " + n + " time(s); last failure: " + lastFailure, health.since());
        }
        return health;
    }

    /** How often the supervisor restarted this runner. */
    public int restarts() {
        return restartCount.get();
    }

    /** True once the runner failed and will not run again (on-failure stop or exit). */
    public boolean hasFailedForGood() {
        return finished;
    }

    /** True once the runner failed with on-failure {@code exit}: the process should exit with a failure code. */
    public boolean exitRequested() {
        return exitRequested;
    }

    /**
     * Asks the runner's open sink whether its store is reachable ({@link io.streamloader.spi.Sink#checkHealth()}),
     * waiting at most {@code timeout}. Catches an outage while no events flow, which {@link #health()} cannot see.
     *
     * @return empty when reachable (or no sink is running yet), else why not
     */
    public Optional<String> checkStore(Duration timeout) {
        RunnerGeneration generation = current;
        Optional<io.streamloader.spi.Sink> sink = generation == null ? Optional.empty() : generation.openSink();
        if (sink.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<Optional<String>> probe = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        sink.get().checkHealth();
                        return Optional.empty();
                    } catch (Exception e) {
                        return Optional.of(String.valueOf(e.getMessage()));
                    }
                },
                Thread::startVirtualThread);
        try {
            return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("store did not answer a health check within " + timeout);
        } catch (ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Waits until every worker of the current set has ended; true when they did within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        RunnerGeneration generation = current;
        return generation == null || generation.awaitTermination(timeout);
    }

    /** Stops the supervisor and the workers, waits up to 30 s for them to commit and close. Idempotent. */
    @Override
    public void close() {
        Thread watcher;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            watcher = supervisor;
        }
        RunnerGeneration generation = current;
        if (generation != null) {
            generation.stop();
        }
        if (watcher != null) {
            try {
                watcher.join(Duration.ofSeconds(45));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null && !finished) { // closed while waiting to restart: it will not
            failure = RunnerHealth.of(
                    RunnerHealth.State.FAILED, "stopped before restarting; last failure: " + lastFailure);
        }
        log.info("sink {} stopped: {}", settings.name(), health());
    }

    /** The supervisor's loop: waits for the current workers to fail, then restarts, stops or asks for the exit. */
    private void supervise() {
        MDC.put("sink", settings.name());
        int consecutive = 0;
        while (true) {
            RunnerGeneration generation = current;
            String reason = generation.awaitFailure(() -> closed);
            if (reason == null) {
                return; // closed: close() stops the workers
            }
            generation.stop();
            lastFailure = reason;
            consecutive = generation.ranFor().compareTo(settings.supervision().maxBackoff()) > 0 ? 1 : consecutive + 1;
            int failureNumber = restartCount.get() + 1;
            switch (settings.supervision().onFailure()) {
                case STOP -> {
                    finish("stopped after failure: " + reason + " (on-failure: stop)", false);
                    return;
                }
                case EXIT -> {
                    finish("failed: " + reason + " (on-failure: exit; the process exits)", true);
                    return;
                }
                case RESTART -> {
                    Duration backoff = settings.supervision().backoff(consecutive);
                    failure = RunnerHealth.of(
                            RunnerHealth.State.FAILED,
                            "restarting in " + seconds(backoff) + " after failure #" + failureNumber + ": " + reason);
                    log.warn(
                            "sink {}: failed ({}); restarting in {} (failure #{})",
                            settings.name(),
                            reason,
                            seconds(backoff),
                            failureNumber);
                    if (!restartAfter(backoff)) {
                        return;
                    }
                }
            }
        }
    }

    /** Waits the backoff, then starts a fresh set of workers; false when closed meanwhile. */
    private boolean restartAfter(Duration backoff) {
        long deadline = System.nanoTime() + backoff.toNanos();
        synchronized (lock) {
            try {
                for (long left = backoff.toNanos(); !closed && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (closed) {
                return false;
            }
            restartCount.incrementAndGet();
            restarts.increment();
            RunnerGeneration next = newGeneration();
            current = next;
            failure = null;
            try {
                next.start();
            } catch (RuntimeException e) {
                // e.g. a client that cannot be built: counts as this generation's failure, handled by the loop
                log.error("sink {}: restart failed", settings.name(), e);
                next.fail(e.toString());
            }
            log.info("sink {}: restarted (restart #{})", settings.name(), restartCount.get());
            return true;
        }
    }

    /** "4s", or "1.5s" below a minute; what the health detail shows. */
    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0
                ? millis / 1000 + "s"
                : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private void finish(String detail, boolean exit) {
        failure = RunnerHealth.of(RunnerHealth.State.FAILED, detail);
        finished = true;
        exitRequested = exit;
        log.error("sink {}: {}", settings.name(), detail);
    }

    private RunnerGeneration newGeneration() {
        return new RunnerGeneration(settings, sink, clients, metrics, DEAD_LETTER_TIMEOUT, lock);
    }
}
