package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.spi.Transform;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transforms from a config file, through the real pipeline, into the devstack MongoDB: filter keeps telemetry,
 * insert-field adds epoch seconds, route picks the collection, and a hostile route value is dead-lettered.
 */
class MongoTransformsIT {
    private final KafkaService kafka = DevStack.kafka();
    private final MongoService mongo = DevStack.mongo();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private SinkRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
        client.close();
    }

    private static String value(int i) {
        return switch (i % 4) {
            case 0 -> "{\"vin\":\"V" + i + "\",\"kind\":\"Car\",\"debug\":true}";
            case 1 -> "{\"vin\":\"V" + i + "\",\"kind\":\"truck\"}";
            case 2 -> i % 8 == 2 ? "{\"page\":\"/home\"}" : "not json at all";
            default -> i < 50 ? "{\"vin\":\"V" + i + "\",\"kind\":\"../admin\"}" : "{\"vin\":\"V" + i + "\"}";
        };
    }

    @Test
    void filterInsertFieldDropFieldAndRouteThroughThePipeline() {
        String topic = "transforms-" + System.nanoTime();
        String database = "tr_" + Long.toString(System.nanoTime(), 36);
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dlq", 1);
        StreamloaderConfig config = ConfigLoader.parse(
                """
                kafka: { bootstrap-servers: "%s" }
                topics:
                  %s: { partitions: 2 }
                sinks:
                  fleet:
                    type: mongo
                    topics: [%s]
                    batch: { max-linger: 50ms }
                    transforms:
                      - { type: filter, json-pointer: /vin }
                      - { type: insert-field, field: timestamp, value: event-time, format: epoch-seconds }
                      - { type: drop-field, fields: [debug] }
                      - { type: route, json-pointer: /kind }
                    config:
                      connection-string: "%s"
                      database: %s
                """.formatted(kafka.bootstrapServers(), topic, topic, mongo.connectionString(), database), Map.of());
        RunnerSettings settings = config.sinks().getFirst();
        assertThat(settings.transforms().isResolved()).isTrue();
        long before = Instant.now().getEpochSecond();
        int total = 100;
        testing.produce(topic, "e-", total, MongoTransformsIT::value);
        // a producer's own sl-route header is ignored: only the sink's route step decides
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> forged =
                    new ProducerRecord<>(topic, "{\"vin\":\"FORGED\"}".getBytes(StandardCharsets.UTF_8));
            forged.headers().add(Transform.ROUTE_HEADER, "stolen".getBytes(StandardCharsets.UTF_8));
            forged.headers().add("sl-event-id", "forged".getBytes(StandardCharsets.UTF_8));
            producer.send(forged);
        }

        runner =
                new SinkRunner(settings, new MongoSinkFactory(), testing.clientProperties(), new SimpleMeterRegistry());
        runner.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> testing.committedTotal(settings.groupId(), topic) == 101);

        var db = client.getDatabase(database);
        assertThat(ids(db.getCollection(topic + "-car").find())).isEqualTo(ids(0, 4));
        assertThat(ids(db.getCollection(topic + "-truck").find())).isEqualTo(ids(1, 4));
        Set<String> base = IntStream.range(50, total)
                .filter(i -> i % 4 == 3)
                .mapToObj(i -> "e-" + i)
                .collect(Collectors.toCollection(HashSet::new));
        base.add("forged");
        assertThat(ids(db.getCollection(topic).find())).isEqualTo(base);
        assertThat(db.listCollectionNames().into(new java.util.ArrayList<>())).doesNotContain(topic + "-stolen");
        Document car = db.getCollection(topic + "-car")
                .find(new Document("_id", "e-0"))
                .first();
        assertThat(car).containsKeys("vin", "kind", "timestamp").doesNotContainKey("debug");
        assertThat(car.get("timestamp")).isInstanceOfAny(Long.class, Integer.class);
        assertThat(((Number) car.get("timestamp")).longValue())
                .isBetween(before - 5, Instant.now().getEpochSecond());

        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 12);
        assertThat(letters).hasSize(12);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).contains("../admin"); // the original
            assertThat(header(letter, "sl.error.reason"))
                    .contains("transform sinks.fleet.transforms[3] (route) failed")
                    .contains("must match [a-z0-9_]{1,64}");
            assertThat(header(letter, "sl.error.class")).isEqualTo("java.lang.IllegalArgumentException");
        }
    }

    private static Set<String> ids(int remainder, int modulus) {
        return IntStream.range(0, 100)
                .filter(i -> i % modulus == remainder)
                .mapToObj(i -> "e-" + i)
                .collect(Collectors.toSet());
    }

    private static Set<String> ids(Iterable<Document> docs) {
        Set<String> out = new HashSet<>();
        docs.forEach(d -> out.add(d.getString("_id")));
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
