package io.streamloader.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench/run sweep} scaled down to each kind of row, per sink, each in its own {@code -Xmx256m} JVM on a
 * 12-partition topic: a 1 KB and a 100 KB size row at 1 worker (300 and 40 events), and a 2-worker 1 KB scale row.
 * Every sink stores every event of the 1-worker rows and reports a rate, its peak RSS, its GC time, the machine's busy
 * share and the CPU per event of the row JVM, the broker's JVM and (Elasticsearch, PostgreSQL + S3) the store's
 * processes.
 */
class SweepBenchSmokeIT {

    @Test
    void everySinkRunsEachKindOfRowInASmallHeap() {
        SweepBench bench = new SweepBench();
        int code = new CommandLine(bench)
                .execute(
                        "--sizes",
                        "1024,102400",
                        "--events",
                        "1024=300,102400=40",
                        "--max-workers",
                        "2",
                        "--partition-counts",
                        "12");

        assertThat(code).isZero();
        assertThat(bench.rows())
                .extracting(SweepBench.Row::sink, SweepBench.Row::size, SweepBench.Row::workers)
                .containsExactly(
                        tuple("elasticsearch", 1024, 1),
                        tuple("mongo", 1024, 1),
                        tuple("postgres-minio", 1024, 1),
                        tuple("elasticsearch", 102400, 1),
                        tuple("mongo", 102400, 1),
                        tuple("postgres-minio", 102400, 1),
                        tuple("elasticsearch", 1024, 2),
                        tuple("mongo", 1024, 2),
                        tuple("postgres-minio", 1024, 2));
        assertThat(bench.rows()).allSatisfy(r -> {
            String row = r.sink() + " " + r.size() + " B, " + r.workers() + " workers";
            assertThat(r.partitions()).as(row).isEqualTo(12);
            if (r.workers() == 1) {
                assertThat(r.events()).as(row).isEqualTo(r.size() == 1024 ? 300 : 40);
            } else { // the events stored before every worker was assigned are left out of the window
                assertThat(r.events()).as(row).isBetween(1L, 600L);
            }
            assertThat(r.perSecond()).as(row).isPositive();
            assertThat(r.mbPerSecond()).as(row).isPositive();
            assertThat(r.rssMib()).as(row + " peak RSS").isBetween(1L, 2048L);
            assertThat(r.gcMs()).as(row + " GC ms in the window").isNotNegative();
            assertThat(r.busyPct()).as(row + " machine busy %").isPositive();
            assertThat(r.sinkCpuUs()).as(row + " row JVM CPU").isPositive();
            // rows of a few hundred events last a fraction of a second: a process's CPU clock (10 ms ticks) can read
            // 0 in one row, so each row's broker and store figures must be measured (a number, not negative) and the
            // run as a whole must have seen them work
            assertThat(r.benchCpuUs()).as(row + " broker CPU").isNotNegative();
            if (!r.sink().equals("mongo")) { // the MongoDB server runs in the bench JVM
                assertThat(r.storeCpuUs()).as(row + " store CPU").isNotNegative();
            }
        });
        assertThat(bench.rows().stream().mapToDouble(r -> r.benchCpuUs()).sum())
                .as("broker CPU over the run")
                .isPositive();
        assertThat(bench.rows().stream()
                        .filter(r -> !r.sink().equals("mongo"))
                        .mapToDouble(r -> r.storeCpuUs())
                        .sum())
                .as("store CPU over the run")
                .isPositive();
    }
}
