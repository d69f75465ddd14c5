package io.streamloader.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench/run latency} scaled down to seconds: every flow reaches its maximum sustained rate, and at 50 % of it
 * every sampled acknowledged event is read back from its store.
 */
class LatencyBenchSmokeIT {

    @Test
    void everyFlowReadsBackItsSampledEvents() {
        LatencyBench bench = new LatencyBench();
        int code = new CommandLine(bench)
                .execute(
                        "--seconds",
                        "3",
                        "--max-seconds",
                        "3",
                        "--levels",
                        "50",
                        "--concurrency",
                        "4",
                        "--size",
                        "512");

        assertThat(code).isZero();
        assertThat(bench.rows())
                .filteredOn(r -> r.load().startsWith("max"))
                .extracting(LatencyBench.Row::flow)
                .containsExactly("Kafka → elasticsearch", "Kafka → mongo", "Kafka → postgres-minio (PUT + row)");
        assertThat(bench.rows())
                .filteredOn(r -> r.load().startsWith("max"))
                .allSatisfy(r -> assertThat(r.rate()).isPositive());
        assertThat(bench.rows())
                .filteredOn(r -> r.load().equals("50 % of max"))
                .hasSize(3)
                .allSatisfy(r -> {
                    assertThat(r.posted()).as(r.flow()).isPositive();
                    assertThat(r.sampled()).as(r.flow() + " read back").isPositive();
                    assertThat(r.missing()).as(r.flow() + " not readable").isZero();
                    assertThat(r.p99()).as(r.flow() + " p99").isPositive().isLessThanOrEqualTo(r.max());
                });
    }
}
