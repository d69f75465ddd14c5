package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example custom sink (examples/sink-jsonl) installed the way an operator installs one: its plugin directory copied
 * to {@code plugins/jsonl/}, then {@code streamloader run} in a separate JVM with {@code type: jsonl}.
 */
class CustomSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Built by the example module's package phase (the launcher depends on it for build order). */
    private static final Path PLUGIN = Path.of(System.getProperty("basedir", "."))
            .resolve("../examples/sink-jsonl/target/plugin/jsonl")
            .normalize();

    @TempDir
    Path dir;

    @Test
    void writesEveryEventToItsPartitionsFileAndDeadLettersTheOneThatIsNotJson() throws Exception {
        assertThat(PLUGIN)
                .as("the example's plugin directory; build it with ./mvnw -B -pl launcher -am verify")
                .isDirectoryContaining("glob:**/streamloader-example-sink-jsonl-*.jar");
        Path plugins = dir.resolve("plugins");
        copyDirectory(PLUGIN, plugins.resolve("jsonl"));
        Path out = dir.resolve("out");

        KafkaService kafka = DevStack.kafka();
        String topic = "jsonl-it-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dlq", 1);
        int adminPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            adminPort = probe.getLocalPort();
        }
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: ${BOOTSTRAP}
                topics:
                  %1$s: { partitions: 2 }
                plugins:
                  dir: %2$s
                admin:
                  host: 127.0.0.1
                  port: %4$d
                sinks:
                  files:
                    type: jsonl
                    topics: [%1$s]
                    group-id: jsonl-it-%1$s
                    config:
                      dir: %3$s
                      fsync: true
                """.formatted(topic, plugins, out, adminPort));
        TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
        testing.produce(topic, "e-", 100, i -> i == 42 ? "{\"i\": broken" : "{\"i\": " + i + "}");

        Process process = start(config, kafka.bootstrapServers());
        try {
            // a line being appended may be read half-written: ignore that and look again
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> lines(out.resolve(topic)).size() >= 99);
            await().atMost(Duration.ofSeconds(30)).until(() -> testing.endTotal(topic + ".dlq") == 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> testing.committedTotal("jsonl-it-" + topic, topic) == 100);

            // the sink's checkHealth (its directory is writable) feeds the admin endpoint's readiness
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"files\":{\"state\":\"RUNNING\"");
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nrun.log:\n" + Files.readString(dir.resolve("run.log")), e);
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("stopped within 10 s of SIGTERM")
                .isTrue();

        List<JsonNode> lines = lines(out.resolve(topic));
        assertThat(lines)
                .extracting(line -> line.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100)
                        .filter(i -> i != 42)
                        .mapToObj(i -> "e-" + i)
                        .toList());
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("topic").asText()).isEqualTo(topic);
            assertThat(line.get("value").get("i").asText())
                    .isEqualTo(line.get("id").asText().substring(2));
        });
        try (Stream<Path> files = Files.list(out.resolve(topic))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0.jsonl", "1.jsonl");
        }
        String reason = new String(
                testing.readAll(topic + ".dlq", 1)
                        .getFirst()
                        .headers()
                        .lastHeader("sl.error.reason")
                        .value(),
                StandardCharsets.UTF_8);
        assertThat(reason).startsWith("value is not JSON");
    }

    /** Every line of every {@code <partition>.jsonl} under {@code topicDir}, parsed; empty before the first write. */
    private static List<JsonNode> lines(Path topicDir) throws IOException {
        if (!Files.isDirectory(topicDir)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(topicDir)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> jars = Files.list(from)) {
            jars.forEach(jar -> {
                try {
                    Files.copy(jar, to.resolve(jar.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private Process start(Path config, String bootstrap) throws IOException {
        return TestingRunProcess.start(config, dir.resolve("run.log"), "256m", Map.of("BOOTSTRAP", bootstrap));
    }
}
