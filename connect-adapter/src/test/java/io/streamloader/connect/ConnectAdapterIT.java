package io.streamloader.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter inside a real Kafka Connect distributed worker (child JVM, Connect 4.4.0 from Maven Central, this
 * module's plugin directory on {@code plugin.path}, configs, offsets and status in Kafka topics), created, validated and
 * watched through Connect's REST API, against the devstack broker and MongoDB, running the built-in
 * mongo sink from its streamloader plugin directory ({@code sink-mongo/target/plugin}).
 */
class ConnectAdapterIT {
    private static final Path MONGO_PLUGINS =
            Path.of("").toAbsolutePath().resolve("../sink-mongo/target/plugin").normalize();
    private static final String CONNECTOR_CLASS = StreamloaderSinkConnector.class.getName();

    private static final KafkaService kafka = DevStack.kafka();
    private static final MongoService mongo = DevStack.mongo();
    private static TestingConnectWorker worker;

    @BeforeAll
    static void startWorker() throws Exception {
        assertThat(MONGO_PLUGINS.resolve("mongo"))
                .as("sink-mongo's plugin directory (package it first)")
                .isDirectory();
        worker = TestingConnectWorker.start("adapter-it", kafka.bootstrapServers());
    }

    @AfterAll
    static void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
    }

    private static Map<String, String> mongoConnector(String topic, String database) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", "2");
        c.put("topics", topic);
        c.put("streamloader.sink.type", "mongo");
        c.put("streamloader.plugins.dir", MONGO_PLUGINS.toString());
        c.put("streamloader.sink.config.connection-string", mongo.connectionString());
        c.put("streamloader.sink.config.database", database);
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    @Test
    void goodEventsAreStoredOnceAndPoisonLandsInConnectsDeadLetterTopicWithItsErrorHeaders() throws Exception {
        String topic = "connect-docs-" + System.nanoTime();
        String database = "connect_" + Long.toString(System.nanoTime(), 36);
        kafka.createTopic(topic, 2);

        Set<String> goodIds = new HashSet<>();
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("poison-not-json", "{\"a\": 1,".getBytes(UTF_8));
        poison.put("poison-bad-oid", "{\"a\":{\"$oid\":\"zz\"}}".getBytes(UTF_8));
        Map<String, RecordMetadata> poisonAt = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 40; i++) {
                boolean withId = i % 4 != 0;
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                        topic, ("k" + i).getBytes(UTF_8), ("{\"n\":" + i + ",\"name\":\"good\"}").getBytes(UTF_8));
                if (withId) {
                    r.headers().add("sl-event-id", ("good-" + i).getBytes(UTF_8));
                }
                RecordMetadata at = producer.send(r).get();
                goodIds.add(withId ? "good-" + i : topic + "-" + at.partition() + "-" + at.offset());
                if (i == 17) { // a poison event in the middle of good ones, in each partition's run
                    poison.forEach((id, value) -> {
                        ProducerRecord<byte[], byte[]> p = new ProducerRecord<>(topic, id.getBytes(UTF_8), value);
                        p.headers().add("sl-event-id", id.getBytes(UTF_8));
                        try {
                            poisonAt.put(id, producer.send(p).get());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            // a redelivered event (same id, as a client retry with the same Idempotency-Key produces) stays one
            // document
            ProducerRecord<byte[], byte[]> again =
                    new ProducerRecord<>(topic, "k1".getBytes(UTF_8), "{\"n\":1,\"name\":\"good\"}".getBytes(UTF_8));
            again.headers().add("sl-event-id", "good-1".getBytes(UTF_8));
            producer.send(again).get();
        }

        String name = "docs-" + System.nanoTime();
        worker.createConnector(name, mongoConnector(topic, database));

        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase(database).getCollection(topic);
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertThat(docs.countDocuments()).isEqualTo(goodIds.size()));
            Set<String> stored = new HashSet<>();
            docs.find().forEach(d -> stored.add(String.valueOf(d.get("_id"))));
            assertThat(stored).isEqualTo(goodIds);
            assertThat(stored).doesNotContainAnyElementsOf(poison.keySet());
        }

        List<ConsumerRecord<byte[], byte[]>> letters = readAll(topic + ".dlq", poison.size());
        assertThat(letters).hasSize(poison.size());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String id = new String(letter.key(), UTF_8);
            assertThat(poison).containsKey(id);
            assertThat(letter.value()).isEqualTo(poison.get(id));
            assertThat(header(letter, "sl-event-id")).isEqualTo(id);
            assertThat(header(letter, "__connect.errors.topic")).isEqualTo(topic);
            assertThat(header(letter, "__connect.errors.partition"))
                    .isEqualTo(String.valueOf(poisonAt.get(id).partition()));
            assertThat(header(letter, "__connect.errors.offset"))
                    .isEqualTo(String.valueOf(poisonAt.get(id).offset()));
            assertThat(header(letter, "__connect.errors.connector.name")).isEqualTo(name);
            assertThat(header(letter, "__connect.errors.stage")).isEqualTo("TASK_PUT");
            assertThat(header(letter, "__connect.errors.exception.class.name"))
                    .isEqualTo(SinkEventException.class.getName());
            assertThat(header(letter, "__connect.errors.exception.message")).startsWith("sink " + name + ": ");
        }

        // every offset, poison included, committed for the connector's consumer group: nothing left to redeliver
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + name)
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, Long> at = new HashMap<>();
                committed.forEach((tp, o) -> at.put(tp, o.offset()));
                assertThat(at).isEqualTo(ends);
            });
        }
        JsonNode status = worker.json("GET", "/connectors/" + name + "/status", null);
        for (JsonNode task : status.get("tasks")) {
            assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("RUNNING");
        }
    }

    @Test
    void validateReturnsTheSinksOwnErrorsOnTheSettingsTheyName() throws Exception {
        Map<String, String> config = mongoConnector("connect-validate", "ok");
        config.put("name", "validate-me");
        config.put("streamloader.sink.config.connection-string", "postgres://not-mongo");
        config.put("streamloader.sink.config.colection", "typo");
        JsonNode result = worker.validate(config);

        assertThat(result.get("error_count").asInt()).isEqualTo(2);
        assertThat(errors(result, "streamloader.sink.config.connection-string"))
                .singleElement()
                .asString()
                .startsWith("streamloader.sink.config.connection-string: is not a valid MongoDB connection string");
        assertThat(errors(result, "streamloader.sink.config.colection"))
                .singleElement()
                .asString()
                .contains("unknown setting");

        Map<String, String> unknownType = mongoConnector("connect-validate", "ok");
        unknownType.put("name", "validate-type");
        unknownType.put("streamloader.sink.type", "mongodb");
        JsonNode typeResult = worker.validate(unknownType);
        assertThat(typeResult.get("error_count").asInt()).isEqualTo(1);
        assertThat(errors(typeResult, "streamloader.sink.type"))
                .singleElement()
                .asString()
                .contains("no plugin provides sink type 'mongodb'")
                .contains("mongo");

        Map<String, String> good = mongoConnector("connect-validate", "ok");
        good.put("name", "validate-ok");
        JsonNode goodResult = worker.validate(good);
        assertThat(goodResult.get("error_count").asInt())
                .as(goodResult.toString())
                .isZero();
        // and a connector with a bad setting is refused at creation, with the sink's message
        config.put("name", "refused");
        var refused = worker.request("POST", "/connectors", Map.of("name", "refused", "config", config));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("is not a valid MongoDB connection string");
    }

    private static List<String> errors(JsonNode validation, String key) {
        for (JsonNode config : validation.get("configs")) {
            if (config.get("value").get("name").asText().equals(key)) {
                List<String> errors = new ArrayList<>();
                config.get("value").get("errors").forEach(e -> errors.add(e.asText()));
                return errors;
            }
        }
        throw new AssertionError("no " + key + " in " + validation);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Waits for the topic to exist and hold {@code expected} records, then reads a little longer for extras. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) throws Exception {
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> admin.listTopics().names().get().contains(topic));
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }
}
