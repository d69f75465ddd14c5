package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingOpenSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Kafka → pipeline → elasticsearch sink → the devstack's real Elasticsearch 8.19. */
class ElasticsearchSinkIT {
    private static final Path CLICK_EVENTS = Path.of("templates/click_events.json");

    private final KafkaService kafka = DevStack.kafka();
    private final ElasticsearchService elasticsearch = DevStack.elasticsearch();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final TestingElasticsearch es = new TestingElasticsearch(elasticsearch.url());
    private final List<SinkRunner> runners = new ArrayList<>();
    private final ElasticsearchSinkFactory factory = new ElasticsearchSinkFactory();

    @AfterEach
    void closeRunners() {
        runners.forEach(SinkRunner::close);
    }

    private String topic(TestInfo info, int partitions) {
        String topic = info.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT) + "-" + System.nanoTime();
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
        return topic;
    }

    private Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("urls", elasticsearch.url());
        return config;
    }

    private SinkRunner run(String topic, String group, int workers, Map<String, String> sinkConfig) {
        RunnerSettings settings = RunnerSettings.builder("search")
                .type("elasticsearch")
                .topics(List.of(topic))
                .groupId(group)
                .workers(workers)
                .batch(new BatchPolicy(1000, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2, Duration.ZERO))
                .sinkConfig(config(sinkConfig))
                .build();
        SinkRunner runner = new SinkRunner(settings, factory, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        return runner;
    }

    /** Unicode, escapes, odd whitespace and number spellings a parse-and-reserialize round trip would change. */
    private static String json(int i) {
        return "{\"n\": " + i + " , \"price\":1.50,\"big\":1e3,\"name\":\"caf\u00e9 \\u00e9 \\\"q\\\" \u65e5\","
                + "\"tags\":[ \"a\",\"b\" ],\"nested\":{\"ok\":true,\"none\":null},\"pad\":\"" + "x".repeat(i % 200)
                + "\"}";
    }

    @Test
    void fiftyThousandEventsBecomeFiftyThousandByteIdenticalDocumentsAndRedeliveryOverwrites(TestInfo info) {
        String topic = topic(info, 3);
        int total = 50_000;
        testing.produce(topic, "doc-", total, ElasticsearchSinkIT::json);

        SinkRunner first = run(topic, "first-" + topic, 2, Map.of());
        await().atMost(Duration.ofMinutes(4)).until(() -> testing.committedTotal("first-" + topic, topic) == total);
        first.close();
        assertThat(es.count(topic)).isEqualTo(total);
        for (int from = 0; from < total; from += 5000) {
            List<String> ids =
                    IntStream.range(from, from + 5000).mapToObj(i -> "doc-" + i).toList();
            Map<String, byte[]> sources = es.sources(topic, ids);
            assertThat(sources).hasSize(ids.size());
            for (int i = from; i < from + 5000; i++) {
                assertThat(new String(sources.get("doc-" + i), UTF_8)).isEqualTo(json(i));
            }
        }

        // a new group reads everything again from offset 0: every document is overwritten, none added
        run(topic, "again-" + topic, 2, Map.of());
        await().atMost(Duration.ofMinutes(4)).until(() -> testing.committedTotal("again-" + topic, topic) == total);
        assertThat(es.count(topic)).isEqualTo(total);
        assertThat(es.json("GET", "/" + topic + "/_doc/doc-7", null)
                        .get("_version")
                        .asInt())
                .isEqualTo(2);
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
    }

    @Test
    void goodDocumentsAreIndexedAndDocumentsThatConflictWithTheMappingGoToTheDeadLetterTopic(TestInfo info) {
        String topic = topic(info, 2);
        String index = "click_events-" + topic;
        List<String> values = new ArrayList<>();
        Map<Integer, String> bad = Map.of(
                3, "{\"url\":\"https://a.example/\",\"clicks\":\"many\"}",
                10, "{\"url\":\"https://b.example/\",\"colour\":\"red\"}",
                17, "this is not json",
                24, "{\"url\":\"https://c.example/\",\"clicks\":",
                31, "{\"url\":\"https://d.example/\",\"first_click\":\"last tuesday\"}");
        for (int i = 0; i < 40; i++) {
            values.add(bad.getOrDefault(
                    i,
                    "{\"url\":\"https://larsen.info/" + i + "\",\"country\":\"Czech Republic\",\"clicks\":3,"
                            + "\"unique_users\":3,\"average_time\":\"02:18:32\"}"));
        }
        testing.produce(topic, "c-", values.size(), values::get);
        SinkRunner runner = run(
                topic,
                "mixed-" + topic,
                1,
                Map.of("index", "click_events-{topic}", "templates.click_events.file", CLICK_EVENTS.toString()));

        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal("mixed-" + topic, topic) == 40);
        assertThat(es.count(index)).isEqualTo(35);
        List<ConsumerRecord<byte[], byte[]>> dead = testing.readAll(topic + ".dlq", 5);
        Map<String, String> reasons = dead.stream()
                .collect(Collectors.toMap(r -> new String(r.key(), UTF_8), r -> header(r, "sl.error.reason")));
        assertThat(reasons).containsOnlyKeys("c-3", "c-10", "c-17", "c-24", "c-31");
        assertThat(reasons.get("c-3")).contains("failed to parse field [clicks] of type [long]");
        assertThat(reasons.get("c-10"))
                .contains("strict_dynamic_mapping_exception")
                .contains("[colour]");
        assertThat(reasons.get("c-17")).contains("not a JSON object");
        assertThat(reasons.get("c-24")).startsWith("Elasticsearch 400");
        assertThat(reasons.get("c-31")).contains("first_click");
        assertThat(dead)
                .extracting(r -> header(r, "sl.error.class"))
                .containsOnly("document_parsing_exception", "strict_dynamic_mapping_exception", "not_json");
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), UTF_8);
    }

    @Test
    void templateIsInstalledAndAppliedAndTheTimestampIsADate(TestInfo info) {
        String topic = topic(info, 1);
        testing.produce(
                topic,
                "t-",
                3,
                i -> "{\"url\":\"https://x.example/" + i + "\",\"country\":\"Chile\",\"clicks\":" + i
                        + ",\"unique_users\":1,\"average_time\":\"00:01:00\",\"first_click\":\"2023-07-10T22:04:43\","
                        + "\"timestamp\":1742700000}");
        run(
                topic,
                "tpl-" + topic,
                1,
                Map.of(
                        "index", "click_events-{topic}-{yyyy.MM}",
                        "templates.click_events.file", CLICK_EVENTS.toString(),
                        "timestamp.enabled", "true"));
        String index = "click_events-" + topic + "-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyy.MM")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(java.time.Instant.now());
        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal("tpl-" + topic, topic) == 3);
        assertThat(es.count(index)).isEqualTo(3);
        assertThat(es.json("GET", "/_index_template/click_events", null).toString())
                .contains("click_events-*");
        assertThat(es.fieldType(index, "url")).isEqualTo("keyword");
        assertThat(es.fieldType(index, "country")).isEqualTo("keyword");
        assertThat(es.fieldType(index, "clicks")).isEqualTo("long");
        assertThat(es.fieldType(index, "first_click")).isEqualTo("date");
        assertThat(es.fieldType(index, "timestamp")).isEqualTo("date");
        String source =
                es.json("GET", "/" + index + "/_doc/t-1", null).get("_source").toString();
        assertThat(source).doesNotContain("1742700000").containsPattern("\"timestamp\":\"20\\d\\d-\\d\\d-\\d\\dT");
        assertThat(es.json("GET", "/" + index + "/_settings", null).toString())
                .contains("\"number_of_replicas\":\"0\"");
    }

    @Test
    void dynamicMappingMakesTheEnrichedTimestampADateToo(TestInfo info) {
        String topic = topic(info, 1);
        testing.produce(topic, "d-", 2, i -> "{\"user\":\"alice\",\"action\":\"login\",\"timestamp\":1234567890}");
        run(topic, "dyn-" + topic, 1, Map.of("timestamp.enabled", "true"));
        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal("dyn-" + topic, topic) == 2);
        assertThat(es.fieldType(topic, "timestamp")).isEqualTo("date");
    }

    @Test
    void epochSecondsTimestampIsSetOnEveryDocumentAsTheSeed000LoaderDid(TestInfo info) {
        String topic = topic(info, 1);
        long before = java.time.Instant.now().getEpochSecond();
        testing.produce(topic, "s-", 3, i -> switch (i) {
            case 0 -> "{\"user\":\"alice\",\"action\":\"login\",\"timestamp\":1234567890}";
            case 1 -> "{\"timestamp\":null}";
            default -> "{}";
        });
        run(topic, "sec-" + topic, 1, Map.of("timestamp.enabled", "true", "timestamp.format", "epoch-seconds"));
        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal("sec-" + topic, topic) == 3);
        long after = java.time.Instant.now().getEpochSecond();
        es.json("POST", "/" + topic + "/_refresh", null);
        for (int i = 0; i < 3; i++) {
            var source = es.json("GET", "/" + topic + "/_doc/s-" + i, null).get("_source");
            assertThat(source.get("timestamp").isIntegralNumber())
                    .as(source.toString())
                    .isTrue();
            assertThat(source.get("timestamp").asLong()).isBetween(before, after);
        }
        assertThat(es.json("GET", "/" + topic + "/_doc/s-0", null)
                        .get("_source")
                        .get("user")
                        .asText())
                .isEqualTo("alice");
        assertThat(es.fieldType(topic, "timestamp")).isEqualTo("long"); // as the original: dynamic mapping, a number
    }

    @Test
    void positionalClicksAreStoredAsNamedFieldsAndAWrongArityIsDeadLettered(TestInfo info) {
        String topic = topic(info, 1);
        String fields = "user_id,timestamp,url,country,city,browser,os,device";
        testing.produce(topic, "c-", 3, i -> switch (i) {
            case 0 ->
                "[\"f5755a75-2add-454f-9ba3-138201656833\",\"2023-07-10T22:04:43\",\"http://bradley-lopez.com/\","
                        + "\"Dominican Republic\",\"Brandonstad\",\"Mozilla/5.0 (iPhone; CPU iPhone OS 12_4_8 like Mac OS X)\","
                        + "\"X11; Linux i686\",\"fire\"]";
            case 1 -> "{\"user_id\":\"u2\",\"url\":\"http://a/\",\"country\":\"France\"}";
            default -> "[\"u3\",\"2023-07-10T22:04:43\"]";
        });
        run(topic, "pos-" + topic, 1, Map.of("positional.fields", fields));
        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal("pos-" + topic, topic) == 3);
        var click = es.json("GET", "/" + topic + "/_doc/c-0", null).get("_source");
        assertThat(click.get("user_id").asText()).isEqualTo("f5755a75-2add-454f-9ba3-138201656833");
        assertThat(click.get("timestamp").asText()).isEqualTo("2023-07-10T22:04:43");
        assertThat(click.get("url").asText()).isEqualTo("http://bradley-lopez.com/");
        assertThat(click.get("country").asText()).isEqualTo("Dominican Republic");
        assertThat(click.get("city").asText()).isEqualTo("Brandonstad");
        assertThat(click.get("os").asText()).isEqualTo("X11; Linux i686");
        assertThat(click.get("device").asText()).isEqualTo("fire");
        assertThat(click.size()).isEqualTo(8);
        assertThat(es.exists(topic, "c-1")).as("objects still pass through").isTrue();
        assertThat(es.exists(topic, "c-2")).isFalse();
        var letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).hasSize(1);
        assertThat(new String(letters.getFirst()
                        .headers()
                        .lastHeader("sl.error.reason")
                        .value()))
                .contains("positional array has 2 element(s); positional.fields names 8");
    }

    @Test
    void elasticsearchStoppedForThirtySecondsMidLoadLosesAndDuplicatesNothing(TestInfo info) throws Exception {
        String topic = topic(info, 3);
        int total = 40_000;
        testing.produce(topic, "o-", total, ElasticsearchSinkIT::json);
        String group = "outage-" + topic;
        try (TestingOpenSink probe =
                TestingOpenSink.open(factory, new SinkContext("probe", config(Map.of("request-timeout", "5s"))))) {
            SinkRunner runner = run(topic, group, 2, Map.of("request-timeout", "10s"));
            await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal(group, topic) > 2000);
            long stoppedAt = System.nanoTime();
            try {
                elasticsearch.stop();
                assertThat(testing.committedTotal(group, topic))
                        .as("stopped mid-load")
                        .isLessThan(total);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> runner.health().state() == RunnerHealth.State.RETRYING);
                assertThatThrownBy(probe::checkHealth).isNotNull();
                // Offsets of batches stored before the stop may still be committed for a while: a partition revoked
                // when the second worker joins is committed once its worker stops waiting (at most 10 s) for the
                // batch in flight. From 15 s into the outage on, nothing may be committed until Elasticsearch is back.
                Thread.sleep(Math.max(0, Duration.ofSeconds(15).toMillis() - millisSince(stoppedAt)));
                long committedWhileDown = testing.committedTotal(group, topic);
                long rest = Math.max(1_000, Duration.ofSeconds(30).toMillis() - millisSince(stoppedAt));
                await().during(Duration.ofMillis(rest))
                        .atMost(Duration.ofMillis(rest + 5_000))
                        .until(() -> testing.committedTotal(group, topic) == committedWhileDown);
                assertThat(committedWhileDown).as("committed while down").isLessThan(total);
                assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RETRYING);
            } finally {
                elasticsearch.start();
            }
            await().atMost(Duration.ofMinutes(4)).until(() -> testing.committedTotal(group, topic) == total);
            await().atMost(Duration.ofMinutes(1)).until(() -> runner.health().state() == RunnerHealth.State.RUNNING);
            probe.checkHealth();
        }
        assertThat(es.count(topic)).isEqualTo(total);
        Map<String, byte[]> some = es.sources(topic, List.of("o-0", "o-19999", "o-39999"));
        assertThat(some).hasSize(3);
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
    }

    @Test
    void badCaPathIsAStartupErrorNamingTheKey() {
        SinkContext context = new SinkContext(
                "search", config(Map.of("urls", "https://127.0.0.1:9200", "tls.ca-file", "/no/such/http_ca.crt")));
        assertThatThrownBy(() -> factory.open(context, factory.parse(context)))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .startsWith("sinks.search.config.tls.ca-file: file /no/such/http_ca.crt")));
        assertThatThrownBy(() -> factory.parse(context)).isInstanceOf(SinkConfigException.class);
    }

    @Test
    void aTemplateElasticsearchRejectsIsAStartupErrorNamingTheKey() {
        SinkContext context = new SinkContext(
                "search",
                config(Map.of(
                        "templates.broken.inline",
                        "{\"index_patterns\":[\"broken-*\"],\"template\":{\"mappings\":{\"properties\":"
                                + "{\"a\":{\"type\":\"no_such_type\"}}}}}")));
        assertThatThrownBy(() -> factory.open(context, factory.parse(context)))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p)
                                        .startsWith("sinks.search.config.templates.broken: Elasticsearch rejected")
                                        .contains("no_such_type")));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
