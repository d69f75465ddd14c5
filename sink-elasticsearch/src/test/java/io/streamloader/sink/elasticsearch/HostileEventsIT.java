package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.Event;
import io.streamloader.testing.TestingKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka → pipeline → elasticsearch sink → real Elasticsearch, with {@link TestingHostileEvents} interleaved among 1,000
 * good events: no hostile event may fail, stall or cost a good one.
 */
class HostileEventsIT {
    private static final int GOOD = 1_000;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Cases that cannot be indexed whatever Elasticsearch's version: they must be dead-lettered. */
    private static final List<String> MUST_DEAD_LETTER = List.of(
            "not-json",
            "invalid-utf8",
            "empty-value",
            "tombstone",
            "whitespace-only",
            "scalar-number",
            "array-of-objects",
            "positional-click",
            "truncated-object",
            "single-quotes",
            "raw-newline-in-string",
            "raw-nul-in-string",
            "duplicate-key",
            "empty-field-name",
            "metadata-field_id",
            "metadata-field_source",
            "object-into-long",
            "string-into-long",
            "garbage-date",
            "scalar-into-object",
            "immense-keyword",
            "too-many-fields",
            "deep-objects-30",
            "deep-objects-5000",
            "id-513-bytes",
            "id-171-three-byte-chars",
            "id-10k",
            "content-type-text");

    /** Cases that are valid documents under valid ids: they must be stored. */
    private static final List<String> MUST_STORE = List.of(
            "pretty-printed",
            "escaped-nul",
            "number-minus-zero",
            "id-512-bytes",
            "id-quotes-backslashes",
            "id-unicode",
            "id-missing",
            "id-blank",
            "content-type-params",
            "header-invalid-utf8",
            "huge-string",
            "long-array");

    private final KafkaService kafka = DevStack.kafka();
    private final ElasticsearchService elasticsearch = DevStack.elasticsearch();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final TestingElasticsearch es = new TestingElasticsearch(elasticsearch.url());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SinkRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void everyHostileEventIsStoredOrDeadLetteredAndEveryGoodEventIsStoredOnce() throws Exception {
        String topic = "hostile-" + System.nanoTime();
        kafka.createTopic(topic, 3);
        kafka.createTopic(topic + ".dlq", 1);
        es.request("PUT", "/" + topic, TestingHostileEvents.MAPPINGS);

        List<TestingHostileEvents.Case> cases = TestingHostileEvents.all();
        Map<String, String> storedIds = produce(topic, cases);
        long total = testing.endTotal(topic);
        assertThat(total).isEqualTo(GOOD + cases.size() + 4);

        String group = "hostile-" + topic;
        runner = run(topic, group);
        await().atMost(Duration.ofMinutes(3)).until(() -> testing.committedTotal(group, topic) == total);

        // every good event stored exactly once, as it was sent
        assertThat(es.count(topic)).isPositive(); // refreshes the index
        JsonNode good = es.json("POST", "/" + topic + "/_count", "{\"query\":{\"term\":{\"good\":true}}}");
        assertThat(good.get("count").asLong()).isEqualTo(GOOD);
        Map<String, byte[]> sources = es.sources(
                topic, IntStream.range(0, GOOD).mapToObj(i -> "g-" + i).toList());
        assertThat(sources).hasSize(GOOD);
        IntStream.range(0, GOOD)
                .forEach(i ->
                        assertThat(new String(sources.get("g-" + i), UTF_8)).isEqualTo(good(i)));

        // every hostile event stored or dead-lettered with a reason
        long dead = testing.endTotal(topic + ".dlq");
        Map<String, String> reasons = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", (int) dead);
        assertThat(letters).hasSize((int) dead);
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            String name = header(r, TestingHostileEvents.CASE_HEADER);
            assertThat(name)
                    .as("a good event was dead-lettered: %s", header(r, Event.ID_HEADER))
                    .isNotEmpty();
            assertThat(header(r, "sl.error.reason")).as("reason of %s", name).isNotBlank();
            // a letter may repeat after a rebalance (at least once); its reason is the same
            reasons.put(name, header(r, "sl.error.reason"));
        }
        Map<String, String> outcome = new LinkedHashMap<>();
        for (TestingHostileEvents.Case c : cases) {
            String id = storedIds.get(c.name());
            boolean stored = id.getBytes(UTF_8).length <= 512 && es.exists(topic, id);
            boolean deadLettered = reasons.containsKey(c.name());
            assertThat(stored || deadLettered)
                    .as("%s stored or dead-lettered", c.name())
                    .isTrue();
            assertThat(stored && deadLettered)
                    .as("%s both stored and dead-lettered", c.name())
                    .isFalse();
            outcome.put(c.name(), stored ? "stored" : "DLQ: " + abbreviate(reasons.get(c.name())));
        }
        outcome.forEach((name, what) -> System.out.println("hostile case " + name + " -> " + what));
        assertThat(MUST_DEAD_LETTER)
                .allSatisfy(n -> assertThat(outcome.get(n)).as(n).startsWith("DLQ"));
        assertThat(MUST_STORE).allSatisfy(n -> assertThat(outcome.get(n)).as(n).isEqualTo("stored"));

