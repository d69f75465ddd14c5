package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Re-delivery never duplicates: 20k events consumed twice from offset 0 leave 20k rows and 20k objects. */
class ReplayIT {
    private static final int TOTAL = 20_000;

    @Test
    void twentyThousandEventsReplayedFromOffsetZeroStayTwentyThousandRowsAndObjects() throws Exception {
        TestingStores stores = new TestingStores("replay");
        try (TestingPipeline pipeline = new TestingPipeline("replay", 3)) {
            List<Future<?>> acks = new ArrayList<>(TOTAL);
            for (int i = 0; i < TOTAL; i++) {
                byte[] value = new byte[256];
                java.util.Arrays.fill(value, (byte) i);
                acks.add(pipeline.send("r-" + i, value, "application/octet-stream", Map.of()));
            }
            acks.forEach(TestingPipeline::await);
            Map<String, String> config = stores.config(Map.of("s3.upload-concurrency", "8"));

            var first = pipeline.start("replay-1-" + stores.schema, 3, config);
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> pipeline.testing.committedTotal("replay-1-" + stores.schema, pipeline.topic) == TOTAL);
            first.close();
            assertThat(stores.count("select count(*) from events")).isEqualTo(TOTAL);
            Object firstReceived = stores.query("select max(received_at) as m from events")
                    .getFirst()
                    .get("m");

            // a second consumer group starts from offset 0 and writes everything again
            pipeline.start("replay-2-" + stores.schema, 3, config);
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> pipeline.testing.committedTotal("replay-2-" + stores.schema, pipeline.topic) == TOTAL);

            assertThat(stores.count("select count(*) from events")).isEqualTo(TOTAL);
            assertThat(stores.count("select count(distinct object_key) from events"))
                    .isEqualTo(TOTAL);
            assertThat(stores.query("select max(received_at) as m from events")
                            .getFirst()
                            .get("m"))
                    .as("rows were upserted in place: first received_at kept")
                    .isEqualTo(firstReceived);
            List<String> keys = stores.objectKeys();
            assertThat(keys).hasSize(TOTAL);
            assertThat(new HashSet<>(keys))
                    .containsAll(stores.query("select object_key from events").stream()
                            .map(r -> (String) r.get("object_key"))
                            .toList());
            assertThat(pipeline.testing.endTotal(pipeline.topic + ".dlq")).isZero();
        }
    }
}
