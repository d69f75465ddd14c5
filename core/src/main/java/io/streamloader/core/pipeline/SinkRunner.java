package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One configured sink at work: its own consumer group, one {@link io.streamloader.spi.Sink} opened for the runner,
 * {@code workers} threads each with a consumer and a writer of that sink, and a shared dead-letter producer. Independent of every other runner, so a stuck store holds up only
 * its own sink.
 *
 * <p>Lifecycle: {@link #start()} once; {@link #close()} stops the workers (each finishes or abandons its batch,
 * commits what was written) and waits for them. The runner is supervised: once a worker fails (a fatal sink error),
 * all of its workers stop, commit what they wrote and close their consumers and writers, then the sink and producer
 * close, and then, by {@link
 * SupervisionPolicy}, a fresh set starts after a backoff (same group: it resumes from the committed offsets), or the
 * runner stays {@code FAILED}, or it {@linkplain #exitRequested() asks the process to exit}. {@link #health()} says
 * which, why, and how many restarts there were.
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
    private final Map<String, Object> kafkaProperties;
    private final MeterRegistry registry;
    private final PipelineMetrics metrics;
    private final Counter restarts;
    private final TopicLimits topicLimits;
    private final Object lock = new Object();
    private final AtomicInteger restartCount = new AtomicInteger();
    private boolean closed; // guarded by lock
    private volatile Generation current;
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
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.registry = registry;
        this.metrics = new PipelineMetrics(registry, settings.name());
        this.restarts = Counter.builder("streamloader.runner.restarts")
                .description("Times the runner was restarted after a failure")
                .tag("sink", settings.name())
                .register(registry);
        this.topicLimits =
                new TopicLimits(filter(this.kafkaProperties, AdminClientConfig.configNames()), DEAD_LETTER_TIMEOUT);
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
            current = new Generation();
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
        Generation generation = current;
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
        Generation generation = current;
        Optional<io.streamloader.spi.Sink> sink =
                generation == null ? Optional.empty() : generation.runnerSink.current();
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
        Generation generation = current;
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
        Generation generation = current;
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
            Generation generation = current;
            String reason = generation.awaitFailure(lock, () -> closed);
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
            Generation next = new Generation();
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

    /** Builds the dead-letter producer on first use, able to send the largest record its sources allow. */
    private KafkaProducer<byte[], byte[]> newDeadLetterProducer(List<AutoCloseable> meters) {
        int sources = topicLimits.largest(settings.topics());
        int letters = topicLimits.largest(
                settings.topics().stream().map(settings::deadLetterTopicFor).toList());
        int maxRequest = Math.max(sources, letters) + DEAD_LETTER_HEADROOM;
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(maxRequest));
        meters.add(bind(new KafkaClientMetrics(producer, Tags.of("sink", settings.name()))));
        log.info(
                "sink {}: dead-letter producer started (max.request.size {} bytes: largest source or dead-letter"
                        + " topic limit plus headroom)",
                settings.name(),
                maxRequest);
        return producer;
    }

    private AutoCloseable bind(KafkaClientMetrics clientMetrics) {
        clientMetrics.bindTo(registry);
        return clientMetrics;
    }

    /**
     * One set of workers with their consumers and writers, the sink they share, the dead-letter producer and meters;
     * never restarted itself: the supervisor replaces a failed one by a new one (which opens the sink again).
     */
    private final class Generation {
        private final RunnerSink runnerSink = new RunnerSink(sink);
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<HealthTracker> workerHealth = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Worker> workers = new ArrayList<>();
        private final List<AutoCloseable> meters = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile String failedWith;
        private KafkaProducer<byte[], byte[]> producer; // guarded by this

        void start() {
            DeadLetterPublisher deadLetters =
                    new DeadLetterPublisher(this::producer, settings, DEAD_LETTER_TIMEOUT, topicLimits::of);
            for (int i = 0; i < settings.workers(); i++) {
                KafkaConsumer<ByteBuffer, ByteBuffer> consumer = new KafkaConsumer<>(consumerProperties(i));
                synchronized (this) {
                    // tagged with the sink, so lag per sink and partition needs no client-id pattern
                    meters.add(bind(new KafkaClientMetrics(consumer, Tags.of("sink", settings.name()))));
                }
                HealthTracker health = new HealthTracker();
                workerHealth.add(health);
                Worker worker =
                        new Worker(settings, consumer, runnerSink, deadLetters, metrics, health, stopping, this::fatal);
                workers.add(worker);
                Thread thread = new Thread(worker, "sl-" + settings.name() + "-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private synchronized KafkaProducer<byte[], byte[]> producer() {
            if (stopped.get()) {
                throw new IllegalStateException("sink " + settings.name() + " is stopping");
            }
            if (producer == null) {
                producer = newDeadLetterProducer(meters);
            }
            return producer;
        }

        RunnerHealth health() {
            return workerHealth.stream()
                    .map(HealthTracker::get)
                    .max(Comparator.comparingInt(h -> severity(h.state())))
                    .orElse(RunnerHealth.of(RunnerHealth.State.STARTING, "not started"));
        }

        /** Called by a worker after it failed: stop the others too, wake the supervisor. */
        private void fatal() {
            stopping.set(true);
            synchronized (lock) {
                if (failedWith == null) {
                    RunnerHealth health = health();
                    failedWith = health.detail().isEmpty() ? "a worker failed" : health.detail();
                }
                lock.notifyAll();
            }
        }

        void fail(String reason) {
            synchronized (lock) {
                failedWith = reason;
                stopping.set(true);
                lock.notifyAll();
            }
        }

        /** Blocks until a worker failed (its reason) or {@code closed} holds (null). */
        String awaitFailure(Object monitor, java.util.function.BooleanSupplier closed) {
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
                if (!awaitTermination(Duration.ofSeconds(30))) {
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

    private Map<String, Object> consumerProperties(int worker) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Math.min(settings.batch().maxRecords(), 10_000));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // 4 MiB per partition instead of Kafka's 1 MiB: fewer, larger fetches cost the broker less per event (bench
        // pipeline: no-op sink 351-368k -> 489-612k events/s); fetch.max.bytes still caps a whole response
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        // a worker that joins or leaves is noticed at the others' next heartbeat: 1 s instead of Kafka's 3 s makes the
        // two rounds of a cooperative rebalance (scaling out, a restarted worker) take ~2 s instead of ~6 s
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        // never store what a transactional producer (e.g. the exactly-once rollup) aborted
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(kafkaProperties);
        io.streamloader.core.config.GroupProtocol.applyTo(props, kafkaProperties); // KIP-848 refuses classic-only keys
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sl-" + settings.name() + "-" + worker);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        return filter(props, ConsumerConfig.configNames());
    }

    private Map<String, Object> producerProperties(int maxRequestSize) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a dead-letter topic that is missing or unreachable shows as RETRYING within 10 s instead of Kafka's 60
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putAll(kafkaProperties);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2L * maxRequestSize));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sl-" + settings.name() + "-dlq");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return filter(props, ProducerConfig.configNames());
    }

    /** Shared client properties hold consumer-only and producer-only keys; give each client only its own. */
    private static Map<String, Object> filter(Map<String, Object> props, java.util.Set<String> known) {
        Map<String, Object> out = new HashMap<>();
        props.forEach((k, v) -> {
            if (known.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.") || k.equals("security.protocol")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
