package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.WriteResult;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingRecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 3 MiB event that its source topic allows and the sink refuses for good, against a real broker through the real
 * pipeline: the dead-letter path has room for it (or truncates it), and the partition moves on.
 */
class DeadLetterIT {
    private static final int BIG = 3 << 20;
    private static final int SOURCE_LIMIT = 4 << 20;

    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final List<SinkRunner> runners = new ArrayList<>();

    @AfterEach
    void closeRunners() {
        runners.forEach(SinkRunner::close);
    }

    @Test
    void aThreeMebibyteEventGoesWholeToADeadLetterTopicSizedLikeItsSource(TestInfo info) throws Exception {
        String topic = topics(info, SOURCE_LIMIT + SinkRunner.DEAD_LETTER_HEADROOM);
        RunnerSettings settings = settings("whole", topic);
        byte[] big = produceAroundABigEvent(topic);
        start(settings);

        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == 201);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.getFirst();
        assertThat(letter.value()).isEqualTo(big);
        assertThat(letter.headers().lastHeader("sl.error.truncated")).isNull();
        assertThat(header(letter, "sl.error.reason")).isEqualTo("document too large for the store");
        assertThat(header(letter, "sl.source.offset")).isEqualTo("100");
        assertThat(header(letter, "__connect.errors.offset")).isEqualTo("100");
        assertThat(header(letter, Event.ID_HEADER)).isEqualTo("big");
    }

    @Test
    void aLetterBiggerThanItsDeadLetterTopicAllowsIsTruncatedWithAMarkerAndThePartitionMovesOn(TestInfo info)
            throws Exception {
        String topic = topics(info, 0); // the dead-letter topic keeps the broker's 1 MiB default
        RunnerSettings settings = settings("cut", topic);
        byte[] big = produceAroundABigEvent(topic);
        start(settings);

        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == 201);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.getFirst();
        assertThat(header(letter, "sl.error.truncated")).isEqualTo("true");
        assertThat(header(letter, "sl.error.original.value.size")).isEqualTo(Integer.toString(BIG));
        assertThat(header(letter, "sl.error.reason")).isEqualTo("document too large for the store");
        assertThat(header(letter, "sl.error.sink")).isEqualTo("cut");
        assertThat(header(letter, "sl.source.topic")).isEqualTo(topic);
        assertThat(header(letter, "sl.source.offset")).isEqualTo("100");
        assertThat(header(letter, Event.ID_HEADER)).isEqualTo("big");
        assertThat(letter.value().length).isBetween(900_000, TopicLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(big, letter.value().length));
    }

    @Test
    void aMissingDeadLetterTopicIsRetriedWithTheRunnerRetryingAndNothingCommittedPastTheEvent(TestInfo info) {
        String topic = "missingDlq-" + System.nanoTime();
        kafka.createTopic(topic, 1); // and no dead-letter topic (the broker creates none implicitly)
        testing.produce(topic, "m-", 50, i -> i == 10 ? "poison" : "{}");
        RunnerSettings settings = settings("nodlq", topic);
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            s.store(batch.stream()
                    .filter(e -> !e.valueAsString().equals("poison"))
                    .toList());
            return WriteResult.failed(batch.stream()
                    .filter(e -> e.valueAsString().equals("poison"))
                    .map(e -> EventFailure.permanent(e, "unconvertible", "bad_value"))
                    .toList());
        });
        Map<String, Object> client = new java.util.HashMap<>(testing.clientProperties());
        client.put("max.block.ms", 1000); // the producer gives up on the missing topic's metadata after 1 s
        SinkRunner runner = new SinkRunner(settings, sink, client, new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> runner.health().state() == RunnerHealth.State.RETRYING);
        assertThat(runner.health().detail()).contains("dead-letter topic " + topic + ".dlq");
        // the batch holding the event stays unresolved: at most the offsets before the event may be committed
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> testing.committedTotal(settings.groupId(), topic) <= 10
                        && runner.health().state() == RunnerHealth.State.RETRYING);

        kafka.createTopic(topic + ".dlq", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == 50);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).isNotEmpty();
        assertThat(letters)
                .allSatisfy(l -> assertThat(header(l, "sl.source.offset")).isEqualTo("10"));
        assertThat(sink.stored()).hasSize(49);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.health().state() == RunnerHealth.State.RUNNING);
    }

    /**
     * Each {@code dead-letter.headers} value, read back from a real broker: streamloader's headers, Kafka Connect's
     * (names and meanings as Connect's dead-letter reporter writes them), or both; the source record's own headers
     * kept, its forged error headers of either family dropped.
     */
    @ParameterizedTest
    @EnumSource(DeadLetterHeaders.class)
    void theConfiguredHeaderFamiliesAreWritten(DeadLetterHeaders family) {
        String topic = "headers-" + family.configName() + "-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + ".dlq", 1);
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                var record = new ProducerRecord<byte[], byte[]>(
                        topic, null, (i == 7 ? "poison" : "{}").getBytes(StandardCharsets.UTF_8));
                record.headers().add(Event.ID_HEADER, ("e-" + i).getBytes(StandardCharsets.UTF_8));
                record.headers().add("__connect.errors.topic", "forged".getBytes(StandardCharsets.UTF_8));
                record.headers().add("sl.error.reason", "forged".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        }
        RunnerSettings settings = settings("fam-" + family.configName(), topic).withDeadLetterHeaders(family);
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            s.store(batch.stream()
                    .filter(e -> !e.valueAsString().equals("poison"))
                    .toList());
            return WriteResult.failed(batch.stream()
                    .filter(e -> e.valueAsString().equals("poison"))
                    .map(e -> EventFailure.permanent(e, "unconvertible value", "bad_value"))
                    .toList());
        });
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == 20);

        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.getFirst();
        assertThat(header(letter, Event.ID_HEADER)).isEqualTo("e-7");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
        Map<String, String> ours = Map.of(
                "sl.error.sink", settings.name(),
                "sl.error.reason", "unconvertible value",
                "sl.error.class", "bad_value",
                "sl.source.topic", topic,
                "sl.source.partition", "0",
                "sl.source.offset", "7");
        Map<String, String> connect = Map.of(
                "__connect.errors.topic", topic,
                "__connect.errors.partition", "0",
                "__connect.errors.offset", "7",
                "__connect.errors.connector.name", settings.name(),
                "__connect.errors.stage", "TASK_PUT",
                "__connect.errors.exception.class.name", "bad_value",
                "__connect.errors.exception.message", "unconvertible value");
        boolean withOurs = family != DeadLetterHeaders.CONNECT;
        boolean withConnect = family != DeadLetterHeaders.STREAMLOADER;
        ours.forEach((key, value) ->
                assertThat(headers(letter, key)).as(key).isEqualTo(withOurs ? List.of(value) : List.of()));
        connect.forEach((key, value) ->
                assertThat(headers(letter, key)).as(key).isEqualTo(withConnect ? List.of(value) : List.of()));
        assertThat(headers(letter, "sl.error.time")).hasSize(withOurs ? 1 : 0);
    }

    private RunnerSettings settings(String name, String topic) {
        return RunnerSettings.builder(name)
                .type("recording")
                .topics(List.of(topic))
                .groupId("streamloader." + name + "." + topic)
                .batch(new BatchPolicy(50, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 0.2, Duration.ZERO))
                .build();
    }

    /** The sink stores every event but the big one, which it refuses for good; all stored exactly once. */
    private void start(RunnerSettings settings) {
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            List<EventFailure> refused = batch.stream()
                    .filter(e -> e.valueSize() > 1 << 20)
                    .map(e -> EventFailure.permanent(e, "document too large for the store", "too_large"))
                    .toList();
            s.store(batch.stream().filter(e -> e.valueSize() <= 1 << 20).toList());
            return WriteResult.failed(refused);
        });
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.stored().size() == 200);
        assertThat(sink.stored()).doesNotContainKey("big");
        assertThat(sink.stored().keySet()).allMatch(id -> sink.writesOf(id) == 1);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    /** A source topic that allows 4 MiB records, and its dead-letter topic with {@code dlqLimit} (0: default). */
    private String topics(TestInfo info, int dlqLimit) throws Exception {
        String topic = info.getTestMethod().orElseThrow().getName().substring(0, 20) + "-" + System.nanoTime();
        try (Admin admin = testing.admin()) {
            NewTopic dlq = new NewTopic(topic + ".dlq", 1, (short) 1);
            if (dlqLimit > 0) {
                dlq.configs(Map.of("max.message.bytes", Integer.toString(dlqLimit)));
            }
            admin.createTopics(List.of(
                            new NewTopic(topic, 1, (short) 1)
                                    .configs(Map.of("max.message.bytes", Integer.toString(SOURCE_LIMIT))),
                            dlq))
                    .all()
                    .get();
        }
        kafka.createTopic(topic, 1); // exists: waits until its partition has a leader
        kafka.createTopic(topic + ".dlq", 1);
        return topic;
    }

    /** 100 small events, one of 3 MiB at offset 100, 100 small ones after it. */
    private byte[] produceAroundABigEvent(String topic) throws InterruptedException, ExecutionException {
        byte[] big = new byte[BIG];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('A' + i % 23);
        }
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                SOURCE_LIMIT);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 201; i++) {
                String id = i == 100 ? "big" : "e-" + i;
                byte[] value = i == 100 ? big : ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, value);
                record.headers().add(Event.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(); // one by one: offsets in this order
            }
        }
        return big;
    }

    private static List<String> headers(ConsumerRecord<byte[], byte[]> record, String key) {
        var values = new ArrayList<String>();
        record.headers().headers(key).forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
        return values;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
