package io.streamloader.rollup;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.RunnerHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running clickstream rollup: a {@link KafkaStreams} instance of {@link ClickRollupTopology}. Instances with the
 * same {@code application-id}, in this process or others, share the input partitions and move state between them as
 * Kafka Streams rebalances.
 *
 * <ol>
 *   <li>{@link #start()} checks that the input, output and dead-letter topics exist (the project never creates topics
 *       implicitly) and warns when the output is not compacted, then starts the streams threads and returns; it throws
 *       when a topic is missing or Kafka cannot be reached.
 *   <li>{@link #start(MeterRegistry)} also exports the processor's rate and state ({@link RollupMetrics}, tag {@code
 *       processor}) and Kafka Streams' own metrics (Micrometer's {@link KafkaStreamsMetrics}, same tag) until {@link
 *       #close()}.
 *   <li>{@link #health()} is {@code STARTING} while joining and restoring state, {@code RUNNING} when processing,
 *       {@code FAILED} with the cause after an error that stopped the streams client, {@code STOPPED} after {@link
 *       #close()}.
 *   <li>{@link #close()} stops the threads and commits; idempotent, and safe before {@link #start()}.
 * </ol>
 *
 * Thread-safe.
 */
public final class ClickRollupProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickRollupProcessor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final ClickRollupConfig config;
    private final Map<String, Object> kafkaProperties;
    private volatile RunnerHealth health = new RunnerHealth(RunnerHealth.State.STOPPED, "not started", Instant.now());
    private volatile String failure;
    private KafkaStreams streams;
    private RollupMetrics metrics;
    private KafkaStreamsMetrics streamsMetrics;
    private boolean closed;

    /**
     * @param config the processor's settings
     * @param kafkaProperties client properties for every Kafka client of the processor; must hold {@code
     *     bootstrap.servers} (see {@code KafkaSettings.clientProperties()})
     */
    public ClickRollupProcessor(ClickRollupConfig config, Map<String, Object> kafkaProperties) {
        this.config = Objects.requireNonNull(config, "config");
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        if (!this.kafkaProperties.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("kafkaProperties must hold bootstrap.servers");
        }
    }

    public String name() {
        return config.name();
    }

    public ClickRollupConfig config() {
        return config;
    }

    /**
     * Checks the topics and starts processing in the background, with meters nobody reads.
     *
     * @throws IllegalStateException when a topic is missing, Kafka cannot be reached, or this was closed or started
     */
    public void start() {
        start(new SimpleMeterRegistry());
    }

    /**
     * Checks the topics and starts processing in the background, exporting the processor's meters to {@code
     * registry}.
     *
     * @throws IllegalStateException when a topic is missing, Kafka cannot be reached, or this was closed or started
     */
    public synchronized void start(MeterRegistry registry) {
        if (closed || streams != null) {
            throw new IllegalStateException("processor " + name() + " was already started or closed");
        }
        health = new RunnerHealth(RunnerHealth.State.STARTING, "checking topics", Instant.now());
        RollupMetrics meters = new RollupMetrics(name(), registry, this::health);
        try {
            checkTopics();
        } catch (RuntimeException e) {
            meters.close();
            throw e;
        }
        KafkaStreams candidate = new KafkaStreams(ClickRollupTopology.build(config, meters), streamsProperties());
        candidate.setStateListener((now, before) -> onState(now));
        candidate.setUncaughtExceptionHandler(e -> {
            failure = e.toString();
            LOG.error("processor {}: stream thread failed, stopping the processor", name(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(candidate, Tags.of("processor", name()));
        try {
            binder.bindTo(registry);
            candidate.start();
        } catch (RuntimeException e) {
            candidate.close(CLOSE_TIMEOUT);
            binder.close();
            meters.close();
            health = new RunnerHealth(RunnerHealth.State.FAILED, e.toString(), Instant.now());
            throw e;
        }
        streams = candidate;
        metrics = meters;
        streamsMetrics = binder;
        LOG.info(
                "processor {}: rolling up {} into {} (application id {}, {}, dead letters to {})",
                name(),
                config.input(),
                config.output(),
                config.applicationId(),
                config.exactlyOnce() ? "exactly once" : "at least once",
                config.deadLetterTopic());
    }

    public RunnerHealth health() {
        return health;
    }

    @Override
    public void close() {
        KafkaStreams toClose;
        RollupMetrics meters;
        KafkaStreamsMetrics binder;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = streams;
            meters = metrics;
            binder = streamsMetrics;
        }
        if (toClose != null) {
            toClose.close(CLOSE_TIMEOUT);
            binder.close();
        }
        health = failure != null
                ? new RunnerHealth(RunnerHealth.State.FAILED, failure, Instant.now())
                : new RunnerHealth(RunnerHealth.State.STOPPED, "", Instant.now());
        if (meters != null) {
            meters.close(); // after the final state: a scrape in between still sees it
        }
        LOG.info("processor {}: stopped", name());
    }

    /** Kafka Streams settings: the shared client properties, then this processor's, then its {@code streams:} map. */
    Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        props.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        // Kafka's default producer acks for Streams is all; keep idempotence on for at-least-once as well.
        props.put(StreamsConfig.producerPrefix("enable.idempotence"), true);
        props.putAll(config.streams());
        return props;
    }

    private void onState(KafkaStreams.State state) {
        RunnerHealth.State mapped = switch (state) {
            case CREATED, REBALANCING -> RunnerHealth.State.STARTING;
            case RUNNING -> RunnerHealth.State.RUNNING;
            case PENDING_ERROR, ERROR -> RunnerHealth.State.FAILED;
            case PENDING_SHUTDOWN, NOT_RUNNING ->
                failure != null ? RunnerHealth.State.FAILED : RunnerHealth.State.STOPPED;
        };
        String detail = mapped == RunnerHealth.State.FAILED ? Objects.requireNonNullElse(failure, state.name()) : "";
        health = new RunnerHealth(mapped, detail, Instant.now());
        LOG.info("processor {}: {}", name(), state);
    }

    private void checkTopics() {
        Map<String, Object> adminProps = new HashMap<>(kafkaProperties);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics()
                    .names()
                    .get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>();
            for (String topic : List.of(config.input(), config.output(), config.deadLetterTopic())) {
                if (!existing.contains(topic)) {
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("processor " + name() + ": topic(s) " + missing
                        + " do not exist; create them (streamloader topics create; the output "
                        + config.output() + " with cleanup.policy=compact)");
            }
            ConfigResource output = new ConfigResource(ConfigResource.Type.TOPIC, config.output());
            Config outputConfig = admin.describeConfigs(List.of(output))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .get(output);
            ConfigEntry policy = outputConfig == null ? null : outputConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn(
                        "processor {}: output topic {} is not compacted (cleanup.policy={}); it keeps every update"
                                + " instead of the latest rollup per pair",
                        name(),
                        config.output(),
                        policy == null ? "?" : policy.value());
            }
        } catch (ExecutionException | TimeoutException e) {
            fail("cannot check topics on Kafka: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while checking topics", e);
        } catch (IllegalStateException e) {
            health = new RunnerHealth(RunnerHealth.State.FAILED, e.getMessage(), Instant.now());
            throw e;
        }
    }

    private void fail(String message, Exception cause) {
        health = new RunnerHealth(RunnerHealth.State.FAILED, message, Instant.now());
        throw new IllegalStateException("processor " + name() + ": " + message, cause);
    }

    @Override
    public String toString() {
        return "ClickRollupProcessor[" + config + "]";
    }
}
