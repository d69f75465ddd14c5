package io.streamloader.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sweep's grid and row sizes, from its options (no services). */
class SweepBenchTest {

    private static SweepBench parsed(String... args) {
        SweepBench bench = new SweepBench();
        new CommandLine(bench).parseArgs(args);
        return bench;
    }

    @Test
    void theDefaultGridIsTheSizesAtOneWorkerThenWorkersTimesPartitionsAt1Kb() {
        List<String> plan = parsed().plan().stream()
                .map(p -> p[0] + "B/" + p[1] + "p/" + p[2] + "w")
                .toList();

        assertThat(plan)
                .containsExactly(
                        "100B/3p/1w",
                        "1024B/3p/1w",
                        "10240B/3p/1w",
                        "102400B/3p/1w",
                        "1024B/3p/2w",
                        "1024B/3p/3w",
                        "1024B/12p/1w",
                        "1024B/12p/2w",
                        "1024B/12p/3w");
    }

    @Test
    void aScaleSizeOutsideTheSizesGetsItsOwnOneWorkerRow() {
        List<String> plan = parsed("--sizes", "100", "--scale-size", "10240", "--max-workers", "2").plan().stream()
                .map(p -> p[0] + "B/" + p[1] + "p/" + p[2] + "w")
                .toList();

        assertThat(plan)
                .containsExactly("100B/3p/1w", "10240B/3p/1w", "10240B/3p/2w", "10240B/12p/1w", "10240B/12p/2w");
    }

    @Test
    void rowsStoreTheirSizesDefaultCountCappedByMaxEvents() {
        SweepBench defaults = parsed();
        assertThat(List.of(100, 1024, 10240, 102400))
                .map(defaults::eventsPerRow)
                .containsExactly(40_000L, 30_000L, 6_000L, 800L);
        assertThat(defaults.eventsPerRow(4096)).as("a size not listed: 40 MB").isEqualTo(9765L);
        assertThat(parsed("--max-events", "500").eventsPerRow(100)).isEqualTo(500L);
        assertThat(parsed("--events", "100=7").eventsPerRow(100)).isEqualTo(7L);
    }
}
