package io.streamloader.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench/run scale}'s throughput rows scaled down (200,000 × 256 B events, 2 partitions: with 20,000 an idle box stored them all in under a second, before the
 * 2-process group was stable, and the row had no window to time): {@code streamloader run}
 * with 1 and 2 processes of one worker, the Connect adapter and mongo-kafka-connect with one task. Each row stores every
 * event exactly once (the bench checks the count and fails otherwise) and reports a rate and the CPU it spent.
 */
class ScaleBenchSmokeIT {

    @Test
    void everyRowStoresTheEventsAndReportsARate() {
        ScaleBench bench = new ScaleBench();
        int code = new CommandLine(bench)
                .execute(
                        "--no-group-run",
                        "--events",
                        "200000",
                        "--size",
                        "256",
                        "--partitions",
                        "2",
                        "--rows-processes",
                        "1,2",
                        "--rows-workers",
                        "1",
                        "--rows-tasks",
                        "1",
                        "--rows-heap",
                        "256m");

        assertThat(code).isZero();
        assertThat(bench.rows())
                .extracting(r -> r.writer().replaceAll(" [0-9.]+", "") + ", " + r.layout())
                .containsExactly(
                        "streamloader run, 1 process × 1 worker",
                        "streamloader run, 2 processes × 1 worker",
                        "Connect + adapter, tasks.max=1",
                        "Connect + mongo-kafka-connect, tasks.max=1");
        assertThat(bench.rows()).allSatisfy(r -> {
            assertThat(r.timed()).as(r.layout()).isBetween(1L, 200_000L);
            assertThat(r.perSecond()).as(r.layout()).isPositive();
        });
    }
}
