package io.streamloader.sink.postgresminio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.core.pipeline.TransformChain;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.Event;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka and sink runners for end-to-end tests. Records are produced the way producer-api writes them: header {@code
 * sl-event-id}, header {@code content-type}, and for binary bodies the metadata as headers {@code meta.<name>}.
 */
final class TestingPipeline implements AutoCloseable {
    final KafkaService kafka = DevStack.kafka();
    final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    final String topic;
    /** The meters of every runner this pipeline started. */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final List<SinkRunner> runners = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;

    TestingPipeline(String topicPrefix, int partitions) {
        this.topic = topicPrefix + "-" + System.nanoTime();
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        8 << 20),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A runner of the postgres-minio sink, with short backoffs. */
    SinkRunner start(String groupId, int workers, Map<String, String> sinkConfig) {
        return start(groupId, workers, sinkConfig, TransformChain.NONE);
    }

    /** A runner of the postgres-minio sink with a (resolved) transform chain. */
    SinkRunner start(String groupId, int workers, Map<String, String> sinkConfig, TransformChain transforms) {
        return start("archive", groupId, workers, sinkConfig, transforms);
    }

    /** A runner named {@code name} (its connections' {@code application_name} is {@code streamloader-<name>}). */
    SinkRunner start(
            String name, String groupId, int workers, Map<String, String> sinkConfig, TransformChain transforms) {
        RunnerSettings settings = RunnerSettings.builder(name)
                .type(PostgresMinioSinkFactory.TYPE)
                .topics(List.of(topic))
                .groupId(groupId)
                .workers(workers)
                .batch(new BatchPolicy(500, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0, 0.2, Duration.ZERO))
                .sinkConfig(sinkConfig)
                .build()
                .withTransforms(transforms);
        SinkRunner runner =
                new SinkRunner(settings, new PostgresMinioSinkFactory(), testing.clientProperties(), meters);
        runners.add(runner);
        runner.start();
        return runner;
    }

    /** Sends one record as producer-api would; returns its pending ack. */
    Future<?> send(String id, byte[] value, String contentType, Map<String, String> meta) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value);
        record.headers().add(Event.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Event.CONTENT_TYPE_HEADER, contentType.getBytes(StandardCharsets.UTF_8));
        meta.forEach((k, v) -> record.headers().add("meta." + k, v.getBytes(StandardCharsets.UTF_8)));
        return producer.send(record);
    }

    /** Sends a record as it is; returns its pending ack. */
    Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return producer.send(record);
    }

    void sendJson(String id, String json) {
        await(send(id, json.getBytes(StandardCharsets.UTF_8), "application/json", Map.of()));
    }

    static void await(Future<?> ack) {
        try {
            ack.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("producing a test record failed", e);
        }
    }

    @Override
    public void close() {
        runners.forEach(SinkRunner::close);
        producer.close();
    }
}
