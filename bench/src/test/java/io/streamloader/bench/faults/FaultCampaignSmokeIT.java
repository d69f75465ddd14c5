package io.streamloader.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault campaign of {@code bench/run faults}, scaled down to run in the build: 3,000 events (2 % hostile, so every
 * hostile kind once) at 50/s through the real distribution's three sinks, one {@code kill -9}, a 10 s PostgreSQL
 * outage and one rebalance. Nothing may be lost or stored twice.
 */
class FaultCampaignSmokeIT {
    private static final Path DISTRIBUTION = Path.of("..", "launcher", "target", "streamloader");

    @Test
    void nothingIsLostOrDuplicatedThroughAKillAnOutageAndARebalance() throws Exception {
        CampaignSettings settings = new CampaignSettings(
                DISTRIBUTION,
                3_000,
                50,
                3,
                2.0,
                14,
                1,
                1,
                Duration.ofSeconds(10),
                List.of("postgres"),
                false,
                1,
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                "384m");

        FaultCampaign.Result result = FaultCampaign.run(settings, Path.of("target", "faults"));
        System.out.print(CampaignReport.render(settings, result));

        assertThat(result.faults())
                .extracting(FaultInjector.Injected::fault)
                .containsExactlyInAnyOrder("kill -9", "postgres outage", "rebalance");
        assertThat(result.failedSends())
                .as("sends the broker did not acknowledge")
                .isZero();
        assertThat(result.sinks())
                .extracting(s -> s.sink() + ": posted " + s.posted() + ", lost " + s.lost() + ", duplicated "
                        + s.duplicated() + ", stored + dead-lettered " + (s.stored() + s.deadLettered()))
                .as(
                        "lost events, e.g. %s",
                        result.sinks().stream().map(SinkOutcome::lostSample).toList())
                .containsExactly(
                        "elasticsearch: posted 3000, lost 0, duplicated 0, stored + dead-lettered 3000",
                        "mongo: posted 3000, lost 0, duplicated 0, stored + dead-lettered 3000",
                        "postgres: posted 3000, lost 0, duplicated 0, stored + dead-lettered 3000");
        assertThat(result.drained()).as(result.drainDetail()).isTrue();
    }
}
