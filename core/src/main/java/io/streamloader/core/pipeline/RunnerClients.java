package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamloader.core.config.GroupProtocol;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

/**
 * A runner's Kafka clients: a consumer per worker and the dead-letter producer, built from the client properties the
 * runners share, with what the pipeline relies on (group, manual commits, byte (de)serializers, client ids) fixed, each
 * client given only the keys it knows, and each metered with the sink's tag. Stateless apart from the topic limits it
 * caches; any thread.
 */
final class RunnerClients {
    private static final Logger log = LoggerFactory.getLogger(RunnerClients.class);

    private final RunnerSettings settings;
    private final Map<String, Object> kafkaProperties;
    private final MeterRegistry registry;
    private final TopicLimits topicLimits;

    /**
     * @param kafkaProperties client properties shared by consumers and the dead-letter producer; must hold {@code
     *     bootstrap.servers}
     * @param adminTimeout how long looking up a topic's size limit may take
     */
    RunnerClients(
            RunnerSettings settings,
            Map<String, Object> kafkaProperties,
            MeterRegistry registry,
            Duration adminTimeout) {
        this.settings = settings;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.registry = registry;
        this.topicLimits = new TopicLimits(only(this.kafkaProperties, AdminClientConfig.configNames()), adminTimeout);
    }

    /** The size limits of the runner's source and dead-letter topics, as the brokers configure them. */
    TopicLimits topicLimits() {
        return topicLimits;
    }

    /** Worker {@code worker}'s consumer. */
    KafkaConsumer<ByteBuffer, ByteBuffer> consumer(int worker) {
        return new KafkaConsumer<>(consumerProperties(worker));
    }

    /** The dead-letter producer, able to send the largest record its source or dead-letter topics allow. */
    KafkaProducer<byte[], byte[]> deadLetterProducer() {
        int sources = topicLimits.largest(settings.topics());
        int letters = topicLimits.largest(
                settings.topics().stream().map(settings::deadLetterTopicFor).toList());
        int maxRequest = Math.max(sources, letters) + SinkRunner.DEAD_LETTER_HEADROOM;
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(maxRequest));
        log.info(
                "sink {}: dead-letter producer started (max.request.size {} bytes: largest source or dead-letter"
                        + " topic limit plus headroom)",
                settings.name(),
                maxRequest);
        return producer;
    }

    /** Binds a consumer's meters, tagged with the sink (lag per sink and partition needs no client-id pattern). */
    AutoCloseable meter(KafkaConsumer<?, ?> consumer) {
        return bind(new KafkaClientMetrics(consumer, Tags.of("sink", settings.name())));
    }

    /** Binds a producer's meters, tagged with the sink. */
    AutoCloseable meter(KafkaProducer<?, ?> producer) {
        return bind(new KafkaClientMetrics(producer, Tags.of("sink", settings.name())));
    }

    private AutoCloseable bind(KafkaClientMetrics clientMetrics) {
        clientMetrics.bindTo(registry);
        return clientMetrics;
    }

    Map<String, Object> consumerProperties(int worker) {
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
        GroupProtocol.applyTo(props, kafkaProperties); // KIP-848 refuses classic-only keys
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sl-" + settings.name() + "-" + worker);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        return only(props, ConsumerConfig.configNames());
    }

    Map<String, Object> producerProperties(int maxRequestSize) {
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
        return only(props, ProducerConfig.configNames());
    }

    /** Shared client properties hold consumer-only and producer-only keys; give each client only its own. */
    private static Map<String, Object> only(Map<String, Object> props, Set<String> known) {
        Map<String, Object> out = new HashMap<>();
        props.forEach((k, v) -> {
            if (known.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.") || k.equals("security.protocol")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
