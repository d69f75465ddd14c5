package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's footdata producer, as it is: one JSON array of matches per Kafka record, no key, no headers, produced by
 * a plain producer; through the real pipeline with {@code arrays: split} into the devstack MongoDB: one document per
 * match under its {@code id}, and every hostile array dead-lettered whole with the element named.
 */
class MongoArraysIT {
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

    private static String match(int id, int home, int away) {
        return "{\"area\":{\"id\":2081,\"name\":\"France\"},\"competition\":{\"id\":2015,\"name\":\"Ligue 1\"},\"id\":"
                + id + ",\"utcDate\":\"2024-05-19T19:00:00Z\",\"status\":\"FINISHED\",\"matchday\":34,"
                + "\"homeTeam\":{\"id\":521,\"name\":\"Lille OSC\"},\"awayTeam\":{\"id\":546,\"name\":\"RC Lens\"},"
                + "\"score\":{\"winner\":\"HOME_TEAM\",\"fullTime\":{\"home\":" + home + ",\"away\":" + away + "}},"
                + "\"referees\":[]}";
    }

    @Test
    void theFootdataProducersArraysAreOneDocumentPerMatchAndHostileArraysAreDeadLetteredWhole() throws Exception {
        String topic = "footdata-" + System.nanoTime();
        String database = "arr_" + Long.toString(System.nanoTime(), 36);
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + ".dlq", 1);
        StreamloaderConfig config = ConfigLoader.parse(
                """
                kafka: { bootstrap-servers: "%s" }
                topics:
                  %s: { partitions: 1 }
                sinks:
                  docs:
                    type: mongo
                    topics: [%s]
                    batch: { max-linger: 50ms }
                    config:
                      connection-string: "%s"
                      database: %s
                      arrays: split
                      arrays.id-field: id
                      max-document-size: 64KiB
                      indexes.by_code.keys: code:1
                      indexes.by_code.unique: true
                      indexes.by_code.sparse: true
                """.formatted(kafka.bootstrapServers(), topic, topic, mongo.connectionString(), database), Map.of());
        RunnerSettings settings = config.sinks().getFirst();

        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            tooMany.append(i == 0 ? "{}" : ",{}");
        }
        tooMany.append(']');
        List<String> values =
                List.of(
                        "[" + match(1001, 1, 0) + "," + match(1002, 0, 0) + "," + match(1003, 2, 2) + "]", // 0
                        "[" + match(1002, 3, 1) + "]", // 1: the next poll's array: 1002 updated in place
                        "[]", // 2: no matches today: nothing to store
                        "[[" + match(2001, 0, 0) + "]]", // 3: nested array
                        "[" + match(3001, 0, 0) + "," + match(3002, 0, 0) + ",7]", // 4: a scalar element
                        tooMany.toString(), // 5: 100k elements, over the default 10000
                        "[{\"name\":\"no id\"},{\"name\":\"no id either\"}]", // 6: stored under <event id>-<index>
                        "[{\"id\":4001,\"v\":1},{\"id\":4001,\"v\":2}]", // 7: one id twice: the later wins
                        "[{\"id\":5001},{\"id\":5002,\"blob\":\"" + "x".repeat(70_000)
                                + "\"}]", // 8: element over 64KiB
                        "[{\"id\":6001,\"code\":\"C\"},{\"id\":6002,\"code\":\"C\"},{\"id\":6003,\"code\":\"C\"}]", // 9: a unique index refuses elements 1, 2
                        "{\"id\":7001,\"single\":true}"); // 10: an object is one document, as before
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "max.request.size", 4 << 20),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)))
                        .get());
            }
        }

        runner =
                new SinkRunner(settings, new MongoSinkFactory(), testing.clientProperties(), new SimpleMeterRegistry());
        runner.start();
        await().atMost(Duration.ofSeconds(120))
                .until(() -> testing.committedTotal(settings.groupId(), topic) == values.size());

        MongoCollection<Document> footdata = client.getDatabase(database).getCollection(topic);
        Map<Object, Document> byId = new HashMap<>();
        footdata.find().forEach(d -> byId.put(d.get("_id"), d));
        String noId = topic + "-0-" + sent.get(6).offset() + "-";
        String single = topic + "-0-" + sent.get(10).offset(); // an object: the event id, as without arrays: split
        assertThat(byId.keySet())
                .containsExactlyInAnyOrder(1001, 1002, 1003, noId + "0", noId + "1", 4001, 6001, single);
        Document match = byId.get(1001);
        assertThat(match.keySet())
                .containsExactly(
                        "_id",
                        "area",
                        "competition",
                        "id",
                        "utcDate",
                        "status",
                        "matchday",
                        "homeTeam",
                        "awayTeam",
                        "score",
                        "referees");
        assertThat(match.get("homeTeam", Document.class).getString("name")).isEqualTo("Lille OSC");
        assertThat(score(byId.get(1002))).isEqualTo(3);
        assertThat(byId.get(noId + "1").getString("name")).isEqualTo("no id either");
        assertThat(byId.get(4001).getInteger("v")).isEqualTo(2);
        assertThat(byId.get(single).getBoolean("single")).isTrue();
        // refused before the write: none of the event's elements is stored; refused by the store: the others are
        assertThat(byId).doesNotContainKeys(2001, 3001, 3002, 5001, 5002, 6002, 6003);

        // one letter per refused event, however many of its elements were refused (event 9: elements 1 and 2)
        assertThat(testing.endTotal(topic + ".dlq")).isEqualTo(5);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 5);
        Map<Long, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            reasons.put(Long.parseLong(header(letter, "sl.source.offset")), header(letter, "sl.error.reason"));
        }
        assertThat(reasons.keySet())
                .containsExactlyInAnyOrder(
                        sent.get(3).offset(),
                        sent.get(4).offset(),
                        sent.get(5).offset(),
                        sent.get(8).offset(),
                        sent.get(9).offset());
        assertThat(reasons.get(sent.get(3).offset())).startsWith("array element 0 is a JSON array");
        assertThat(reasons.get(sent.get(4).offset())).startsWith("array element 2 is a number");
        assertThat(reasons.get(sent.get(5).offset()))
                .contains("more than 10000 elements")
                .contains("arrays.max-elements");
        assertThat(reasons.get(sent.get(8).offset())).startsWith("array element 1: document too large");
        assertThat(reasons.get(sent.get(9).offset()))
                .startsWith("array element 1: ")
                .containsIgnoringCase("duplicate");
    }

    private static int score(Document match) {
        return match.get("score", Document.class)
                .get("fullTime", Document.class)
                .getInteger("home");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
