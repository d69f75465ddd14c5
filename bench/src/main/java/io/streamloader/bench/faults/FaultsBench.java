package io.streamloader.bench.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run faults}: the fault campaign with its options, printed as tables; exit 0 only on no loss. */
@Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        description = "Fault campaign: events with 1 %% hostile ones through elasticsearch, mongo and postgres-minio in"
                + " 'streamloader run' while it is killed, stores go down, the broker restarts and groups rebalance;"
                + " per sink posted, stored, dead-lettered, lost, duplicated. Exit 0 only when nothing was lost or"
                + " duplicated.")
public final class FaultsBench implements Callable<Integer> {

    @Option(names = "--quick", description = "A 2-minute campaign: 20,000 events, 2 kills, 15 s outages, 1 rebalance.")
    boolean quick;

    @Option(names = "--events", description = "Events produced (default 200000; --quick 20000).")
    Integer events;

    @Option(names = "--rate", description = "Events per second (default 300; --quick 200).")
    Integer rate;

    @Option(names = "--partitions", defaultValue = "3", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--hostile-percent",
            defaultValue = "1",
            description = "Share of hostile events in %% (default ${DEFAULT-VALUE}).")
    double hostilePercent;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds hostile positions and fault moments.")
    long seed;

    @Option(
            names = "--big-events",
            defaultValue = "3",
            description = "How many 900 KiB and 3 MiB hostile events each (default ${DEFAULT-VALUE}).")
    int bigEvents;

    @Option(names = "--kills", description = "kill -9 of the streamloader process (default 5; --quick 2).")
    Integer kills;

    @Option(names = "--outage-seconds", description = "Length of each store outage (default 60; --quick 15).")
    Integer outageSeconds;

    @Option(
            names = "--outages",
            split = ",",
            defaultValue = "elasticsearch,mongo,postgres,s3",
            description = "Stores taken down, one after another (default ${DEFAULT-VALUE}).")
    List<String> outages;

    @Option(
            names = "--broker-restart",
            defaultValue = "true",
            negatable = true,
            description = "Restart the broker once (default ${DEFAULT-VALUE}).")
    boolean brokerRestart;

    @Option(names = "--rebalances", description = "A second process joins and leaves (default 3; --quick 1).")
    Integer rebalances;

    @Option(names = "--rebalance-seconds", description = "How long it stays (default 30; --quick 15).")
    Integer rebalanceSeconds;

    @Option(names = "--drain-minutes", description = "Wait for every commit at the end (default 10; --quick 5).")
    Integer drainMinutes;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of each streamloader process.")
    String heap;

    @Override
    public Integer call() throws Exception {
        CampaignSettings settings = new CampaignSettings(
                Path.of("launcher", "target", "streamloader"),
                pick(events, 200_000, 20_000),
                pick(rate, 300, 200),
                partitions,
                hostilePercent,
                seed,
                bigEvents,
                pick(kills, 5, 2),
                Duration.ofSeconds(pick(outageSeconds, 60, 15)),
                outages,
                brokerRestart,
                pick(rebalances, 3, 1),
                Duration.ofSeconds(pick(rebalanceSeconds, 30, 15)),
                Duration.ofMinutes(pick(drainMinutes, 10, 5)),
                heap);
        FaultCampaign.Result result = FaultCampaign.run(settings, Path.of("bench", "target", "faults"));
        System.out.print(CampaignReport.render(settings, result));
        return result.passed() ? 0 : 1;
    }

    private int pick(Integer given, int full, int quickValue) {
        return given != null ? given : quick ? quickValue : full;
    }
}
