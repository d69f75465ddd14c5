package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.plugin.TestingPluginJars;
import io.streamloader.core.testing.TestingKafka;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        TestingPluginJars jars = new TestingPluginJars(dir);
        jars.plugin("echo")
                .jar(
                        "echo.jar",
                        jar -> jar.source(
                                        "com.example.echo.EchoFactory",
                                        TestingPluginJars.echoFactory("com.example.echo.EchoFactory", "echo"))
                                .service("com.example.echo.EchoFactory"));
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: ${BOOTSTRAP}
                topics:
                  %1$s: { partitions: 2 }
                plugins:
                  dir: %2$s
                sinks:
                  echo:
                    type: echo
                    topics: [%1$s]
                    group-id: run-it-%1$s
                """.formatted(topic, jars.pluginsDir()));
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
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("stopped within 10 s of SIGTERM")
                .isTrue();
        String log = Files.readString(dir.resolve("run.log"));
        assertThat(log).contains("shutting down 1 sink runner(s)").contains("sink echo stopped");
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
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile());
        builder.environment().put("BOOTSTRAP", bootstrap);
        return builder.start();
    }
}
