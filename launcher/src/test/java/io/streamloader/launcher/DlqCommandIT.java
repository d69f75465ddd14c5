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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamloader dlq} against a real broker and a running sink (the example jsonl sink, loaded as a plugin):
 * 1,000 dead letters of three reasons; counts by reason exact; {@code --since}, {@code --reason} and {@code show};
 * one reason replayed with {@code --dry-run} (nothing sent), with {@code --limit} (exactly that many sent), then the
 * rest; each replayed event stored once; a second command and the console (another process's view: the replay record
 * is a topic, not memory) replay none of them again; letters replayed three times before stay put.
 */
class DlqCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PLUGIN = Path.of(System.getProperty("basedir", "."))
            .resolve("../examples/sink-jsonl/target/plugin/jsonl")
            .normalize();
    private static final String NOT_JSON = "value is not JSON";
    private static final String MAPPING = "mapping refused";
    private static final String TOO_LARGE = "too large";

    @TempDir
    Path dir;

    private Platform platform;

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void thousandLettersOfThreeReasonsListedShownAndReplayedOnceEach() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "dlq-cli-it-" + System.nanoTime();
        String dlq = topic + ".dlq";
        kafka.createTopic(topic, 3);
        kafka.createTopic(dlq, 3);
        TestingKafka testing = new TestingKafka(kafka.bootstrapServers());

        // 400 + 350 + 250 letters; 50 of the last reason were replayed three times already
        Instant before = Instant.now();
        try (var producer = producer(kafka)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String reason = i < 400 ? NOT_JSON + ": at " + i : i < 750 ? MAPPING + ": field f" : TOO_LARGE;
                Map<String, String> extra = i >= 950 ? Map.of("sl.replay.count", "3") : Map.of();
                sent.add(producer.send(letter(dlq, i % 3, topic, reason, "e-" + i, "{\"n\":" + i + "}", extra)));
            }
            for (var f : sent) {
                f.get();
            }
        }
        Path config = config(kafka, topic);

        // list: exact counts by reason, --reason and --since filters
        CliTesting list = cli("dlq", "list", "--config", config.toString(), "--sink", "files", "--limit", "5");
        assertThat(list.out.toString())
                .contains("sink files: 1000 dead letter(s) in [" + dlq + "]")
                .contains(String.format("  %8d  %s%n", 400, NOT_JSON))
                .contains(String.format("  %8d  %s%n", 350, MAPPING))
                .contains(String.format("  %8d  %s%n", 250, TOO_LARGE));
        assertThat(list.out.toString().lines().filter(l -> l.startsWith(dlq + "/")))
                .hasSize(5);
        CliTesting byReason = cli(
                "dlq", "list", "--config", config.toString(), "--sink", "files", "--reason", MAPPING, "--limit", "500");
        assertThat(byReason.out.toString())
                .contains("by reason (newest 350 scanned)")
                .doesNotContain(NOT_JSON)
                .doesNotContain(TOO_LARGE);
        assertThat(byReason.out.toString().lines().filter(l -> l.startsWith(dlq + "/")))
                .hasSize(350);
        assertThat(cli("dlq", "list", "--config", config.toString(), "--sink", "files", "--since", "1h")
                        .out
                        .toString())
                .contains("by reason (newest 1000 scanned)");
        assertThat(cli(
                                "dlq",
                                "list",
                                "--config",
                                config.toString(),
                                "--sink",
                                "files",
                                "--since",
                                Instant.now().plusSeconds(3600).toString())
                        .out
                        .toString())
                .contains("by reason (newest 0 scanned)");
        CliTesting badSince = new CliTesting();
        assertThat(badSince.run("dlq", "list", "--config", config.toString(), "--sink", "files", "--since", "soon"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(badSince.err.toString()).contains("--since must be an ISO-8601 instant");

        // show: one letter in full, its headers and value
        CliTesting show = cli("dlq", "show", "--config", config.toString(), "--sink", "files", dlq + "/0/0");
        assertThat(show.out.toString())
                .contains("letter:    " + dlq + "/0/0")
                .contains("reason:    " + NOT_JSON + ": at 0")
                .contains("source:    " + topic + "/0@0")
                .contains("  sl-event-id: e-0")
                .contains("value:     {\"n\":0}");
        assertThat(new CliTesting()
                        .run("dlq", "show", "--config", config.toString(), "--sink", "files", "other.dlq/0/0"))
                .isEqualTo(ExitCodes.INVALID);

        // the sink runs (and its admin endpoint, for the console's view of the same record)
        platform = new Platform(Startup.validate(config, Map.of())).start();

        // dry run: counted, nothing sent
        String[] replayNotJson = {
            "dlq", "replay", "--config", config.toString(), "--sink", "files", "--reason", NOT_JSON
        };
        CliTesting dry = cli(append(replayNotJson, "--dry-run"));
        assertThat(dry.out.toString())
                .startsWith("dry run: 400 of 400 matched letter(s) would be replayed; skipped: 0 replayed 3 times"
                        + " already, 0 truncated, 0 with a foreign source, 0 already replayed; 0 failed\n");
        assertThat(testing.endTotal(topic)).isZero();

        // --limit: exactly 150 sent
        CliTesting limited = cli(append(replayNotJson, "--limit", "150"));
        assertThat(limited.out.toString())
                .startsWith("150 of 150 matched letter(s) replayed; skipped: 0 replayed 3 times already, 0 truncated,"
                        + " 0 with a foreign source, 0 already replayed; 0 failed (stopped by --limit or --timeout:"
                        + " more may match)");
        assertThat(testing.endTotal(topic)).isEqualTo(150);

        // the rest: the 150 are on the replay record, so this (new) command skips them
        CliTesting rest = cli(replayNotJson);
        assertThat(rest.out.toString())
                .startsWith("250 of 400 matched letter(s) replayed; skipped: 0 replayed 3 times already, 0 truncated,"
                        + " 0 with a foreign source, 150 already replayed; 0 failed\n");
        assertThat(testing.endTotal(topic)).isEqualTo(400);

        // again, from the command and from the console: nothing is sent twice
        assertThat(cli(replayNotJson).out.toString()).startsWith("0 of 400 matched letter(s) replayed");
        HttpResponse<String> console = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.adminPort()
                                        + "/console/api/dead-letters/replay"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"sink\":\"files\",\"reason\":\"" + NOT_JSON + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(console.body());
        assertThat(report.get("replayed").asLong()).isZero();
        assertThat(report.get("alreadyReplayed").asLong()).isEqualTo(400);
        assertThat(testing.endTotal(topic)).isEqualTo(400);

        // loops refused: the 50 letters replayed three times before stay put
        CliTesting loops = cli(
                "dlq",
                "replay",
                "--config",
                config.toString(),
                "--sink",
                "files",
                "--reason",
                TOO_LARGE,
                "--since",
                before.minusSeconds(60).toString(),
                "--dry-run");
        assertThat(loops.out.toString())
                .startsWith("dry run: 200 of 250 matched letter(s) would be replayed; skipped: 50 replayed 3 times"
                        + " already");

        // the sink stored each replayed event once: 400 lines, 400 distinct ids, exactly the first reason's
        Path out = dir.resolve("out").resolve(topic);
        await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).size() >= 400);
        List<String> ids = new ArrayList<>();
        for (String line : lines(out)) {
            ids.add(JSON.readTree(line).get("id").asText());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expected.add("e-" + i);
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(testing.endTotal(dlq)).isEqualTo(1000); // none failed again
    }

    private static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static CliTesting cli(String... args) {
        CliTesting cli = new CliTesting();
        assertThat(cli.run(args)).as(cli.err.toString()).isZero();
        return cli;
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
        Files.writeString(
                config, """
                kafka: { bootstrap-servers: "%1$s" }
                topics: { %3$s: { partitions: 3 } }
                plugins: { dir: %2$s }
                admin: { host: 127.0.0.1, port: 0 }
                sinks:
                  files:
                    type: jsonl
                    topics: [%3$s]
                    config: { dir: %4$s }
                """.formatted(kafka.bootstrapServers(), dir.resolve("plugins"), topic, dir.resolve("out")));
        ConfigLoader.load(config, Map.of());
        return config;
    }

    private static ProducerRecord<byte[], byte[]> letter(
            String dlq,
            int partition,
            String source,
            String reason,
            String id,
            String value,
            Map<String, String> extra) {
        var headers = new RecordHeaders();
        headers.add("sl.error.reason", utf8(reason));
        headers.add("sl.source.topic", utf8(source));
        headers.add("sl.source.partition", utf8(Integer.toString(partition)));
        headers.add("sl.source.offset", utf8("0"));
        headers.add("sl-event-id", utf8(id));
        extra.forEach((k, v) -> headers.add(k, utf8(v)));
        return new ProducerRecord<>(dlq, partition, (byte[]) null, utf8(value), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
