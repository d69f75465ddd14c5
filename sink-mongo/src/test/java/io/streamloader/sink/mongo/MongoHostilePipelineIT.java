package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.sink.mongo.TestingHostileEvents.Fate;
import io.streamloader.sink.mongo.TestingHostileEvents.Sample;
import io.streamloader.spi.Event;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proof of issue 14 for the mongo sink: the hostile corpus ({@link TestingHostileEvents}, plus odd ids and
 * headers) interleaved with 1,000 good events, through Kafka, a real {@link SinkRunner} and the devstack MongoDB. Every
 * good event is stored once; every hostile one is stored or dead-lettered with a reason, as its {@link Fate} says;
 * the runner is RUNNING, every offset committed, and the retry counter still.
 */
class MongoHostilePipelineIT {
    private static final int GOOD = 1000;
    private static final int MAX_MESSAGE = 64 << 20;

    private final KafkaService kafka = DevStack.kafka();
    private final MongoService mongo = DevStack.mongo();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private SinkRunner runner;

    /** One hostile event as produced: where it landed and what it must become. */
    private record Sent(String name, String expectedId, int partition, long offset, Fate fate) {}

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
        client.close();
    }

    @Test
    void everyHostileEventIsStoredOrDeadLetteredAndEveryGoodOneStoredOnce() throws Exception {
        String topic = "hostile-" + System.nanoTime();
        String database = "hostile_" + Long.toString(System.nanoTime(), 36);
        bigTopic(topic, 3);
        bigTopic(topic + ".dlq", 1);

        List<Sent> hostile = produce(topic);
        long total = testing.endTotal(topic);

        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("mongo")
                .topics(List.of(topic))
                .groupId("docs-hostile-" + topic)
                .workers(2)
                .batch(new BatchPolicy(500, 32L << 20, Duration.ofMillis(100)))
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2, Duration.ZERO))
                .sinkConfig(Map.of(
                        "connection-string", mongo.connectionString(),
                        "database", database,
                        "server-selection-timeout", "2s",
                        "connect-timeout", "2s",
                        "socket-timeout", "20s"))
                .build();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Map<String, Object> clientProperties = new HashMap<>(testing.clientProperties());
        clientProperties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE); // letters carry 16 MB values
        runner = new SinkRunner(settings, new MongoSinkFactory(), clientProperties, metrics);
        runner.start();

        await().atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        double retried = retried(metrics);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> retried(metrics) == retried && runner.health().state() == RunnerHealth.State.RUNNING);

        MongoCollection<Document> collection = client.getDatabase(database).getCollection(topic);
        for (int i = 0; i < GOOD; i++) {
            Document stored = collection.find(Filters.eq("_id", goodId(i))).first();
            assertThat(stored).as(goodId(i)).isNotNull();
            assertThat(stored.getInteger("n")).isEqualTo(i);
        }
        assertThat(collection.countDocuments(Filters.regex("_id", "^g-"))).isEqualTo(GOOD);

        Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        long dlqCount = testing.endTotal(topic + ".dlq");
        for (ConsumerRecord<byte[], byte[]> letter : testing.readAll(topic + ".dlq", (int) dlqCount)) {
            letters.put(header(letter, "sl.source.partition") + "/" + header(letter, "sl.source.offset"), letter);
        }
        assertThat(letters).hasSize((int) dlqCount);
        List<String> wrong = new ArrayList<>();
        for (Sent sent : hostile) {
            ConsumerRecord<byte[], byte[]> letter = letters.remove(sent.partition() + "/" + sent.offset());
            boolean stored = collection.countDocuments(Filters.eq("_id", sent.expectedId())) == 1;
            boolean dead = letter != null;
            if (dead
                    && (header(letter, "sl.error.reason") == null
                            || header(letter, "sl.error.reason").isBlank())) {
                wrong.add(sent.name() + ": dead-lettered without a reason");
            }
            if (stored == dead) {
                wrong.add(sent.name() + (stored ? ": stored and dead-lettered" : ": neither stored nor dead-lettered"));
            } else if (sent.fate() == Fate.STORED && !stored) {
                wrong.add(sent.name() + ": dead-lettered (" + header(letter, "sl.error.reason") + ")");
            } else if (sent.fate() == Fate.REFUSED && !dead) {
                wrong.add(sent.name() + ": stored, though MongoDB refuses it");
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(letters).as("letters of good events").isEmpty();
    }

    private static double retried(SimpleMeterRegistry metrics) {
        var counter = metrics.find("streamloader.sink.events.retried").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String goodId(int i) {
        return "g-" + i;
    }

    private static String json(int i) {
        // half plain JSON (the fast path), half with extended JSON (JsonReader's path)
        String at = i % 2 == 0 ? "\"2024-05-01T12:00:00Z\"" : "{\"$date\":\"2024-05-01T12:00:00Z\"}";
        return "{\"n\":" + i + ",\"kind\":\"reading\",\"at\":" + at + ",\"tags\":[\"a\",\"b\"]}";
    }

    private void bigTopic(String name, int partitions) throws ExecutionException, InterruptedException {
        kafka.createTopic(name, partitions);
        try (var admin = testing.admin()) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            var op = new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE)),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
        }
    }

    /** The good events with the hostile ones interleaved, one after every third good event; returns the hostile. */
    private List<Sent> produce(String topic) throws Exception {
        List<Hostile> hostile = hostileEvents();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                MAX_MESSAGE,
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                4L * MAX_MESSAGE);
        List<Sent> sent = new ArrayList<>();
        try (var producer =
                new KafkaProducer<byte[], byte[]>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> goods = new ArrayList<>();
            List<Future<RecordMetadata>> bads = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < GOOD || next < hostile.size(); i++) {
                if (i < GOOD) {
                    var record = new ProducerRecord<>(topic, bytes(goodId(i)), bytes(json(i)));
                    record.headers().add(Event.ID_HEADER, bytes(goodId(i)));
                    goods.add(producer.send(record));
                }
                if (i % 3 == 2 || i >= GOOD) {
                    if (next < hostile.size()) {
                        bads.add(producer.send(hostile.get(next++).record(topic)));
                    }
                }
            }
            for (Future<RecordMetadata> good : goods) {
                good.get();
            }
            for (int k = 0; k < bads.size(); k++) {
                RecordMetadata metadata = bads.get(k).get();
                Hostile h = hostile.get(k);
                String id = h.id() == null || h.id().isBlank()
                        ? topic + "-" + metadata.partition() + "-" + metadata.offset()
                        : h.id();
                sent.add(new Sent(h.name(), id, metadata.partition(), metadata.offset(), h.fate()));
            }
        }
        return sent;
    }

    /** A hostile record: value, id header (decoded as the pipeline decodes it; null for none) and more headers. */
    private record Hostile(
            String name, byte[] key, byte[] value, byte[] idHeader, String id, Map<String, byte[]> headers, Fate fate) {
        ProducerRecord<byte[], byte[]> record(String topic) {
            var record = new ProducerRecord<>(topic, key, value);
            if (idHeader != null) {
                record.headers().add(Event.ID_HEADER, idHeader);
            }
            headers.forEach((name, header) -> record.headers().add(name, header));
            return record;
        }
    }

    private static List<Hostile> hostileEvents() {
        List<Hostile> out = new ArrayList<>();
        int n = 0;
        for (Sample sample : TestingHostileEvents.all()) {
            String id = String.format("h-%06d", n++); // the sized samples count on ids of 8 characters
            out.add(new Hostile(sample.name(), bytes(id), sample.value(), bytes(id), id, Map.of(), sample.fate()));
        }
        byte[] value = bytes("{\"odd\":true}");
        byte[] badUtf8 = HexFormat.of().parseHex("69642dfffe");
        out.add(new Hostile("no id header", null, value, null, null, Map.of(), Fate.STORED));
        out.add(new Hostile("empty id header", null, value, new byte[0], null, Map.of(), Fate.STORED));
        out.add(new Hostile("blank id header", null, value, bytes("   "), null, Map.of(), Fate.STORED));
        String longId = "L".repeat(10_000);
        out.add(new Hostile("10000-character id", null, value, bytes(longId), longId, Map.of(), Fate.EITHER));
        out.add(new Hostile("id with NUL", null, value, bytes("o-\u0000-nul"), "o-\u0000-nul", Map.of(), Fate.EITHER));
        out.add(new Hostile(
                "id of invalid UTF-8",
                null,
                value,
                badUtf8,
                new String(badUtf8, StandardCharsets.UTF_8),
                Map.of(),
                Fate.EITHER));
        out.add(new Hostile("id $set", null, value, bytes("$set"), "$set", Map.of(), Fate.EITHER));
        out.add(new Hostile(
                "text/plain content",
                null,
                value,
                bytes("o-text"),
                "o-text",
                Map.of(Event.CONTENT_TYPE_HEADER, bytes("text/plain")),
                Fate.REFUSED));
        out.add(new Hostile(
                "empty content type",
                null,
                value,
                bytes("o-empty-ct"),
                "o-empty-ct",
                Map.of(Event.CONTENT_TYPE_HEADER, new byte[0]),
                Fate.EITHER));
        out.add(new Hostile(
                "json with charset",
                null,
                value,
                bytes("o-charset"),
                "o-charset",
                Map.of(Event.CONTENT_TYPE_HEADER, bytes("application/json; charset=utf-8")),
                Fate.EITHER));
        out.add(new Hostile("tombstone", bytes("o-null"), null, bytes("o-null"), "o-null", Map.of(), Fate.REFUSED));
        out.add(new Hostile(
                "100 kB key", new byte[100_000], value, bytes("o-bigkey"), "o-bigkey", Map.of(), Fate.STORED));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
