package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingPluginJars;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamloader run} as a separate JVM: a plugin jar loaded from plugins/, the pipeline against a real broker,
 * and a clean exit on SIGTERM with the offsets of everything handled committed.
 */
class RunProcessIT {
    @TempDir
    Path dir;

    @Test
    void runsAPluginFromItsJarAndStopsCleanlyOnSigterm() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "run-it-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dlq", 1);
        Path plugins = TestingPluginJars.echoPlugin(dir);
        int adminPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
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
                  port: %3$d
                sinks:
                  echo:
                    type: echo
                    topics: [%1$s]
                    group-id: run-it-%1$s
                """.formatted(topic, plugins, adminPort));
        TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
        testing.produce(topic, "x-", 100, i -> "{\"i\":" + i + "}");

        Process process = start(config, kafka.bootstrapServers());
        try {
            // the echo plugin dead-letters every event with a reason saying which classloader its code ran under
            await().atMost(Duration.ofSeconds(60)).until(() -> testing.endTotal(topic + ".dlq") == 100);
            List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 100);
            assertThat(letters)
                    .hasSize(100)
                    .allSatisfy(r -> assertThat(new String(
                                    r.headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8))
                            .isEqualTo("create-tccl=true write-tccl=true"));
            await().atMost(Duration.ofSeconds(30)).until(() -> testing.committedTotal("run-it-" + topic, topic) == 100);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body())
                    .contains("\"echo\":{\"state\":\"RUNNING\",\"store\":\"UP\"")
                    .contains("\"kafka\":\"UP\"");
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics).contains("streamloader_sink_events_dead_lettered_total{sink=\"echo\"} 100.0");
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("stopped within 10 s of SIGTERM")
                .isTrue();
        List<String> lines = Files.readAllLines(dir.resolve("run.log"));
        assertThat(lines)
                .as("every log line is one JSON object")
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).contains("\"sink\":\"echo\"")) // MDC in context
                .anySatisfy(line -> assertThat(line).contains("shutting down 1 sink runner(s)"))
                .anySatisfy(line -> assertThat(line).contains("sink echo stopped"));
    }

    @Test
    void anInvalidConfigExitsWithTwoBeforeStartingAnything() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                sinks:
                  echo:
                    type: echo
                    topics: [nowhere]
                    workers: 0
                """);
        Process process = start(config, "127.0.0.1:1");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(ExitCodes.INVALID);
        assertThat(Files.readString(dir.resolve("run.log")))
                .contains("sinks.echo.workers")
                .contains("sinks.echo.topics");
    }

    private Process start(Path config, String bootstrap) throws IOException {
        return TestingRunProcess.start(
                config,
                dir.resolve("run.log"),
                "256m",
                Map.of("BOOTSTRAP", bootstrap),
                "-Dstreamloader.log.format=json",
                "-Dlogback.configurationFile=logback.xml", // the distribution's, not the tests' logging
                // JDK 24+ warns on stderr about kafka-clients' use of sun.misc.Unsafe; not a log line
                Runtime.version().feature() >= 24 ? "--sun-misc-unsafe-memory-access=allow" : "-Dunused=1");
    }
}
