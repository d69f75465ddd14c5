package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A store stopped for 30 s in the middle of a load: nothing is lost, and no row points at a missing object. Events
 * are produced continuously before, during and after the outage.
 */
class OutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void postgresStoppedForThirtySecondsMidLoad() throws Exception {
        TestingStores stores = new TestingStores("pgout");
        outage(stores, stores.postgres);
    }

    @Test
    void s3StoppedForThirtySecondsMidLoad() throws Exception {
        TestingStores stores = new TestingStores("s3out");
        outage(stores, stores.s3);
    }

    private static void outage(TestingStores stores, DevService store) throws Exception {
        try (TestingPipeline pipeline = new TestingPipeline("outage", 2)) {
            SinkRunner runner = pipeline.start(
                    "outage-" + stores.schema,
                    2,
                    stores.config(Map.of("jdbc.socket-timeout", "10s", "s3.request-timeout", "5s")));
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread producer = Thread.ofPlatform().name("outage-producer").start(() -> {
                Random random = new Random(5);
                List<Future<?>> acks = new ArrayList<>();
                while (producing.get()) {
                    for (int i = 0; i < 20; i++) {
                        int n = sent.getAndIncrement();
                        byte[] value = new byte[2048];
                        random.nextBytes(value);
                        acks.add(
                                n % 2 == 0
                                        ? pipeline.send("o-" + n, value, "application/octet-stream", Map.of())
                                        : pipeline.send(
                                                "o-" + n,
                                                ("{\"n\":" + n + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                                "application/json",
                                                Map.of()));
                    }
                    sleep(100);
                }
                acks.forEach(TestingPipeline::await);
            });

            sleep(5_000);
            store.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.health().state() == RunnerHealth.State.RETRYING);
            sleep(OUTAGE.toMillis());
            store.start();
            sleep(5_000);
            producing.set(false);
            producer.join();

            int total = sent.get();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> pipeline.testing.committedTotal("outage-" + stores.schema, pipeline.topic) == total);
            assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
            assertThat(stores.count("select count(*) from events")).isEqualTo(total);
            Set<String> objects = new HashSet<>(stores.objectKeys());
            List<String> referenced =
                    stores.query("select object_key from events where object_key is not null").stream()
                            .map(r -> (String) r.get("object_key"))
                            .toList();
            assertThat(referenced).hasSize((total + 1) / 2);
            assertThat(objects).as("no row points at a missing object").containsAll(referenced);
            assertThat(pipeline.testing.endTotal(pipeline.topic + ".dlq")).isZero();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
