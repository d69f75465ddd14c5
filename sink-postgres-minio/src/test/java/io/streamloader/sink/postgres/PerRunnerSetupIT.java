package io.streamloader.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.SinkRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
}
