package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamloader.devstack.KafkaService;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingPluginJars;
import java.net.ServerSocket;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that takes clients only over {@code SASL_SSL} (SCRAM-SHA-512, TLS with a certificate made for the test):
 * {@code streamloader run} configured with {@code kafka.security} takes events in through its producer API, consumes
 * them in a sink runner and dead-letters them, every client authenticated and encrypted.
 */
class KafkaSaslSslIT {
    private static final String USER = "streamloader";
    private static final String PASSWORD = "s3cret \"quoted\" \\ pass";

    @TempDir
    static Path brokerDir;

    @TempDir
    Path dir;

    private static KafkaService kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaService.withSaslSsl(brokerDir);
        kafka.start();
        kafka.addScramUser(USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void producerApiSinkAndDeadLettersWorkOverSaslSsl() throws Exception {
        String topic = "sasl-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dlq", 1);
        Path plugins = TestingPluginJars.echoPlugin(dir);
        int apiPort = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                  security:
                    protocol: SASL_SSL
                    sasl-mechanism: SCRAM-SHA-512
                    username: %2$s
                    password: ${KAFKA_PASSWORD}
                    ca-file: %3$s
                topics:
                  %4$s: { partitions: 2 }
                plugins:
                  dir: %5$s
                api:
                  host: 127.0.0.1
                  port: %6$d
                  topics: [%4$s]
                admin:
                  host: 127.0.0.1
                  port: %7$d
                sinks:
                  echo:
                    type: echo
                    topics: [%4$s]
                    group-id: sasl-%4$s
                """.formatted(
                        kafka.saslSslBootstrapServers(), USER, kafka.caPem(), topic, plugins, apiPort, adminPort));
        Process process = TestingRunProcess.start(
                config,
                dir.resolve("run.log"),
                "256m",
                Map.of("KAFKA_PASSWORD", PASSWORD),
                "-Dstreamloader.log.format=json",
                "-Dlogback.configurationFile=logback.xml",
                Runtime.version().feature() >= 24 ? "--sun-misc-unsafe-memory-access=allow" : "-Dunused=1");
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + adminPort + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                ndjson.append("{\"i\":").append(i).append("}\n");
            }
            HttpResponse<String> posted = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/topics/" + topic))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(posted.body()).contains("\"topic\":\"" + topic + "\"").contains("\"offset\"");

            // read back through the plaintext listener: what the process wrote over SASL_SSL landed
            TestingKafka plain = new TestingKafka(kafka.bootstrapServers());
            await().atMost(Duration.ofSeconds(60)).until(() -> plain.endTotal(topic + ".dlq") == 50);
            List<ConsumerRecord<byte[], byte[]>> letters = plain.readAll(topic + ".dlq", 50);
            assertThat(letters)
                    .allSatisfy(r -> assertThat(new String(
                                    r.headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8))
                            .isEqualTo("create-tccl=true write-tccl=true"));
            await().atMost(Duration.ofSeconds(30)).until(() -> plain.committedTotal("sasl-" + topic, topic) == 50);
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("run.log")))
                .as("the password is never logged")
                .doesNotContain("s3cret");
    }

    @Test
    void theListenerRefusesAWrongPassword() {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(
                "bootstrap.servers",
                kafka.saslSslBootstrapServers(),
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"wrong\";",
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.location",
                kafka.caPem().toString(),
                "max.block.ms",
                15_000));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("any", new byte[1]))
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, SaslAuthenticationException.class)
                    .satisfies(e -> assertThat(e.getCause() == null ? e : e.getCause())
                            .isInstanceOf(SaslAuthenticationException.class));
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
