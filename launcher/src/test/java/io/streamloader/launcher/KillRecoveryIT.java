package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamloader.core.testing.TestingKafka;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code streamloader run} with all three built-in sinks (loaded from the distribution's plugins/) as separate JVMs
 * that are SIGKILLed and restarted: every event ends in Elasticsearch, MongoDB and PostgreSQL exactly once by id.
 * Events are produced straight to Kafka (the producer API has its own outage tests); the count is {@value #EVENTS}
 * by default, {@code -Dkill.events=200000} for the full run.
 */
class KillRecoveryIT {
    private static final int EVENTS = 50_000;
    private static final int TOTAL = Integer.getInteger("kill.events", EVENTS);

    /** Kept after the run (target/), so a failure can be read in the processes' logs. */
    private final Path dir = Path.of("target", "kill-recovery-it", Long.toString(System.nanoTime()))
            .toAbsolutePath();

    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private final String topic = "kill" + System.nanoTime();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void everyEventIsStoredOnceInEveryStoreAcrossFiveKillsAndAnotherInstanceTakesOver() throws Exception {
        Files.createDirectories(dir);
        kafka.createTopic(topic, 4);
        kafka.createTopic(topic + ".dlq", 1);
        Path config = writeConfig();
        testing.produce(
                topic,
                "k-",
                TOTAL,
                i -> "{\"n\":" + i + ",\"user\":\"u" + (i % 977) + "\",\"pad\":\"" + "x".repeat(200) + "\"}");

        Random random = new Random(42);
        for (int kill = 1; kill <= 5; kill++) {
            Process process = start(config, "kill-" + kill);
            long before = mongoCount();
            await().atMost(Duration.ofMinutes(2)).until(() -> mongoCount() > before || mongoCount() == TOTAL);
            // a random moment while it works: somewhere in the next 0-2 s
            await().pollDelay(Duration.ofMillis(random.nextInt(2000))).until(() -> true);
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // two instances in the same groups share the partitions; killing one moves them to the other
        Process first = start(config, "first");
        Process second = start(config, "second");
        await().atMost(Duration.ofMinutes(2))
                .until(() -> Files.readString(dir.resolve("second.log")).contains("assigned ["));
        first.destroyForcibly();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> allStored());

        assertThat(esCount()).isEqualTo(TOTAL);
        assertThat(mongoCount()).isEqualTo(TOTAL);
        assertThat(pgCounts()).containsExactly((long) TOTAL, (long) TOTAL);
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
        for (String group : List.of("search", "docs", "archive")) {
            // the killed instance's partitions move after its session times out; their uncommitted tail is
            // redelivered (and overwritten) before the survivor commits it
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> testing.committedTotal("kill." + group + "." + topic, topic) == TOTAL);
        }

        long sigterm = System.nanoTime();
        second.destroy(); // SIGTERM
        assertThat(second.waitFor(10, TimeUnit.SECONDS))
                .as("stops within 10 s of SIGTERM")
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).isLessThan(Duration.ofSeconds(10));
    }

    private boolean allStored() throws Exception {
        return mongoCount() == TOTAL && esCount() == TOTAL && pgCounts().get(0) == TOTAL;
    }

    private Path writeConfig() throws IOException {
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                  client: { session.timeout.ms: 6000, heartbeat.interval.ms: 1500 }
                topics:
                  %2$s: { partitions: 4 }
                plugins:
                  dir: %3$s
                admin: { enabled: false }
                sinks:
                  search:
                    type: elasticsearch
                    topics: [%2$s]
                    group-id: kill.search.%2$s
                    config: { urls: "%4$s" }
                  docs:
                    type: mongo
                    topics: [%2$s]
                    group-id: kill.docs.%2$s
                    config: { connection-string: "%5$s", database: kill }
                  archive:
                    type: postgres-minio
                    topics: [%2$s]
                    group-id: kill.archive.%2$s
                    config:
                      jdbc.url: "%6$s"
                      jdbc.user: %7$s
                      jdbc.password: %8$s
                      schema: %2$s
                      s3.endpoint: "%9$s"
                      s3.access-key: %10$s
                      s3.secret-key: %11$s
                      s3.bucket: %2$s
                """.formatted(
                        kafka.bootstrapServers(),
                        topic,
                        Path.of("target", "streamloader", "plugins").toAbsolutePath(),
                        DevStack.elasticsearch().url(),
                        DevStack.mongo().connectionString(),
                        pg.jdbcUrl(),
                        pg.user(),
                        pg.password(),
                        s3.endpoint(),
                        s3.accessKey(),
                        s3.secretKey()));
        return config;
    }

    private Process start(Path config, String name) throws IOException {
        Process process = TestingRunProcess.start(config, dir.resolve(name + ".log"), "384m", Map.of());
        processes.add(process);
        return process;
    }

    private long esCount() throws IOException, InterruptedException {
        String url = DevStack.elasticsearch().url() + "/" + topic;
        http.send(
                HttpRequest.newBuilder(URI.create(url + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> count = http.send(
                HttpRequest.newBuilder(URI.create(url + "/_count")).build(), HttpResponse.BodyHandlers.ofString());
        // 404: no index yet; 503: created by the first bulk but its primary shard is not started yet
        if (count.statusCode() == 404 || count.statusCode() == 503) {
            return 0;
        }
        String body = count.body();
        int at = body.indexOf("\"count\":") + 8;
        return Long.parseLong(body.substring(at, body.indexOf(',', at)));
    }

    private long mongoCount() {
        try (MongoClient client = MongoClients.create(DevStack.mongo().connectionString())) {
            return client.getDatabase("kill").getCollection(topic).countDocuments();
        }
    }

    /** Rows and distinct ids in the archive sink's table. */
    private List<Long> pgCounts() throws SQLException {
        PostgresService pg = DevStack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                ResultSet rs = c.createStatement()
                        .executeQuery("select count(*), count(distinct id) from " + topic + ".events")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                return List.of(0L, 0L); // not migrated yet
            }
            throw e;
        }
    }
}
