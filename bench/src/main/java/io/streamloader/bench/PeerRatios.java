package io.streamloader.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline against its peers, round by round: issue 21 asks for a lead in <em>every</em> round of a 2-round run,
 * so the ratios compare rows of one round only (bests across rounds would let a fast round hide a slow one). Per
 * round: the best pipeline row against the best hand-written Kafka loop (target ≥ 100 %), the pipeline at its
 * defaults (1 worker) against the Connect peer at its defaults ({@code tasks.max=1}; target ≥ {@value
 * #DEFAULTS_TARGET}×), and the best pipeline row against the peer's best row (target ≥ {@value #TUNED_TARGET}×).
 */
public final class PeerRatios {
    public static final double DEFAULTS_TARGET = 1.5;
    public static final double TUNED_TARGET = 1.2;

    /** One round's best rates (events/s); 0 where the round ran no such row. */
    public record Round(
            double pipelineDefaults, double pipelineBest, double loopBest, double peerDefaults, double peerBest) {}

    private final String peer;
    private final List<Round> rounds = new ArrayList<>();
    private double pipelineDefaults;
    private double pipelineBest;
    private double loopBest;
    private double peerDefaults;
    private double peerBest;

    /** @param peer the Connect peer's name and version as printed */
    public PeerRatios(String peer) {
        this.peer = peer;
    }

    /** A Kafka → pipeline row of the current round; 1 worker is the runner's default. */
    public void pipeline(int workers, double rate) {
        if (workers == 1) {
            pipelineDefaults = Math.max(pipelineDefaults, rate);
        }
        pipelineBest = Math.max(pipelineBest, rate);
    }

    /** A hand-written Kafka loop row of the current round. */
    public void loop(double rate) {
        loopBest = Math.max(loopBest, rate);
    }

    /** A Connect peer row of the current round; {@code defaults} for its {@code tasks.max=1} default setting. */
    public void peer(boolean defaults, double rate) {
        if (defaults) {
            peerDefaults = Math.max(peerDefaults, rate);
        }
        peerBest = Math.max(peerBest, rate);
    }

    /** Closes the current round. */
    public void endRound() {
        rounds.add(new Round(pipelineDefaults, pipelineBest, loopBest, peerDefaults, peerBest));
        pipelineDefaults = pipelineBest = loopBest = peerDefaults = peerBest = 0;
    }

    public List<Round> rounds() {
        return List.copyOf(rounds);
    }

    /** One line per closed round; the peer's ratios only where the round ran the peer. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "round %d: best pipeline / best hand-written loop = %.0f / %.0f = %.1f %% (target ≥ 100 %%)",
                    i + 1,
                    r.pipelineBest(),
                    r.loopBest(),
                    100 * r.pipelineBest() / r.loopBest()));
            if (r.peerBest() > 0) {
                line.append(String.format(
                        Locale.ROOT,
                        "; pipeline defaults (1 worker) / %s defaults (tasks.max=1) = %.0f / %.0f = %.2f× (target ≥"
                                + " %.1f×); best pipeline / best %s = %.0f / %.0f = %.2f× (target ≥ %.1f×)",
                        peer,
                        r.pipelineDefaults(),
                        r.peerDefaults(),
                        r.pipelineDefaults() / r.peerDefaults(),
                        DEFAULTS_TARGET,
                        peer,
                        r.pipelineBest(),
                        r.peerBest(),
                        r.pipelineBest() / r.peerBest(),
                        TUNED_TARGET));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
