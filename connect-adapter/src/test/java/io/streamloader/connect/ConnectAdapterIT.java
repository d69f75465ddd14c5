package io.streamloader.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The adapter inside a real Kafka Connect distributed cluster of two workers (child JVMs, Connect 4.4.0 from Maven
 * Central, this module's plugin directory on {@code plugin.path}, configs, offsets and status in Kafka topics), created,
 * validated and watched through Connect's REST API, against the devstack broker and real stores: the built-in mongo
 * sink from its streamloader plugin directory ({@code sink-mongo/target/plugin}), the elasticsearch sink
 * ({@code sink-elasticsearch/target/plugin}, a real Elasticsearch) and the postgres-minio sink
 * ({@code sink-postgres-minio/target/plugin}, PostgreSQL and the S3 server), the last test killing one worker mid-load.
 * The two workers are shared by the tests (a worker start is most of this class's time); the kill comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectAdapterIT {
    private static final Path MONGO_PLUGINS =
            Path.of("").toAbsolutePath().resolve("../sink-mongo/target/plugin").normalize();
    private static final Path ELASTICSEARCH_PLUGINS = Path.of("")
            .toAbsolutePath()
            .resolve("../sink-elasticsearch/target/plugin")
            .normalize();
    private static final Path POSTGRES_PLUGINS = Path.of("")
            .toAbsolutePath()
            .resolve("../sink-postgres-minio/target/plugin")
            .normalize();
    private static final String CONNECTOR_CLASS = StreamloaderSinkConnector.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final KafkaService kafka = DevStack.kafka();
    private static final MongoService mongo = DevStack.mongo();
    private static TestingConnectWorker worker;
    private static TestingConnectWorker second;

    @BeforeAll
    static void startWorkers() throws Exception {
        assertThat(MONGO_PLUGINS.resolve("mongo"))
                .as("sink-mongo's plugin directory (package it first)")
                .isDirectory();
        assertThat(ELASTICSEARCH_PLUGINS.resolve("elasticsearch"))
                .as("sink-elasticsearch's plugin directory (package it first)")
                .isDirectory();
        assertThat(POSTGRES_PLUGINS.resolve("postgres-minio"))
                .as("sink-postgres-minio's plugin directory (package it first)")
                .isDirectory();
        String cluster = "connect-adapter-it-" + System.nanoTime();
        // started side by side: a worker's start is most of this class's time
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<TestingConnectWorker> other =
                    pool.submit(() -> TestingConnectWorker.start("adapter-it-2", cluster, kafka.bootstrapServers()));
            try {
                worker = TestingConnectWorker.start("adapter-it-1", cluster, kafka.bootstrapServers());
            } finally {
                second = other.get(); // even when the first failed, so that stopWorkers stops it
            }
        }
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        for (TestingConnectWorker w : new TestingConnectWorker[] {worker, second}) {
            if (w != null) {
                w.close();
            }
        }
    }

    private static Map<String, String> mongoConnector(String topic, String database) {
        return connector(
                "mongo",
                MONGO_PLUGINS,
                topic,
                2,
                Map.of("connection-string", mongo.connectionString(), "database", database));
    }

    /** A connector running sink {@code type} from its plugin directory, poison to Connect's DLQ {@code topic.dlq}. */
    private static Map<String, String> connector(
            String type, Path plugins, String topic, int tasks, Map<String, String> sinkSettings) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", CONNECTOR_CLASS);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("topics", topic);
        c.put("streamloader.sink.type", type);
        c.put("streamloader.plugins.dir", plugins.toString());
        sinkSettings.forEach((k, v) -> c.put("streamloader.sink.config." + k, v));
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    /** The poison events in the DLQ once each, every offset committed, every task still running. */
    private static void assertPoisonDeadLetteredAndDrained(
            String topic, String name, Map<String, byte[]> poison, Map<String, RecordMetadata> poisonAt)
            throws Exception {
        assertDeadLettered(topic + ".dlq", name, poison, poisonAt, false);
        awaitCommittedToEnd(name, topic, 2);
        JsonNode status = worker.json("GET", "/connectors/" + name + "/status", null);
        for (JsonNode task : status.get("tasks")) {
            assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("RUNNING");
        }
    }

    @Test
    @Order(1)
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

        assertPoisonDeadLetteredAndDrained(topic, name, poison, poisonAt);
    }

    @Test
    @Order(2)
    void theElasticsearchSinkIndexesEachEventOnceByIdAndDeadLettersWhatIsNotAJsonObject() throws Exception {
        ElasticsearchService elasticsearch = DevStack.elasticsearch();
        String topic = "connect-es-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        Set<String> goodIds = new HashSet<>();
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("poison-es-not-json", "{\"a\": 1,".getBytes(UTF_8));
        poison.put("poison-es-array", "[1,2,3]".getBytes(UTF_8));
        poison.put("poison-es-nul", new byte[] {'{', 0, '}'});
        Map<String, RecordMetadata> poisonAt = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 60; i++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                        topic,
                        ("k" + i).getBytes(UTF_8),
                        ("{\"n\":" + i + ",\"page\":\"/p" + i + "\"}").getBytes(UTF_8));
                r.headers().add("sl-event-id", ("es-" + i).getBytes(UTF_8));
                producer.send(r).get();
                goodIds.add("es-" + i);
                if (i == 29) {
                    for (var e : poison.entrySet()) {
                        ProducerRecord<byte[], byte[]> p =
                                new ProducerRecord<>(topic, e.getKey().getBytes(UTF_8), e.getValue());
                        p.headers().add("sl-event-id", e.getKey().getBytes(UTF_8));
                        poisonAt.put(e.getKey(), producer.send(p).get());
                    }
                }
            }
            // redelivered (same id): still one document
            ProducerRecord<byte[], byte[]> again =
                    new ProducerRecord<>(topic, "k3".getBytes(UTF_8), "{\"n\":3,\"page\":\"/p3\"}".getBytes(UTF_8));
            again.headers().add("sl-event-id", "es-3".getBytes(UTF_8));
            producer.send(again).get();
        }

        String name = "es-" + System.nanoTime();
        Map<String, String> c =
                connector("elasticsearch", ELASTICSEARCH_PLUGINS, topic, 2, Map.of("urls", elasticsearch.url()));
        worker.createConnector(name, c);

        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            http.send(
                    HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + topic + "/_refresh"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            JsonNode count = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + topic + "/_count"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(count.path("count").asInt()).isEqualTo(goodIds.size());
        });
        JsonNode hits = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(
                                                elasticsearch.url() + "/" + topic + "/_search?size=1000&_source=false"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .path("hits")
                .path("hits");
        Set<String> stored = new HashSet<>();
        hits.forEach(h -> stored.add(h.path("_id").asText()));
        assertThat(stored).isEqualTo(goodIds);

        assertPoisonDeadLetteredAndDrained(topic, name, poison, poisonAt);
    }

    @Test
    @Order(3)
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

    /**
     * Proof line 2 of issue 19: the postgres-minio sink in the two-worker cluster, 4 tasks (2 a worker), load in flight;
     * the second worker is killed ({@code SIGKILL}) once rows arrive, and the rest of the load is produced after that.
     * The survivor runs every task; every good id has exactly one row, whose blob is in the bucket with the bytes that
     * were sent; the poison sent before and after the kill is in Connect's DLQ with its error headers; every offset is
     * committed.
     */
    @Test
    @Order(4)
    void aKilledWorkersTasksMoveToTheSurvivorAndEveryEventIsStoredOnce() throws Exception {
        String topic = "connect-archive-" + System.nanoTime();
        String stamp = Long.toString(System.nanoTime(), 36);
        String schema = "connect_" + stamp;
        String bucket = "connect-" + stamp;
        int partitions = 4;
        kafka.createTopic(topic, partitions);
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        Map<String, String> sink = Map.of(
                "jdbc.url", pg.jdbcUrl(),
                "jdbc.user", pg.user(),
                "jdbc.password", pg.password(),
                "schema", schema,
                "s3.endpoint", s3.endpoint(),
                "s3.access-key", s3.accessKey(),
                "s3.secret-key", s3.secretKey(),
                "s3.bucket", bucket,
                "blob.fields", "data");
        Map<String, String> c = connector("postgres-minio", POSTGRES_PLUGINS, topic, partitions, sink);
        // small batches: the load is still being written when the worker dies
        c.put("consumer.override.max.poll.records", "50");
        String name = "archive-" + System.nanoTime();
        worker.createConnector(name, c);
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(taskWorkers(name))
                        .as("4 running tasks on both workers")
                        .hasSize(partitions)
                        .containsValues(worker.workerId(), second.workerId()));

        Map<String, byte[]> good = new HashMap<>();
        Map<String, byte[]> poison = new LinkedHashMap<>();
        Map<String, RecordMetadata> poisonAt = new HashMap<>();
        int perHalf = 1500;
        try (KafkaProducer<byte[], byte[]> producer = producer();
                Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            produceArchive(producer, topic, 0, perHalf, "before", good, poison, poisonAt);
            await().atMost(Duration.ofMinutes(2)).until(() -> rows(db, schema) > 0);
            long rowsAtKill = rows(db, schema);
            second.kill();
            produceArchive(producer, topic, perHalf, 2 * perHalf, "after", good, poison, poisonAt);
            System.out.printf("ConnectAdapterIT: worker 2 killed at %d of %d rows%n", rowsAtKill, good.size());

            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertThat(taskWorkers(name))
                            .as("every task running on the surviving worker")
                            .hasSize(partitions)
                            .containsOnlyKeys(0, 1, 2, 3)
                            .allSatisfy((task, at) -> assertThat(at).isEqualTo(worker.workerId())));
            await().atMost(Duration.ofMinutes(3)).until(() -> rows(db, schema) >= good.size());

            Map<String, String> shaById = new HashMap<>();
            Set<String> keys = new HashSet<>();
            long rowCount = 0;
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery(
                            "select id, object_key, object_sha256 from " + schema + ".events order by id")) {
                while (rs.next()) {
                    rowCount++;
                    shaById.put(rs.getString(1), rs.getString(3));
                    keys.add(rs.getString(2));
                }
            }
            assertThat(rowCount).isEqualTo(good.size());
            assertThat(shaById.keySet()).isEqualTo(good.keySet());
            good.forEach((id, blob) -> assertThat(shaById.get(id)).as(id).isEqualTo(sha256(blob)));
            assertThat(objectKeys(s3, bucket))
                    .as("one object per row, no other")
                    .isEqualTo(keys);
        }
        assertDeadLettered(topic + ".dlq", name, poison, poisonAt, true);
        awaitCommittedToEnd(name, topic, partitions);
    }

    /**
     * Good events {@code from..to} (ids {@code a-<n>}, a base64 blob each) with two poison events in the middle: not
     * JSON, and a blob field that is not base64.
     */
    private static void produceArchive(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int from,
            int to,
            String phase,
            Map<String, byte[]> good,
            Map<String, byte[]> poison,
            Map<String, RecordMetadata> poisonAt)
            throws Exception {
        for (int i = from; i < to; i++) {
            byte[] blob = ("blob " + i + " ").repeat(20).getBytes(UTF_8);
            String id = "a-" + i;
            String value = "{\"n\":" + i + ",\"data\":\"" + Base64.getEncoder().encodeToString(blob) + "\"}";
            ProducerRecord<byte[], byte[]> r =
                    new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), value.getBytes(UTF_8));
            r.headers().add("sl-event-id", id.getBytes(UTF_8));
            producer.send(r);
            good.put(id, blob);
            if (i == (from + to) / 2) {
                Map<String, byte[]> bad = new LinkedHashMap<>();
                bad.put("poison-not-json-" + phase, "{\"n\": 1,".getBytes(UTF_8));
                bad.put("poison-bad-base64-" + phase, "{\"n\":2,\"data\":\"@@not base64@@\"}".getBytes(UTF_8));
                for (var p : bad.entrySet()) {
                    ProducerRecord<byte[], byte[]> pr =
                            new ProducerRecord<>(topic, p.getKey().getBytes(UTF_8), p.getValue());
                    pr.headers().add("sl-event-id", p.getKey().getBytes(UTF_8));
                    poisonAt.put(p.getKey(), producer.send(pr).get());
                    poison.put(p.getKey(), p.getValue());
                }
            }
        }
        producer.flush();
    }

    /** Task number to the worker running it, for the tasks in state RUNNING; none before Connect has a status. */
    private static Map<Integer, String> taskWorkers(String connector) throws Exception {
        var response = worker.request("GET", "/connectors/" + connector + "/status", null);
        Map<Integer, String> out = new HashMap<>();
        if (response.statusCode() == 404) {
            return out;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        for (JsonNode task : JSON.readTree(response.body()).get("tasks")) {
            if (task.get("state").asText().equals("RUNNING")) {
                out.put(task.get("id").asInt(), task.get("worker_id").asText());
            }
        }
        return out;
    }

    private static long rows(Connection db, String schema) {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from " + schema + ".events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // the sink has not migrated its schema yet
        }
    }

    private static Set<String> objectKeys(S3Service s3, String bucket) throws Exception {
        MinioClient minio = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
        Set<String> keys = new HashSet<>();
        for (Result<Item> item : minio.listObjects(
                ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Exactly the poison events are in the connector's DLQ, each with its bytes and Connect's error headers; once each,
     * unless {@code afterKill}: a worker killed between reporting a record and committing its offset leaves the record
     * to be read and reported again by the survivor (Connect's DLQ is at-least-once).
     */
    private static void assertDeadLettered(
            String dlq,
            String name,
            Map<String, byte[]> poison,
            Map<String, RecordMetadata> poisonAt,
            boolean afterKill)
            throws Exception {
        String topic = dlq.substring(0, dlq.length() - ".dlq".length());
        List<ConsumerRecord<byte[], byte[]>> letters = readAll(dlq, poison.size());
        if (!afterKill) {
            assertThat(letters).hasSize(poison.size());
        }
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String id = new String(letter.key(), UTF_8);
            ids.add(id);
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
        assertThat(ids).isEqualTo(poison.keySet());
    }

    /** Every offset, poison included, committed for the connector's consumer group: nothing left to redeliver. */
    private static void awaitCommittedToEnd(String name, String topic, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
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
