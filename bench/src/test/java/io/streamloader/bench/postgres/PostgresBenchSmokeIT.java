package io.streamloader.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench/run postgres} scaled down (2,000 rows, 10 blobs, 2 rounds, no Connect worker): every row runs in both
 * rounds, and each round's ratios compare that round's pipeline and hand-written loop rows.
 */
class PostgresBenchSmokeIT {

    @Test
    void everyRoundHasItsOwnPipelineAndLoopRates() {
        PostgresBench bench = new PostgresBench();
        int code = new CommandLine(bench)
                .execute("--rows", "2000", "--blobs", "10", "--blob-size", "1024", "--rounds", "2", "--no-connect");

        assertThat(code).isZero();
        assertThat(bench.ratios().rounds()).hasSize(2).allSatisfy(r -> {
            assertThat(r.pipelineDefaults()).as("1-worker pipeline").isPositive();
            assertThat(r.pipelineBest()).as("best pipeline").isGreaterThanOrEqualTo(r.pipelineDefaults());
            assertThat(r.loopBest()).as("best loop").isPositive();
            assertThat(r.peerBest())
                    .as("no Connect rows without a Connect worker")
                    .isZero();
        });
        assertThat(bench.ratios().lines())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("best pipeline / best hand-written loop"));
    }
}
