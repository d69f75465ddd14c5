package io.streamloader.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-round ratio lines the mongo and postgres benches print. */
class PeerRatiosTest {

    @Test
    void eachRoundComparesOnlyItsOwnRows() {
        PeerRatios ratios = new PeerRatios("peer 1.0");
        ratios.pipeline(1, 60_000);
        ratios.pipeline(3, 75_000);
        ratios.loop(50_000);
        ratios.loop(80_000);
        ratios.peer(true, 40_000);
        ratios.peer(false, 50_000);
        ratios.endRound();
        // a slow second round: a best-across-rounds ratio would hide it
        ratios.pipeline(1, 30_000);
        ratios.pipeline(3, 20_000);
        ratios.loop(30_000);
        ratios.peer(true, 45_000);
        ratios.peer(false, 40_000);
        ratios.endRound();

        assertThat(ratios.rounds())
                .containsExactly(
                        new PeerRatios.Round(60_000, 75_000, 80_000, 40_000, 50_000),
                        new PeerRatios.Round(30_000, 30_000, 30_000, 45_000, 45_000));
        assertThat(ratios.lines())
                .containsExactly(
                        "round 1: best pipeline / best hand-written loop = 75000 / 80000 = 93.8 % (target ≥ 100 %);"
                                + " pipeline defaults (1 worker) / peer 1.0 defaults (tasks.max=1) = 60000 / 40000 ="
                                + " 1.50× (target ≥ 1.5×); best pipeline / best peer 1.0 = 75000 / 50000 = 1.50×"
                                + " (target ≥ 1.2×)",
                        "round 2: best pipeline / best hand-written loop = 30000 / 30000 = 100.0 % (target ≥ 100 %);"
                                + " pipeline defaults (1 worker) / peer 1.0 defaults (tasks.max=1) = 30000 / 45000 ="
                                + " 0.67× (target ≥ 1.5×); best pipeline / best peer 1.0 = 30000 / 45000 = 0.67×"
                                + " (target ≥ 1.2×)");
    }

    @Test
    void aRoundWithoutThePeerPrintsOnlyTheLoopRatio() {
        PeerRatios ratios = new PeerRatios("peer");
        ratios.pipeline(1, 12_183);
        ratios.loop(14_251);
        ratios.endRound();

        assertThat(ratios.lines())
                .containsExactly(
                        "round 1: best pipeline / best hand-written loop = 12183 / 14251 = 85.5 % (target ≥ 100 %)");
    }
}
