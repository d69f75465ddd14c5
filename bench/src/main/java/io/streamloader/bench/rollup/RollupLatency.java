package io.streamloader.bench.rollup;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.rollup.ClickRollupConfig;
import io.streamloader.rollup.ClickRollupProcessor;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * End-to-end delay of the clickstream rollup: POST one click to producer-api, then read the pair's document from
 * Elasticsearch by id (a real-time GET, no refresh) until its click count includes it. One click at a time, so each
 * sample is the delay of an otherwise idle pipeline: API → Kafka → rollup (exactly-once, commit interval) → compacted
 * topic → sink batch → Elasticsearch.
 */
final class RollupLatency {

    private static final Pattern CLICKS = Pattern.compile("\"clicks\":(\\d+)");
    private static final Path TEMPLATE = Path.of("rollup/templates/click_events.json");

    private final HttpClient http = HttpClient.newHttpClient();

    /** Delays in milliseconds, sorted, after {@code warmup} discarded samples. */
    double[] measure(int samples, int warmup, Duration commitInterval) throws Exception {
        KafkaService kafka = DevStack.kafka();
        String es = DevStack.elasticsearch().url();
        String suffix = "-" + System.currentTimeMillis();
        String input = "bench-clickstream" + suffix;
        String output = "bench-click_events" + suffix;
        String index = "click_events" + suffix;
        kafka.createTopic(input, 3);
        kafka.createTopic(input + ".dlq", 1);
        kafka.createTopic(output + ".dlq", 1);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(output, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
        Map<String, Object> kafkaProps = Map.of("bootstrap.servers", kafka.bootstrapServers());
        Javalin api = ProducerApi.connect(
                        ApiConfig.from(Map.of("host", "127.0.0.1", "port", 0, "topics", List.of(input))),
                        kafkaProps,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .create()
                .start();
        Map<String, String> sinkConfig = new HashMap<>(Map.of("urls", es, "index", index));
        if (Files.isReadable(TEMPLATE)) {
            sinkConfig.put(
                    "templates.click_events.file", TEMPLATE.toAbsolutePath().toString());
        }
        SinkRunner sink = new SinkRunner(
                RunnerSettings.builder("search")
                        .type("elasticsearch")
                        .topics(List.of(output))
                        .groupId("bench.search" + suffix)
                        .batch(new BatchPolicy(500, 4L << 20, Duration.ofMillis(5)))
                        .sinkConfig(sinkConfig)
                        .build(),
                new ElasticsearchSinkFactory(),
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
                new SimpleMeterRegistry());
        ClickRollupProcessor rollup = new ClickRollupProcessor(
                new ClickRollupConfig(
                        "bench",
                        input,
                        output,
                        input + ".dlq",
                        "bench.rollup" + suffix,
                        Path.of(System.getProperty("java.io.tmpdir"), "rollup-bench", "latency" + suffix),
                        1,
                        true,
                        commitInterval,
                        ClickRollupConfig.DEFAULT_CACHE_MAX_BYTES,
                        ClickRollupConfig.DEFAULT_DEDUP_RETENTION,
                        Map.of()),
                kafkaProps);
        try (sink;
                rollup) {
            sink.start();
            rollup.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (rollup.health().state() != RunnerHealth.State.RUNNING && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            String apiUrl = "http://127.0.0.1:" + api.port() + "/topics/" + input;
            double[] delays = new double[samples];
            for (int i = 0; i < warmup + samples; i++) {
                String url = "http://site-" + (i % 10) + ".example/";
                String country = "Chile";
                long expectedClicks = i / 10 + 1;
                String body = ("{\"user_id\":\"user-%d\",\"timestamp\":\"2023-07-%02dT10:00:00\",\"url\":\"%s\","
                                + "\"country\":\"%s\",\"city\":\"c\",\"browser\":\"b\",\"os\":\"o\",\"device\":\"d\"}")
                        .formatted(i, 1 + i % 28, url, country);
                long start = System.nanoTime();
                HttpResponse<String> posted = http.send(
                        HttpRequest.newBuilder(URI.create(apiUrl))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (posted.statusCode() != 200) {
                    throw new IllegalStateException("POST failed: " + posted.statusCode() + " " + posted.body());
                }
                String doc = es + "/" + index + "/_doc/" + encode(url + "|" + country);
                while (clicks(doc) < expectedClicks) {
                    if (System.nanoTime() > deadline + Duration.ofMinutes(10).toNanos()) {
                        throw new IllegalStateException("document " + doc + " never reached " + expectedClicks);
                    }
                    if (rollup.health().state() == RunnerHealth.State.FAILED) {
                        throw new IllegalStateException(
                                "rollup failed: " + rollup.health().detail());
                    }
                    LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                }
                if (i >= warmup) {
                    delays[i - warmup] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(delays);
            return delays;
        } finally {
            api.stop();
        }
    }

    private long clicks(String docUrl) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(docUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return 0;
        }
        Matcher m = CLICKS.matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
