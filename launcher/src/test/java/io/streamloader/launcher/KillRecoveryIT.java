package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Projections;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code streamloader run} with all three built-in sinks (loaded from the distribution's plugins/) as separate JVMs
 * that are SIGKILLed five times and restarted, then two instances sharing the partitions, one of them killed: every
 * event ends in Elasticsearch, MongoDB and PostgreSQL exactly once by id, and the survivor stops within 10 s of SIGTERM.
 *
 * <p>The events are posted over HTTP, in NDJSON batches of {@value #BATCH} each carrying its own {@code id}, to the
 * producer API running as its own {@code streamloader run} process (never killed); every POST must be answered 200,
 * i.e. acknowledged by Kafka. Posting runs in the background, released a share per kill cycle: half when a sink
 * process starts, half at the moment it is killed, so every kill lands while events keep arriving. {@value #EVENTS}
 * events by default, {@code -Dkill.events=N} for another count.
 */
class KillRecoveryIT {
    private static final int EVENTS = 200_000;
    private static final int TOTAL = Integer.getInteger("kill.events", EVENTS);
    private static final int BATCH = 500;
    private static final int KILLS = 5;
    private static final Pattern API_URL = Pattern.compile("producer API on (http://127\\.0\\.0\\.1:\\d+)/");

    /** Kept after the run (target/), so a failure can be read in the processes' logs. */
    private final Path dir = Path.of("target", "kill-recovery-it", Long.toString(System.nanoTime()))
            .toAbsolutePath();

    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> processes = new ArrayList<>();
    private final ExecutorService poster = Executors.newSingleThreadExecutor();
    private final AtomicInteger posted = new AtomicInteger();
    private final String topic = "kill" + System.nanoTime();

    @AfterEach
    void stopLeftovers() {
        poster.shutdownNow();
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void everyPostedEventIsStoredOnceInEveryStoreAcrossFiveKillsAndAnotherInstanceTakesOver() throws Exception {
        Files.createDirectories(dir);
        kafka.createTopic(topic, 4);
        kafka.createTopic(topic + ".dlq", 1);
        Path config = writeSinksConfig();
        URI api = startApi();

        int batches = (TOTAL + BATCH - 1) / BATCH;
        int share = batches / (KILLS + 1);
        Semaphore released = new Semaphore(0);
        CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> post(api, batches, released), poster);

        Random random = new Random(42);
        for (int kill = 1; kill <= KILLS; kill++) {
            Process process = start(config, "kill-" + kill);
            released.release(share / 2);
            long before = mongoCount();
            awaitWhilePosting(posting, Duration.ofMinutes(2)).until(() -> mongoCount() > before);
            // a random moment while it works: somewhere in the next 0-2 s
            await().pollDelay(Duration.ofMillis(random.nextInt(2000))).until(() -> true);
            // the share's second half is posted while the sink dies and the next one starts
            released.release(share - share / 2);
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
            // printed so the report shows where in the stream each kill landed
            System.out.printf("kill %d: %d of %d events posted%n", kill, posted.get(), TOTAL);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // two instances in the same groups share the partitions; killing one moves them to the other
        int rest = batches - KILLS * share;
        Process first = start(config, "first");
        Process second = start(config, "second");
        released.release(rest / 2);
        awaitWhilePosting(posting, Duration.ofMinutes(2))
                .until(() -> Files.readString(dir.resolve("second.log")).contains("assigned ["));
        released.release(rest - rest / 2);
        first.destroyForcibly();
        System.out.printf("first instance killed: %d of %d events posted%n", posted.get(), TOTAL);
        awaitWhilePosting(posting, Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> posting.isDone() && allStored());
        posting.join();

        Set<String> expected =
                IntStream.range(0, TOTAL).mapToObj(KillRecoveryIT::id).collect(Collectors.toSet());
        assertExactlyOnce("MongoDB _id", mongoIds(), expected);
        assertExactlyOnce("PostgreSQL events.id", pgIds(), expected);
        assertThat(esCount()).isEqualTo(TOTAL);
        assertThat(mongoCount()).isEqualTo(TOTAL);
        assertThat(pgCounts()).containsExactly((long) TOTAL, (long) TOTAL);
        assertThat(testing.endTotal(topic)).as("records in the topic").isEqualTo(TOTAL);
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

    private static String id(int n) {
        return "e-" + n;
    }

    /** Each id once ({@code ids} is every stored id, duplicates included) and exactly the expected ones. */
    private static void assertExactlyOnce(String what, List<String> ids, Set<String> expected) {
        Set<String> stored = new HashSet<>(ids);
        assertThat(ids).as(what + ": stored ids (a duplicate counts twice)").hasSize(stored.size());
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(stored);
        stored.removeAll(expected);
        assertThat(missing).as(what + ": posted but not stored").isEmpty();
        assertThat(stored).as(what + ": stored but never posted").isEmpty();
    }

    /** Posts batch after batch, each once a permit is released; anything but 200 fails the test. */
    private void post(URI api, int batches, Semaphore released) {
        try {
            for (int b = 0; b < batches; b++) {
                released.acquire();
                StringBuilder body = new StringBuilder(BATCH * 300);
                for (int n = b * BATCH; n < Math.min(TOTAL, (b + 1) * BATCH); n++) {
                    body.append("{\"id\":\"")
                            .append(id(n))
                            .append("\",\"n\":")
                            .append(n)
                            .append(",\"user\":\"u")
                            .append(n % 977)
                            .append("\",\"pad\":\"")
                            .append("x".repeat(200))
                            .append("\"}\n");
                }
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(api.resolve("/topics/" + topic))
                                .header("Content-Type", "application/x-ndjson")
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError(
                            "POST of batch " + b + " answered " + response.statusCode() + ": " + response.body());
                }
                posted.addAndGet(Math.min(TOTAL, (b + 1) * BATCH) - b * BATCH);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("posting interrupted", e);
        }
    }

    /** An await that stops at once when posting failed, with the failure as its cause. */
    private static ConditionFactory awaitWhilePosting(CompletableFuture<Void> posting, Duration atMost) {
        return await().atMost(atMost).failFast("posting events failed", () -> {
            if (posting.isCompletedExceptionally()) {
                posting.join();
            }
        });
    }

    /** The producer API as its own {@code streamloader run} process, on a free port; returns its base URI. */
    private URI startApi() throws IOException {
        Path config = dir.resolve("api.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                topics:
                  %2$s: { partitions: 4 }
                admin: { enabled: false }
                api:
                  host: 127.0.0.1
                  port: 0
                  routes: { /kill: %2$s }
                """.formatted(kafka.bootstrapServers(), topic));
        Process api = start(config, "api");
        Path log = dir.resolve("api.log");
        await().atMost(Duration.ofMinutes(1))
                .failFast("the API process exited", () -> !api.isAlive())
                .until(() -> API_URL.matcher(Files.readString(log)).find());
        Matcher url = API_URL.matcher(Files.readString(log));
        assertThat(url.find()).isTrue();
        return URI.create(url.group(1));
    }

    private boolean allStored() throws Exception {
        return mongoCount() == TOTAL && esCount() == TOTAL && pgCounts().get(0) == TOTAL;
    }

    private Path writeSinksConfig() throws IOException {
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

    private List<String> mongoIds() {
        try (MongoClient client = MongoClients.create(DevStack.mongo().connectionString())) {
            List<String> ids = new ArrayList<>(TOTAL);
            client.getDatabase("kill")
                    .getCollection(topic)
                    .find()
                    .projection(Projections.include("_id"))
                    .forEach(d -> ids.add(d.getString("_id")));
            return ids;
        }
    }

    private List<String> pgIds() throws SQLException {
        PostgresService pg = DevStack.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                ResultSet rs = c.createStatement().executeQuery("select id from " + topic + ".events")) {
            List<String> ids = new ArrayList<>(TOTAL);
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
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
