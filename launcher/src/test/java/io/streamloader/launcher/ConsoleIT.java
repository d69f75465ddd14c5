package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against a real broker and a real sink run (the example jsonl sink, loaded as a plugin): events posted
 * to the producer API and poison events produced to the topic; the overview's numbers, the dead letters with their
 * reasons, replay (scopes enforced, loops and forged letters refused, a fixed letter stored by the sink), and the
 * {@code dlq} command.
 */
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER = "reader-key-0123456789";
    private static final String REPLAYER = "replay-key-0123456789";
    private static final Path PLUGIN = Path.of(System.getProperty("basedir", "."))
            .resolve("../examples/sink-jsonl/target/plugin/jsonl")
            .normalize();

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Platform platform;

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void overviewDeadLettersAndReplayAgainstARealBrokerAndSink() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "console-it-" + System.nanoTime();
        String dlq = topic + ".dlq";
        kafka.createTopic(topic, 2);
        kafka.createTopic(dlq, 1);
        // a clickstream rollup beside the sink: its throughput and state in the overview and in /metrics
        kafka.createTopic(topic + "-clicks", 1);
        kafka.createTopic(topic + "-rollups", 1);
        kafka.createTopic(topic + "-clicks.dlq", 1);
        // the flows views' topics (the clicks view reads the rollup's output)
        for (String flow : List.of("-fleet", "-images", "-foot", "-some")) {
            kafka.createTopic(topic + flow, 2);
        }
        Path config = config(kafka, topic);
        platform = new Platform(Startup.validate(config, Map.of())).start();
        String admin = "http://127.0.0.1:" + platform.adminPort();
        TestingKafka testing = new TestingKafka(kafka.bootstrapServers());

        // 30 good events through the API, 3 poison ones straight to the topic
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            array.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append('}');
        }
        HttpResponse<String> posted = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort() + "/topics/" + topic))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                array.append(']').toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        testing.produce(topic, "poison-", 3, i -> i == 0 ? "<script>alert(1)</script>" : "{broken " + i);
        String click = "{\"user_id\":\"u%d\",\"timestamp\":\"2023-07-01T10:00:0%d\",\"url\":\"http://a.example/\","
                + "\"country\":\"Chile\"}";
        HttpResponse<String> clicks = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + platform.apiPort() + "/topics/" + topic + "-clicks"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[" + click.formatted(1, 1) + ","
                                + click.formatted(2, 2) + "," + click.formatted(3, 3) + ",{\"user_id\":\"u4\"}]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(clicks.statusCode()).as(clicks.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> testing.endTotal(dlq) == 3);

        // the producer API's welcome links to the console
        HttpResponse<String> welcome = get("http://127.0.0.1:" + platform.apiPort() + "/", null);
        assertThat(welcome.body()).contains("href=\"" + admin + "/\"");

        // the page and its assets, with a Content-Security-Policy
        HttpResponse<String> page = get(admin + "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
        assertThat(page.body()).contains("/console/app.js");
        assertThat(get(admin + "/console/vendor/uPlot.iife.min.js", null).body())
                .contains("uPlot");
        assertThat(get(admin + "/console/nothing-here", null).statusCode()).isEqualTo(404);
        // the overview's first load (page, styles, scripts, one overview answer) stays under 300 KB
        long weight = 0;
        for (String path : List.of(
                "/",
                "/console/vendor/uPlot.min.css",
                "/console/app.css",
                "/console/vendor/uPlot.iife.min.js",
                "/console/app.js",
                "/console/api/overview")) {
            HttpResponse<byte[]> asset = http.send(
                    HttpRequest.newBuilder(URI.create(admin + path))
                            .header("X-API-Key", READER)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            weight += asset.body().length;
        }
        System.out.println("CONSOLE_FIRST_LOAD bytes=" + weight);
        assertThat(weight).isLessThan(300_000);

        // the overview: real numbers once the events flowed; a key with scope read needed
        assertThat(get(admin + "/console/api/overview", null).statusCode()).isEqualTo(401);
        assertThat(get(admin + "/console/api/overview", REPLAYER).statusCode()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode overview =
                    JSON.readTree(get(admin + "/console/api/overview", READER).body());
            assertThat(overview.at("/api/" + topic + "/total").asLong()).isEqualTo(30);
            assertThat(overview.at("/sinks/files/written/total").asLong()).isEqualTo(30);
            assertThat(overview.at("/sinks/files/deadLettered/total").asLong()).isEqualTo(3);
            long byReason = 0;
            for (JsonNode reason : overview.at("/sinks/files/deadLettersByReason")) {
                byReason += reason.get("total").asLong();
            }
            assertThat(byReason).as("dead letters by reason").isEqualTo(3);
            assertThat(overview.at("/sinks/files/state").asText()).isEqualTo("RUNNING");
            assertThat(overview.at("/sinks/files/store").asText()).isEqualTo("UP");
            // the processor's rate and state: 4 clicks in, 1 of them dead-lettered, its rollup published
            assertThat(overview.at("/processors/clicks/state").asText()).isEqualTo("RUNNING");
            assertThat(overview.at("/processors/clicks/in/total").asLong()).isEqualTo(4);
            assertThat(overview.at("/processors/clicks/deadLettered/total").asLong())
                    .isEqualTo(1);
            assertThat(overview.at("/processors/clicks/out/total").asLong()).isPositive();
            assertThat(overview.at("/processors/clicks/in/perSecond").isNumber())
                    .isTrue();
        });
        // Micrometer's Kafka binder registers a partition's records-lag at its next refresh (every 60 s)
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode lag = JSON.readTree(
                            get(admin + "/console/api/overview", READER).body())
                    .at("/sinks/files/lag");
            assertThat(lag).hasSize(2);
            assertThat(lag.findValuesAsText("topic")).containsOnly(topic);
            assertThat(lag.findValuesAsText("lag")).containsOnly("0");
        });

        // Prometheus: lag per sink and partition, dead letters by reason, state, unwritten age, JVM and process
        List<String> metrics = get(admin + "/metrics", READER).body().lines().toList();
        assertThat(metrics.stream()
                        .filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag{"))
                        .filter(l -> l.contains("sink=\"files\"") && l.contains("topic=\"" + topic + "\""))
                        .map(l -> l.replaceAll(".*[{,](partition=\"\\d+\").*", "$1"))
                        .distinct())
                .hasSize(2);
        assertThat(metrics.stream()
                        .filter(l -> l.startsWith("streamloader_sink_dead_letters_total{"))
                        .filter(l -> l.contains("sink=\"files\"") && l.contains("reason=\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum())
                .isEqualTo(3.0);
        assertThat(metrics)
                .contains("streamloader_sink_state{sink=\"files\",state=\"RUNNING\"} 1.0")
                .contains("streamloader_processor_state{processor=\"clicks\",state=\"RUNNING\"} 1.0")
                .contains("streamloader_processor_events_in_total{processor=\"clicks\"} 4.0")
                .contains(
                        "streamloader_processor_events_dead_lettered_total{processor=\"clicks\",reason=\"invalid_click\"}"
                                + " 1.0")
                .anySatisfy(l -> assertThat(l).startsWith("streamloader_sink_unresolved_age_seconds{sink=\"files\"}"))
                .anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes{"))
                .anySatisfy(l -> assertThat(l).startsWith("jvm_threads_live_threads "))
                .anySatisfy(l -> assertThat(l).startsWith("process_cpu_usage "))
                .anySatisfy(l -> assertThat(l).startsWith("process_uptime_seconds "));
        // every metric the committed Grafana dashboard and alert rules query is one this run exports
        java.util.Set<String> exported = metrics.stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(java.util.stream.Collectors.toSet());
        assertThat(exported).containsAll(MonitoringFilesTest.metricNames());

        flows(admin, "http://127.0.0.1:" + platform.apiPort(), topic, testing);

        // the dead letters: reasons, source coordinates, escaped preview
        assertThat(get(admin + "/console/api/dead-letters?sink=files", null).statusCode())
                .isEqualTo(401);
        assertThat(get(admin + "/console/api/dead-letters", READER).statusCode())
                .isEqualTo(400);
        assertThat(get(admin + "/console/api/dead-letters?sink=nope", READER).statusCode())
                .isEqualTo(404);
        HttpResponse<String> listed = get(admin + "/console/api/dead-letters?sink=files&limit=10", READER);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain("<script");
        JsonNode letters = JSON.readTree(listed.body());
        assertThat(letters.get("total").asLong()).isEqualTo(3);
        assertThat(letters.at("/counts/value is not JSON").asLong()).isEqualTo(3);
        assertThat(letters.get("letters")).hasSize(3);
        assertThat(letters.get("letters").findValuesAsText("sourceTopic")).containsOnly(topic);
        assertThat(letters.get("letters").findValuesAsText("reason"))
                .allSatisfy(r -> assertThat(r).startsWith("value is not JSON"));
        assertThat(letters.get("letters").findValues("value").stream()
                        .map(v -> v.get("text").asText())
                        .toList())
                .contains("<script>alert(1)</script>", "{broken 1", "{broken 2");

        // replay: scope replay, JSON only, same origin
        String byReason = "{\"sink\":\"files\",\"reason\":\"value is not JSON\"}";
        assertThat(post(admin, byReason, READER, "application/json").statusCode())
                .isEqualTo(403);
        assertThat(post(admin, byReason, null, "application/json").statusCode()).isEqualTo(401);
        assertThat(post(admin, byReason, REPLAYER, "text/plain").statusCode()).isEqualTo(415);
        HttpResponse<String> invalid = post(admin, "{\"sink\":\"files\"}", REPLAYER, "application/json");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).get("field").asText()).isEqualTo("reason");

        HttpResponse<String> dry =
                post(admin, byReason.replace("}", ",\"dryRun\":true}"), REPLAYER, "application/json");
        assertThat(JSON.readTree(dry.body()).get("replayed").asLong()).isEqualTo(3);
        HttpResponse<String> replayed = post(admin, byReason, REPLAYER, "application/json");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(replayed.body());
        assertThat(report.get("matched").asLong()).isEqualTo(3);
        assertThat(report.get("replayed").asLong()).isEqualTo(3);
        assertThat(report.get("failed").asLong()).isZero();

        // the source topic got them back with the replay marker and without the letter's headers
        List<ConsumerRecord<byte[], byte[]>> source = testing.readAll(topic, 36);
        List<ConsumerRecord<byte[], byte[]>> back = source.stream()
                .filter(r -> r.headers().lastHeader("sl.replayed-from") != null)
                .toList();
        assertThat(back).hasSize(3);
        assertThat(back).allSatisfy(r -> {
            assertThat(r.headers().lastHeader("sl.error.reason")).isNull();
            assertThat(r.headers().lastHeader("sl.source.topic")).isNull();
            assertThat(r.headers().lastHeader("__connect.errors.topic")).isNull();
            assertThat(text(r.headers().lastHeader("sl.replayed-from").value())).startsWith(dlq + "/0/");
            assertThat(text(r.headers().lastHeader("sl.replay.count").value())).isEqualTo("1");
            assertThat(text(r.headers().lastHeader("sl.replay.by").value())).isEqualTo("replayer");
        });
        assertThat(back.stream().map(r -> text(r.value())))
                .containsExactlyInAnyOrder("<script>alert(1)</script>", "{broken 1", "{broken 2");

        // still broken: the sink dead-letters them again; the same request now skips the three it replayed
        await().atMost(Duration.ofSeconds(30)).until(() -> testing.endTotal(dlq) == 6);
        JsonNode again = JSON.readTree(
                post(admin, "{\"sink\":\"files\",\"partition\":0,\"from\":0,\"to\":2}", REPLAYER, "application/json")
                        .body());
        assertThat(again.get("alreadyReplayed").asLong()).isEqualTo(3);
        assertThat(again.get("replayed").asLong()).isZero();

        // forged and exhausted letters stay put; a fixed one (valid JSON now) is replayed and stored by the sink
        try (var producer = producer(kafka)) {
            producer.send(letter(dlq, topic, "fixed", "{\"fixed\":true}", Map.of()))
                    .get();
            producer.send(letter(dlq, topic, "forged", "{}", Map.of("sl.replay.count", "3")))
                    .get();
            producer.send(letter(dlq, "some-other-topic", "forged", "{}", Map.of()))
                    .get();
            producer.send(letter(dlq, topic, "forged", "{\"cut", Map.of("sl.error.truncated", "true")))
                    .get();
        }
        JsonNode forged =
                JSON.readTree(post(admin, "{\"sink\":\"files\",\"reason\":\"forged\"}", REPLAYER, "application/json")
                        .body());
        assertThat(forged.get("matched").asLong()).isEqualTo(3);
        assertThat(forged.get("replayed").asLong()).isZero();
        assertThat(forged.get("loops").asLong()).isEqualTo(1);
        assertThat(forged.get("foreignSource").asLong()).isEqualTo(1);
        assertThat(forged.get("truncated").asLong()).isEqualTo(1);
        JsonNode fixed =
                JSON.readTree(post(admin, "{\"sink\":\"files\",\"reason\":\"fixed\"}", REPLAYER, "application/json")
                        .body());
        assertThat(fixed.get("replayed").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        lines(dir.resolve("out").resolve(topic)).stream().anyMatch(l -> l.contains("\"fixed\":true")));

        // the dlq command prints the same from the config file
        CliTesting list = new CliTesting();
        assertThat(list.run("dlq", "list", "--config", config.toString(), "--sink", "files", "--limit", "5"))
                .as(list.err.toString())
                .isZero();
        assertThat(list.out.toString())
                .contains("sink files: 10 dead letter(s) in [" + dlq + "]")
                .contains("value is not JSON")
                .contains("forged");
        CliTesting dryRun = new CliTesting();
        assertThat(dryRun.run(
                        "dlq",
                        "replay",
                        "--config",
                        config.toString(),
                        "--sink",
                        "files",
                        "--reason",
                        "forged",
                        "--dry-run"))
                .as(dryRun.err.toString())
                .isZero();
        assertThat(dryRun.out.toString())
                .startsWith("dry run: 0 of 3 matched letter(s) would be replayed; skipped: 1 replayed 3 times"
                        + " already, 1 truncated, 1 with a foreign source, 0 already replayed; 0 failed");
        CliTesting cli = new CliTesting();
        assertThat(cli.run("dlq", "replay", "--config", config.toString(), "--sink", "files", "--reason", "fixed"))
                .isZero();
        // the console replayed it: the replay record (a topic) tells this other client not to send it again
        assertThat(cli.out.toString())
                .startsWith("0 of 1 matched letter(s) replayed; skipped: 0 replayed 3 times already, 0 truncated, 0"
                        + " with a foreign source, 1 already replayed; 0 failed");
        assertThat(new CliTesting().run("dlq", "replay", "--config", config.toString(), "--sink", "files"))
                .isEqualTo(ExitCodes.INVALID);
    }

    /**
     * The flows views on real topics: a vehicle's latest report, the rollup's page by country, a PNG as a thumbnail
     * (served with the type of its signature) beside a hostile value that is not an image, a match row, a document.
     */
    private void flows(String admin, String api, String topic, TestingKafka testing) throws Exception {
        String form =
                "timestamp=%s&make=Ford&model=Bronco&position_x=%s&position_y=%s&position_z=0&speed=%s&vin=VIN0001";
        post(
                api + "/topics/" + topic + "-fleet",
                "application/x-www-form-urlencoded",
                bytes(form.formatted("1700000000.5", "1.5", "2.5", "80")));
        post(
                api + "/topics/" + topic + "-fleet",
                "application/x-www-form-urlencoded",
                bytes(form.formatted("1700000001.5", "3.5", "4.5", "91.5")));
        post(
                api + "/topics/" + topic + "-fleet",
                "application/json",
                bytes("{\"vin\":\"<b>VIN2</b>\u202e\",\"speed\":\"1e999\",\"make\":\"<img src=x onerror=alert(1)>\"}"));
        byte[] png = png();
        post(api + "/topics/" + topic + "-images", "image/png", png);
        testing.produce(
                topic + "-images", "svg-", 1, i -> "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
        post(
                api + "/topics/" + topic + "-foot",
                "application/json",
                bytes("[{\"id\":400001,\"utcDate\":\"2024-05-01T19:00:00Z\",\"status\":\"FINISHED\",\"matchday\":33,"
                        + "\"competition\":{\"name\":\"Ligue 1\"},\"homeTeam\":{\"name\":\"OGC Nice\"},"
                        + "\"awayTeam\":{\"name\":\"RC Lens\"},"
                        + "\"score\":{\"winner\":\"HOME_TEAM\",\"fullTime\":{\"home\":2,\"away\":1}}}]"));
        post(api + "/topics/" + topic + "-some", "application/json", bytes("{\"vehicle\":\"<script>x</script>\"}"));

        assertThat(get(admin + "/console/api/flows", null).statusCode()).isEqualTo(401);
        JsonNode views = JSON.readTree(get(admin + "/console/api/flows", READER).body());
        assertThat(views.get("views").findValuesAsText("name"))
                .containsExactly("fleet", "clicks", "images", "matches", "somedata");
        assertThat(get(admin + "/console/api/flows/view?name=nope", READER).statusCode())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> answer = get(admin + "/console/api/flows/view?name=fleet", READER);
            assertThat(answer.body()).doesNotContain("<b>").doesNotContain("<img");
            JsonNode fleet = JSON.readTree(answer.body());
            assertThat(fleet.get("vehicles")).hasSize(2);
            JsonNode vin1 = fleet.get("vehicles").get(1);
            assertThat(vin1.get("vin").asText()).isEqualTo("VIN0001");
            assertThat(vin1.get("speed").asDouble()).isEqualTo(91.5);
            assertThat(vin1.get("x").asDouble()).isEqualTo(3.5);
            JsonNode hostile = fleet.get("vehicles").get(0);
            assertThat(hostile.get("vin").asText()).startsWith("<b>VIN2</b>").doesNotContain("\u202e");
            assertThat(hostile.has("speed")).as("1e999 is not finite").isFalse();
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode clicks = JSON.readTree(
                    get(admin + "/console/api/flows/view?name=clicks", READER).body());
            assertThat(clicks.at("/countries/0/country").asText()).isEqualTo("Chile");
            assertThat(clicks.at("/countries/0/pages/0/url").asText()).isEqualTo("http://a.example/");
            assertThat(clicks.at("/countries/0/pages/0/clicks").asLong()).isEqualTo(3);
        });
        JsonNode[] images = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            images[0] = JSON.readTree(get(admin + "/console/api/flows/view?name=images", READER)
                            .body())
                    .get("images");
            assertThat(images[0]).hasSize(2);
        });
        JsonNode image = null;
        JsonNode svg = null;
        for (JsonNode i : images[0]) {
            if (i.path("type").asText().equals("image/png")) {
                image = i;
            } else {
                svg = i;
            }
        }
        assertThat(image).isNotNull();
        assertThat(image.get("thumbnail").asBoolean()).isTrue();
        assertThat(image.get("size").asInt()).isEqualTo(png.length);
        assertThat(svg).isNotNull();
        assertThat(svg.get("thumbnail").asBoolean()).isFalse();
        String at = "?partition=" + image.get("partition").asInt() + "&offset="
                + image.get("offset").asLong();
        assertThat(get(admin + "/console/api/flows/image" + at, null).statusCode())
                .isEqualTo(401);
        HttpResponse<byte[]> served = http.send(
                HttpRequest.newBuilder(URI.create(admin + "/console/api/flows/image" + at))
                        .header("X-API-Key", READER)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(png);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String svgAt = "?partition=" + svg.get("partition").asInt() + "&offset="
                + svg.get("offset").asLong();
        assertThat(get(admin + "/console/api/flows/image" + svgAt, READER).statusCode())
                .isEqualTo(404);
        assertThat(get(admin + "/console/api/flows/image?partition=0&offset=-1", READER)
                        .statusCode())
                .isEqualTo(400);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode matches = JSON.readTree(
                    get(admin + "/console/api/flows/view?name=matches", READER).body());
            assertThat(matches.at("/matches/0/home").asText()).isEqualTo("OGC Nice");
            assertThat(matches.at("/matches/0/away").asText()).isEqualTo("RC Lens");
            assertThat(matches.at("/matches/0/homeGoals").asInt()).isEqualTo(2);
            HttpResponse<String> some = get(admin + "/console/api/flows/view?name=somedata", READER);
            assertThat(some.body()).doesNotContain("<script>");
            assertThat(JSON.readTree(some.body()).at("/documents/0/value/text").asText())
                    .contains("<script>x</script>");
        });
    }

    /** A small real PNG. */
    static byte[] png() throws IOException {
        var image = new java.awt.image.BufferedImage(24, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 24; x++) {
            for (int y = 0; y < 16; y++) {
                image.setRGB(x, y, x < 12 ? 0x2b6cb0 : 0xc05621);
            }
        }
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private void post(String url, String type, byte[] body) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Path config(KafkaService kafka, String topic) throws IOException {
        assertThat(PLUGIN)
                .as("the example's plugin directory; build it with ./mvnw -B -pl launcher -am verify")
                .isDirectoryContaining("glob:**/streamloader-example-sink-jsonl-*.jar");
        Path plugins = dir.resolve("plugins").resolve("jsonl");
        Files.createDirectories(plugins);
        try (Stream<Path> jars = Files.list(PLUGIN)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka: { bootstrap-servers: "%1$s" }
                topics:
                  %3$s: { partitions: 2 }
                  %3$s-clicks: { partitions: 1 }
                  %3$s-clicks.dlq: { partitions: 1 }
                  %3$s-rollups: { partitions: 1, config: { cleanup.policy: compact } }
                  %3$s-fleet: { partitions: 2 }
                  %3$s-images: { partitions: 2 }
                  %3$s-foot: { partitions: 2 }
                  %3$s-some: { partitions: 2 }
                console:
                  flows:
                    fleet: { topic: %3$s-fleet }
                    clicks: { topic: %3$s-rollups }
                    images: { topic: %3$s-images }
                    matches: { topic: %3$s-foot }
                    somedata: { topic: %3$s-some }
                processors:
                  clicks:
                    type: clickstream-rollup
                    input: %3$s-clicks
                    output: %3$s-rollups
                    state-dir: %7$s
                    processing-guarantee: at-least-once
                plugins: { dir: %2$s }
                api:
                  host: 127.0.0.1
                  port: 0
                  topics: [%3$s, %3$s-clicks, %3$s-fleet, %3$s-images, %3$s-foot, %3$s-some]
                admin:
                  host: 127.0.0.1
                  port: 0
                  keys:
                    reader: { key: %4$s, scopes: [read] }
                    replayer: { key: %5$s, scopes: [replay] }
                sinks:
                  files:
                    type: jsonl
                    topics: [%3$s]
                    config: { dir: %6$s }
                """.formatted(
                        kafka.bootstrapServers(),
                        dir.resolve("plugins"),
                        topic,
                        READER,
                        REPLAYER,
                        dir.resolve("out"),
                        dir.resolve("streams")));
        ConfigLoader.load(config, Map.of()); // fails here, naming the key, if the file is wrong
        return config;
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String admin, String body, String key, String type) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(admin + "/console/api/dead-letters/replay"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ProducerRecord<byte[], byte[]> letter(
            String dlq, String source, String reason, String value, Map<String, String> extra) {
        var headers = new RecordHeaders();
        headers.add("sl.error.reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("sl.source.topic", source.getBytes(StandardCharsets.UTF_8));
        headers.add("sl.source.partition", "0".getBytes(StandardCharsets.UTF_8));
        headers.add("sl.source.offset", "0".getBytes(StandardCharsets.UTF_8));
        headers.add("sl-event-id", ("hand-made-" + reason + "-" + value.length()).getBytes(StandardCharsets.UTF_8));
        extra.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(dlq, 0, (byte[]) null, value.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaService kafka) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static List<String> lines(Path topicDir) {
        if (!Files.isDirectory(topicDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(topicDir)) {
            return files.flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
