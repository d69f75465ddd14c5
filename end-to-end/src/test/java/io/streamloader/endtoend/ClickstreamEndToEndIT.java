package io.streamloader.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.rollup.ClickRollupConfig;
import io.streamloader.rollup.ClickRollupProcessor;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's proof: clicks POSTed to producer-api, rolled up, indexed by the Elasticsearch sink. Every field of every
 * document is asserted, with the rollup restarted mid-stream (local state lost) before the second half is posted.
 */
class ClickstreamEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String A = "http://bradley-lopez.com/";
    private static final String B = "https://larsen.info/";

    private final KafkaService kafka = DevStack.kafka();
    private final String es = DevStack.elasticsearch().url();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String suffix = "-" + System.nanoTime();
    private final String input = "clickstream" + suffix;
    private final String output = "click_events" + suffix;
    private final String index = "click_events" + suffix;

    @TempDir
    Path stateDirs;

    private String api;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void postedClicksEndAsOneCompleteDocumentPerUrlAndCountryAcrossARestart() throws Exception {
        createTopics();
        startApi();
        startSink();
        ClickRollupProcessor first = startRollup("run1");

        // first half: the same user twice on one page, two countries for A, a 7.5-day span on B
        post("k1", click("u1", "2023-07-01T10:00:00", A, "Chile"));
        post("k2", click("u1", "2023-07-01T10:05:00", A, "Chile"));
        post("k4", click("u3", "2023-07-02T08:00:00", A, "Peru"));
        post("k5", click("u1", "2023-07-10T00:00:00", B, "Czech Republic"));
        post("k7", click("u5", "2023-07-10T03:00:00", B, "Czech Republic"));
        post("k8", click("u6", "2023-07-01T00:00:00", B, "Dominican Republic"));
        post("bad-url", "{\"user_id\":\"u9\",\"timestamp\":\"2023-07-01T00:00:00\",\"country\":\"Chile\"}");

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(documents())
                        .containsOnlyKeys(A + "|Chile", A + "|Peru", B + "|Czech Republic", B + "|Dominican Republic")
                        .containsEntry(
                                A + "|Chile",
                                doc(
                                        A,
                                        "Chile",
                                        2,
                                        1,
                                        "2023-07-01T10:00:00Z",
                                        "2023-07-01T10:05:00Z",
                                        300,
                                        "300",
                                        "00:05:00")));

        first.close(); // restart mid-stream; the next run starts from an empty state directory
        // second half, while no rollup runs
        post("k3", positional("u2", "2023-07-04T10:00:00", A, "Chile")); // 3 days after the first click
        post("k1", click("u1", "2023-07-01T10:00:00", A, "Chile")); // re-posted: same Idempotency-Key
        post("k6", click("u4", "2023-07-10T01:30:00", B, "Czech Republic")); // out of order, inside the span
        post("k9", click("u6", "2023-07-08T12:00:30", B, "Dominican Republic"));
        post("k8", click("u6", "2023-07-01T00:00:00", B, "Dominican Republic")); // re-posted
        post("bad-ts", click("u9", "2023-07-01 10:00", A, "Chile"));
        startRollup("run2");

        Map<String, JsonNode> expected = new TreeMap<>(Map.of(
                A + "|Chile",
                doc(A, "Chile", 3, 2, "2023-07-01T10:00:00Z", "2023-07-04T10:00:00Z", 259_200, "129600", "1.12:00:00"),
                A + "|Peru",
                doc(A, "Peru", 1, 1, "2023-07-02T08:00:00Z", "2023-07-02T08:00:00Z", 0, "0", "00:00:00"),
                B + "|Czech Republic",
                doc(
                        B,
                        "Czech Republic",
                        3,
                        3,
                        "2023-07-10T00:00:00Z",
                        "2023-07-10T03:00:00Z",
                        10_800,
                        "3600",
                        "01:00:00"),
                B + "|Dominican Republic",
                doc(
                        B,
                        "Dominican Republic",
                        2,
                        1,
                        "2023-07-01T00:00:00Z",
                        "2023-07-08T12:00:30Z",
                        648_030,
                        "648030",
                        "7.12:00:30")));
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(documents()).isEqualTo(expected));
        assertThat(count()).as("exactly one document per pair").isEqualTo(4);

        JsonNode mapping =
                get("/" + index + "/_mapping").get(index).get("mappings").get("properties");
        assertThat(mapping.get("url").get("type").asText()).isEqualTo("keyword");
        assertThat(mapping.get("country").get("type").asText()).isEqualTo("keyword");
        assertThat(mapping.get("clicks").get("type").asText()).isEqualTo("long");
        assertThat(mapping.get("unique_users").get("type").asText()).isEqualTo("long");
        assertThat(mapping.get("first_click").get("type").asText()).isEqualTo("date");
        assertThat(mapping.get("last_click").get("type").asText()).isEqualTo("date");
        assertThat(mapping.get("time_spent_sec").get("type").asText()).isEqualTo("long");
        assertThat(mapping.get("average_time_sec").get("type").asText()).isEqualTo("double");
        assertThat(mapping.get("average_time").get("type").asText()).isEqualTo("keyword");

        List<ConsumerRecord<byte[], byte[]>> letters =
                new TestingKafka(kafka.bootstrapServers()).readAll(input + ".dlq", 2);
        assertThat(letters)
                .extracting(r ->
                        new String(r.headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(
                        "missing url",
                        "bad timestamp '2023-07-01 10:00': expected ISO-8601 such as 2023-07-10T22:04:43 (UTC)");
    }

    private void createTopics() throws InterruptedException, ExecutionException {
        kafka.createTopic(input, 3);
        kafka.createTopic(input + ".dlq", 1);
        kafka.createTopic(output + ".dlq", 1);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(output, 2, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
    }

    private void startApi() {
        ApiConfig config = ApiConfig.from(
                Map.of("host", "127.0.0.1", "port", 0, "topics", List.of(input), "positional-topics", List.of(input)));
        Javalin app = ProducerApi.connect(
                        config,
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .create()
                .start();
        open.add(app::stop);
        api = "http://127.0.0.1:" + app.port();
    }

    private void startSink() {
        // the index template the rollup ships for its output (rollup/README.md)
        Map<String, String> sinkConfig = Map.of(
                "urls", es,
                "index", index,
                "templates.click_events.file",
                        Path.of("../rollup/templates/click_events.json")
                                .toAbsolutePath()
                                .normalize()
                                .toString());
        RunnerSettings settings = RunnerSettings.builder("search")
                .type("elasticsearch")
                .topics(List.of(output))
                .groupId("streamloader.search" + suffix)
                .batch(new BatchPolicy(500, 4L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2, Duration.ZERO))
                .sinkConfig(sinkConfig)
                .build();
        // read_committed: the rollup writes its output in transactions; aborted attempts must not reach the index
        SinkRunner runner = new SinkRunner(
                settings,
                new ElasticsearchSinkFactory(),
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
                new SimpleMeterRegistry());
        open.add(runner);
        runner.start();
    }

    private ClickRollupProcessor startRollup(String stateDir) {
        ClickRollupConfig config = new ClickRollupConfig(
                "clickstream",
                input,
                output,
                input + ".dlq",
                "streamloader.clickstream" + suffix,
                stateDirs.resolve(stateDir),
                1,
                true,
                ClickRollupConfig.DEFAULT_COMMIT_INTERVAL,
                ClickRollupConfig.DEFAULT_CACHE_MAX_BYTES,
                ClickRollupConfig.DEFAULT_DEDUP_RETENTION,
                Map.of());
        ClickRollupProcessor processor =
                new ClickRollupProcessor(config, Map.of("bootstrap.servers", kafka.bootstrapServers()));
        open.add(processor);
        processor.start();
        await().atMost(PATIENCE).until(() -> processor.health().state() == RunnerHealth.State.RUNNING);
        return processor;
    }

    /** POSTs one click as JSON, an object or (the input being a positional topic) a positional array. */
    private void post(String idempotencyKey, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(api + "/topics/" + input))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String click(String user, String timestamp, String url, String country) {
        return ("{\"user_id\":\"%s\",\"timestamp\":\"%s\",\"url\":\"%s\",\"country\":\"%s\",\"city\":\"Brandonstad\","
                        + "\"browser\":\"Mozilla/5.0 (X11)\",\"os\":\"X11; Linux i686\",\"device\":\"fire\"}")
                .formatted(user, timestamp, url, country);
    }

    private static String positional(String user, String timestamp, String url, String country) {
        return "[\"%s\",\"%s\",\"%s\",\"%s\",\"Brandonstad\",\"Mozilla/5.0 (X11)\",\"X11; Linux i686\",\"fire\"]"
                .formatted(user, timestamp, url, country);
    }

    private static JsonNode doc(
            String url,
            String country,
            long clicks,
            long users,
            String first,
            String last,
            long spent,
            String averageSeconds,
            String average) {
        try {
            return JSON.readTree(("{\"url\":\"%s\",\"country\":\"%s\",\"clicks\":%d,\"unique_users\":%d,"
                            + "\"first_click\":\"%s\",\"last_click\":\"%s\",\"time_spent_sec\":%d,"
                            + "\"average_time_sec\":%s,\"average_time\":\"%s\"}")
                    .formatted(url, country, clicks, users, first, last, spent, averageSeconds, average));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every document of the index by {@code _id}, after a refresh. */
    private Map<String, JsonNode> documents() throws IOException, InterruptedException {
        send("POST", "/" + index + "/_refresh");
        JsonNode hits = get("/" + index + "/_search?size=100").get("hits").get("hits");
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : hits) {
            docs.put(hit.get("_id").asText(), hit.get("_source"));
        }
        return docs;
    }

    private long count() throws IOException, InterruptedException {
        return get("/" + index + "/_count").get("count").asLong();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", path));
    }

    private String send(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(es + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // 404: the sink has not created the index yet; 503: it has, but its primary shard is not started yet
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return "{\"hits\":{\"hits\":[]},\"count\":0}";
        }
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
