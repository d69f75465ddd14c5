package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured sink at work: its own consumer group, {@code workers} threads each with a consumer and a sink
 * instance, and a shared dead-letter producer. Independent of every other runner, so a stuck store holds up only
 * its own sink.
 *
 * <p>Lifecycle: {@link #start()} once; {@link #close()} stops the workers (each finishes or abandons its batch,
 * commits what was written) and waits for them. A fatal sink error stops the whole runner; {@link #health()} then
 * says {@code FAILED} and why.
 */
public final class SinkRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);

    private final RunnerSettings settings;
    private final SinkFactory factory;
    private final Map<String, Object> kafkaProperties;
    private final MeterRegistry registry;
    private final PipelineMetrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<HealthTracker> workerHealth = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<AutoCloseable> meters = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> deadLetterProducer;

    /**
     * @param kafkaProperties client properties shared by consumers and the dead-letter producer; must hold {@code
     *     bootstrap.servers}. Group id, offset handling and (de)serializers are set here and cannot be overridden.
     */
    public SinkRunner(
            RunnerSettings settings, SinkFactory factory, Map<String, Object> kafkaProperties, MeterRegistry registry) {
        this.settings = settings.withBatch(settings.batch().resolve(factory));
        this.factory = factory;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.registry = registry;
        this.metrics = new PipelineMetrics(registry, settings.name());
    }

    public String name() {
        return settings.name();
    }

    public RunnerSettings settings() {
        return settings;
    }

    public synchronized void start() {
        if (deadLetterProducer != null) {
            throw new IllegalStateException("sink runner " + settings.name() + " already started");
        }
        deadLetterProducer = new KafkaProducer<>(producerProperties());
        meters.add(bind(new KafkaClientMetrics(deadLetterProducer)));
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(deadLetterProducer, settings, DEAD_LETTER_TIMEOUT);
        for (int i = 0; i < settings.workers(); i++) {
            KafkaConsumer<ByteBuffer, ByteBuffer> consumer = new KafkaConsumer<>(consumerProperties(i));
            meters.add(bind(new KafkaClientMetrics(consumer)));
            HealthTracker health = new HealthTracker();
            workerHealth.add(health);
            Worker worker = new Worker(
                    settings, consumer, factory, deadLetters, metrics, health, stopping, this::stopAfterFatal);
            workers.add(worker);
            Thread thread = new Thread(worker, "sl-" + settings.name() + "-" + i);
            threads.add(thread);
            thread.start();
        }
        log.info(
                "sink {} ({}) started: {} worker(s), group {}, topics {}, batches of up to {} records",
                settings.name(),
                settings.type(),
                settings.workers(),
                settings.groupId(),
                settings.topics(),
                settings.batch().maxRecords());
    }

    /** The worst state among the workers: FAILED, then RETRYING, then STARTING, then the rest. */
    public RunnerHealth health() {
        return workerHealth.stream()
                .map(HealthTracker::get)
                .max(Comparator.comparingInt(h -> severity(h.state())))
                .orElse(RunnerHealth.of(RunnerHealth.State.STARTING, "not started"));
    }

    /**
     * Asks a running sink instance whether its store is reachable ({@link io.streamloader.spi.Sink#checkHealth()}),
     * waiting at most {@code timeout}. Catches an outage while no events flow, which {@link #health()} cannot see.
     *
     * @return empty when reachable (or no sink is running yet), else why not
     */
    public Optional<String> checkStore(Duration timeout) {
        Optional<io.streamloader.spi.Sink> sink =
                workers.stream().map(Worker::sink).flatMap(Optional::stream).findFirst();
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

    /** Waits until every worker has ended; true when they did within {@code timeout}. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
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

    /** Stops the workers, waits up to 30 s for them to commit and close, then closes the dead-letter producer. */
    @Override
    public void close() {
        stopping.set(true);
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            if (!awaitTermination(Duration.ofSeconds(30))) {
                log.warn("sink {}: workers did not stop within 30 s", settings.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            if (deadLetterProducer != null) {
                deadLetterProducer.close(Duration.ofSeconds(10));
            }
        }
        log.info("sink {} stopped: {}", settings.name(), health());
    }

    private void stopAfterFatal() {
        stopping.set(true);
    }

    private AutoCloseable bind(KafkaClientMetrics clientMetrics) {
        clientMetrics.bindTo(registry);
        return clientMetrics;
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
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sl-" + settings.name() + "-" + worker);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        return filter(props, ConsumerConfig.configNames());
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(kafkaProperties);
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
