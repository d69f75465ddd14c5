package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.core.pipeline.TransformChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner with {@code workers: 4} sets its store up once: the bucket, the Flyway migrations and the session factory
 * belong to the runner's one sink, and the four workers write through writers of it. Counted with a Flyway {@code
 * beforeMigrate} callback in an operator location, which logs a row each time the migrations run.
 */
class PerRunnerSetupIT {

    @TempDir
    Path migrations;

    @Test
    void fourWorkersRunTheMigrationsOnceAndAllWrite() throws Exception {
        Files.writeString(migrations.resolve("beforeMigrate.sql"), """
                create schema if not exists ${schema};
                create table if not exists ${schema}.migrate_runs (
                    n  serial primary key,
                    at timestamptz not null default now());
                insert into ${schema}.migrate_runs default values;
                """);
        TestingStores stores = new TestingStores("perrunner");
        try (TestingPipeline pipeline = new TestingPipeline("events", 4)) {
            SinkRunner runner = pipeline.start(
                    "perrunner-" + stores.schema,
                    4,
                    stores.config(Map.of("migrations.locations", "filesystem:" + migrations)));
            for (int i = 0; i < 200; i++) {
                pipeline.sendJson("e-" + i, "{\"n\":" + i + "}");
            }

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions() // the table exists once the sink's migrations ran
                    .until(() -> stores.count("select count(*) from events") == 200);
            assertThat(stores.count("select count(distinct kafka_partition) from events"))
                    .as("every partition written")
                    .isEqualTo(4);
            assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
            assertThat(runner.checkStore(Duration.ofSeconds(10)))
                    .as("one sink answers health")
                    .isEmpty();
            assertThat(stores.count("select count(*) from migrate_runs"))
                    .as("migrations run once per runner, not once per worker")
                    .isEqualTo(1);
        }
    }

    /**
     * The runner's connections are shared by its workers: with {@code workers: 4} and {@code jdbc.connections: 2},
     * PostgreSQL never sees more than two connections of the runner while all four workers write batches big enough
     * to be split (500 records: two slices), where one connection set per worker would open eight. Counted in {@code
     * pg_stat_activity} by the runner's {@code application_name} while the rows arrive.
     */
    @Test
    void fourWorkersWriteThroughTheRunnersTwoConnections() throws Exception {
        TestingStores stores = new TestingStores("lanes");
        String name = "lanes" + System.nanoTime();
        int events = 8000;
        AtomicLong peak = new AtomicLong();
        try (TestingPipeline pipeline = new TestingPipeline("events", 4);
                Connection activity = stores.connection();
                PreparedStatement open =
                        activity.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            open.setString(1, "streamloader-" + name);
            SinkRunner runner = pipeline.start(
                    name,
                    "lanes-" + stores.schema,
                    4,
                    stores.config(Map.of("jdbc.connections", "2")),
                    TransformChain.NONE);
            Future<?> last = null;
            for (int i = 0; i < events; i++) {
                last = pipeline.send(
                        "l-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
            }
            TestingPipeline.await(last);

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions() // the table exists once the sink's migrations ran
                    .until(() -> {
                        long stored = stores.count("select count(*) from events");
                        if (stored > 0) { // the migrations' connection is closed before the first write
                            peak.accumulateAndGet(count(open), Math::max);
                        }
                        return stored == events;
                    });
            assertThat(stores.count("select count(distinct kafka_partition) from events"))
                    .as("all four workers wrote")
                    .isEqualTo(4);
            assertThat(peak.get())
                    .as("connections of the runner open at once, at most jdbc.connections")
                    .isBetween(1L, 2L);
            assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        }
    }

    private static long count(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
