package io.streamloader.bench.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One fault campaign's size and faults.
 *
 * @param distribution the distribution's home ({@code launcher/target/streamloader})
 * @param events events produced over the campaign
 * @param rate events per second (the campaign produces for {@code events / rate} seconds)
 * @param partitions partitions of the topic
 * @param hostilePercent share of hostile events, in percent
 * @param seed seeds the hostile positions and the fault moments
 * @param bigRounds how many times each big hostile kind (900 KiB, 3 MiB) is sent at most
 * @param kills {@code kill -9}s of the streamloader process (each restarted at once)
 * @param outage how long each store in {@code outageStores} is down
 * @param outageStores stores taken down one after another: elasticsearch, mongo, postgres, s3
 * @param brokerRestart whether the broker is stopped and started once
 * @param rebalances times a second process with the same config joins and leaves
 * @param rebalanceStay how long that second process stays
 * @param drainTimeout how long to wait, after producing and faults, for every group to commit every event
 * @param heap -Xmx of each streamloader process
 */
public record CampaignSettings(
        Path distribution,
        int events,
        int rate,
        int partitions,
        double hostilePercent,
        long seed,
        int bigRounds,
        int kills,
        Duration outage,
        List<String> outageStores,
        boolean brokerRestart,
        int rebalances,
        Duration rebalanceStay,
        Duration drainTimeout,
        String heap) {
    static final List<String> STORES = List.of("elasticsearch", "mongo", "postgres", "s3");

    public CampaignSettings {
        outageStores = List.copyOf(outageStores);
        for (String store : outageStores) {
            if (!STORES.contains(store)) {
                throw new IllegalArgumentException(
                        "--outages: unknown store '" + store + "', expected one of " + STORES);
            }
        }
        if (events < 1 || rate < 1 || partitions < 1) {
            throw new IllegalArgumentException("--events, --rate and --partitions must be at least 1");
        }
        if (hostilePercent < 0 || hostilePercent > 100) {
            throw new IllegalArgumentException("--hostile-percent must be within 0..100, was " + hostilePercent);
        }
        if (kills < 0 || rebalances < 0 || bigRounds < 0) {
            throw new IllegalArgumentException("--kills, --rebalances and --big-events must not be negative");
        }
    }

    /** Seconds the producer runs. */
    double produceSeconds() {
        return (double) events / rate;
    }
}
