package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingHandledEvents;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Kafka → SinkRunner → MongoWriter → the devstack MongoDB: every event stored once, failures isolated, outages ridden. */
class MongoPipelineIT {
    private final KafkaService kafka = DevStack.kafka();
    private final MongoService mongo = DevStack.mongo();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private final List<SinkRunner> runners = new ArrayList<>();
    private String topic;
    private String database;

    @AfterEach
    void close() {
        runners.forEach(SinkRunner::close);
        client.close();
    }

    private void topic(TestInfo info, int partitions) {
        String name = info.getTestMethod().orElseThrow().getName();
        topic = name.substring(0, Math.min(name.length(), 30)) + "-" + System.nanoTime();
        database = "pipe_" + Long.toString(System.nanoTime(), 36);
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
    }

    private RunnerSettings settings(String group, int workers, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "connection-string", mongo.connectionString(),
                "database", database,
                "server-selection-timeout", "2s",
                "connect-timeout", "2s",
                "socket-timeout", "10s"));
        config.putAll(extra);
        return RunnerSettings.builder("docs")
                .type("mongo")
                .topics(List.of(topic))
                .groupId(group)
                .workers(workers)
                .batch(new BatchPolicy(1000, 8L << 20, Duration.ofMillis(100)))
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2, Duration.ZERO))
                .sinkConfig(config)
                .build();
    }

    private SinkRunner start(RunnerSettings settings, SinkFactory factory) {
        SinkRunner runner = new SinkRunner(settings, factory, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        return runner;
    }

    private MongoCollection<Document> collection() {
        return client.getDatabase(database).getCollection(topic);
    }

    private static String json(int i) {
        return "{\"n\":" + i + ",\"kind\":\"reading\",\"pad\":\"" + "x".repeat(200) + "\"}";
    }

    private static Set<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toCollection(HashSet::new));
    }

    private Set<String> storedIds() {
        Set<String> out = new HashSet<>();
        collection().find().projection(new Document("_id", 1)).forEach(d -> out.add(d.getString("_id")));
        return out;
    }

    @Test
    void fiftyThousandEventsBecomeFiftyThousandDocumentsAndAReplayAddsNone(TestInfo info) {
        topic(info, 3);
        int total = 50_000;
        testing.produce(topic, "e-", total, MongoPipelineIT::json);
        RunnerSettings first = settings("docs-first-" + topic, 3, Map.of());
        TestingHandledEvents<MongoSinkConfig> firstSink = new TestingHandledEvents<>(new MongoSinkFactory());
        SinkRunner runner = start(first, firstSink);
        await().atMost(Duration.ofSeconds(180)).until(() -> firstSink.count() == total);
        runner.close();
        assertThat(testing.committedTotal(first.groupId(), topic)).isEqualTo(total);
        assertThat(collection().countDocuments()).isEqualTo(total);

        RunnerSettings replay = settings("docs-replay-" + topic, 2, Map.of());
        TestingHandledEvents<MongoSinkConfig> replaySink = new TestingHandledEvents<>(new MongoSinkFactory());
        SinkRunner again = start(replay, replaySink);
        await().atMost(Duration.ofSeconds(180)).until(() -> replaySink.count() == total);
        again.close();
        assertThat(testing.committedTotal(replay.groupId(), topic)).isEqualTo(total);
        assertThat(collection().countDocuments()).isEqualTo(total);
        assertThat(storedIds()).isEqualTo(ids("e-", total));
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
    }

    @Test
    void aUniqueIndexViolationIsDeadLetteredAndTheRestOfTheBatchIsStored(TestInfo info) {
        topic(info, 1);
        int total = 1000;
        // events 500..509 repeat the match ids of events 0..9
        testing.produce(topic, "m-", total, i -> "{\"matchId\":" + (i >= 500 && i < 510 ? i - 500 : i) + "}");
        RunnerSettings settings = settings(
                "docs-unique-" + topic,
                1,
                Map.of("indexes.by_match.keys", "matchId:1", "indexes.by_match.unique", "true"));
        TestingHandledEvents<MongoSinkConfig> sink = new TestingHandledEvents<>(new MongoSinkFactory());
        SinkRunner runner = start(settings, sink);

        await().atMost(Duration.ofSeconds(120)).until(() -> sink.count() == total);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        runner.close();
        assertThat(testing.committedTotal(settings.groupId(), topic)).isEqualTo(total);
        assertThat(collection().countDocuments()).isEqualTo(990);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 10);
        assertThat(letters).hasSize(10);
        Set<String> dead = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            dead.add(header(letter, Event.ID_HEADER));
            assertThat(header(letter, "sl.error.class")).isEqualTo("duplicate_key");
            assertThat(header(letter, "sl.error.reason")).contains("11000").contains("duplicate key");
        }
        assertThat(dead)
                .isEqualTo(IntStream.range(500, 510).mapToObj(i -> "m-" + i).collect(Collectors.toSet()));
    }

    @Test
    void mongoStoppedForThirtySecondsMidLoadLosesAndDuplicatesNothing(TestInfo info) throws Exception {
        topic(info, 3);
        int before = 20_000;
        int during = 10_000;
        testing.produce(topic, "o-", before, MongoPipelineIT::json);
        RunnerSettings settings = settings("docs-outage-" + topic, 2, Map.of());
        TestingHandledEvents<MongoSinkConfig> sink = new TestingHandledEvents<>(new MongoSinkFactory());
        SinkRunner runner = start(settings, sink);
        await().atMost(Duration.ofSeconds(120)).until(() -> collection().countDocuments() > 2_000);

        mongo.stop();
        try {
            // more events arrive while the store is down
            CompletableFuture<Void> producing =
                    CompletableFuture.runAsync(() -> testing.produce(topic, "p-", during, MongoPipelineIT::json));
            await().atMost(Duration.ofSeconds(25)).until(() -> runner.health().state() == RunnerHealth.State.RETRYING);
            producing.get();
            Thread.sleep(Duration.ofSeconds(30));
            assertThat(testing.committedTotal(settings.groupId(), topic)).isLessThan(before + during);
        } finally {
            mongo.start();
        }

        int total = before + during;
        await().atMost(Duration.ofSeconds(180)).until(() -> sink.count() == total);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.health().state() == RunnerHealth.State.RUNNING);
        runner.close();
        assertThat(testing.committedTotal(settings.groupId(), topic)).isEqualTo(total);
        assertThat(collection().countDocuments()).isEqualTo(total);
        Set<String> expected = ids("o-", before);
        expected.addAll(ids("p-", during));
        assertThat(storedIds()).isEqualTo(expected);
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
