package io.streamloader.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench/run sweep} scaled down to one row per sink (300 × 1 KB events, 3 partitions, 1 worker, each in its own
 * {@code -Xmx256m} JVM): every sink stores every event and reports a rate and its peak RSS.
 */
class SweepBenchSmokeIT {

    @Test
    void everySinkStoresTheRowsEventsInASmallHeap() {
        SweepBench bench = new SweepBench();
        int code = new CommandLine(bench)
                .execute(
                        "--sizes",
                        "1024",
                        "--mb",
                        "1",
                        "--max-events",
                        "300",
                        "--max-workers",
                        "1",
                        "--partition-counts",
                        "3");

        assertThat(code).isZero();
        assertThat(bench.rows())
                .extracting(SweepBench.Row::sink)
                .containsExactly("elasticsearch", "mongo", "postgres-minio");
        assertThat(bench.rows()).allSatisfy(r -> {
            assertThat(r.events()).as(r.sink()).isEqualTo(300);
            assertThat(r.perSecond()).as(r.sink()).isPositive();
            assertThat(r.mbPerSecond()).as(r.sink()).isPositive();
            assertThat(r.rssMib()).as(r.sink() + " peak RSS").isBetween(1L, 2048L);
        });
    }
}