        // same id twice: the stored document is the one that succeeded, whichever came first
        assertThat(reasons).containsKeys("dup-later-fails", "dup-earlier-fails");
        assertThat(new String(es.sources(topic, List.of("dup-a")).get("dup-a"), UTF_8))
                .isEqualTo("{\"g_name\":\"earlier of dup-a\"}");
        assertThat(new String(es.sources(topic, List.of("dup-b")).get("dup-b"), UTF_8))
                .isEqualTo("{\"g_name\":\"later of dup-b\"}");

        // settled: running, nothing retried any more, every offset committed
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        double retried = retried();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> retried() == retried && testing.committedTotal(group, topic) == total);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    private SinkRunner run(String topic, String group) {
        RunnerSettings settings = RunnerSettings.builder("search")
                .type("elasticsearch")
                .topics(List.of(topic))
                .groupId(group)
                .workers(2)
                .batch(new BatchPolicy(1000, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2, Duration.ofSeconds(20)))
                .sinkConfig(Map.of("urls", elasticsearch.url()))
                .build();
        SinkRunner r = new SinkRunner(settings, new ElasticsearchSinkFactory(), testing.clientProperties(), meters);
        r.start();
        return r;
    }

    private double retried() {
        return meters.find("streamloader.sink.events.retried").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static String good(int i) {
        return "{\"good\":true,\"g_n\":" + i + ",\"g_name\":\"caf\u00e9 \\u00e9 \\\"q\\\" \u65e5 " + i + "\"}";
    }

    /** Produces the good events with the cases interleaved; returns each case's id as the sink will write it. */
    private Map<String, String> produce(String topic, List<TestingHostileEvents.Case> cases)
            throws InterruptedException, ExecutionException {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                1_000_000);
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        Map<String, String> ids = new HashMap<>();
        int every = GOOD / cases.size();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int next = 0;
            for (int i = 0; i < GOOD; i++) {
                send(producer, topic, "g-" + i, "g-" + i, good(i).getBytes(UTF_8), Map.of());
                if (i % every == 0 && next < cases.size()) {
                    TestingHostileEvents.Case c = cases.get(next++);
                    Map<String, byte[]> headers = new HashMap<>(c.headers());
                    headers.put(TestingHostileEvents.CASE_HEADER, c.name().getBytes(UTF_8));
                    sent.put(c.name(), send(producer, topic, c.name(), c.id(), c.value(), headers));
                    if (c.id() != null && !c.id().isBlank()) {
                        ids.put(c.name(), new String(c.id().getBytes(UTF_8), UTF_8));
                    }
                }
                if (i == GOOD / 2) { // same id, same partition, one after the other: the position decides
                    pair(
                            producer,
                            topic,
                            "dup-a",
                            "{\"g_name\":\"earlier of dup-a\"}",
                            "{\"h_num\":\"bad\"}",
                            "dup-later-fails");
                    pair(
                            producer,
                            topic,
                            "dup-b",
                            "{\"h_num\":{\"bad\":1}}",
                            "{\"g_name\":\"later of dup-b\"}",
                            "dup-earlier-fails");
                }
            }
            if (next < cases.size()) {
                throw new IllegalStateException("corpus larger than the good events can interleave");
            }
            producer.flush();
        }
        for (Map.Entry<String, Future<RecordMetadata>> e : sent.entrySet()) {
            RecordMetadata m = e.getValue().get();
            ids.putIfAbsent(e.getKey(), m.topic() + "-" + m.partition() + "-" + m.offset());
        }
        return ids;
    }

    private static void pair(
            KafkaProducer<byte[], byte[]> producer, String topic, String id, String first, String second, String bad) {
        boolean laterFails = bad.equals("dup-later-fails");
        send(producer, topic, id, id, first.getBytes(UTF_8), laterFails ? Map.of() : caseHeader(bad));
        send(producer, topic, id, id, second.getBytes(UTF_8), laterFails ? caseHeader(bad) : Map.of());
    }

    private static Map<String, byte[]> caseHeader(String name) {
        return Map.of(TestingHostileEvents.CASE_HEADER, name.getBytes(UTF_8));
    }

    private static Future<RecordMetadata> send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            String id,
            byte[] value,
            Map<String, byte[]> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(UTF_8), value);
        if (id != null) {
            record.headers().add(Event.ID_HEADER, id.getBytes(UTF_8));
        }
        headers.forEach((name, bytes) -> record.headers().add(name, bytes));
        return producer.send(record);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
