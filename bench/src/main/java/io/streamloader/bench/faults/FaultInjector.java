package io.streamloader.bench.faults;

import io.streamloader.devstack.DevService;
import io.streamloader.devstack.DevStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Injects the campaign's faults one after another at seeded random moments spread over the production window: each
 * fault gets an equal slot of the window's middle 80 % and starts at a random point in the first half of its slot
 * (or as soon as the previous fault ended, if that is later). Records what it did and when.
 */
final class FaultInjector {

    /** One injected fault: seconds since the campaign started, what, and what happened. */
    record Injected(double startSeconds, double endSeconds, String fault, String detail) {}

    private sealed interface Fault {}

    private record Kill() implements Fault {}

    private record Outage(String store) implements Fault {}

    private record BrokerRestart() implements Fault {}

    private record Rebalance() implements Fault {}

    private final CampaignSettings settings;
    private final Processes processes;
    private final long startNanos;
    private final List<Injected> injected = Collections.synchronizedList(new ArrayList<>());

    FaultInjector(CampaignSettings settings, Processes processes, long startNanos) {
        this.settings = settings;
        this.processes = processes;
        this.startNanos = startNanos;
    }

    List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** Runs every fault; returns when the last one has ended (a store or broker is running again). */
    void run() throws Exception {
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < settings.kills(); i++) {
            faults.add(new Kill());
        }
        settings.outageStores().forEach(s -> faults.add(new Outage(s)));
        if (settings.brokerRestart()) {
            faults.add(new BrokerRestart());
        }
        for (int i = 0; i < settings.rebalances(); i++) {
            faults.add(new Rebalance());
        }
        Random random = new Random(settings.seed());
        Collections.shuffle(faults, random);
        double window = settings.produceSeconds() * 0.8;
        double slot = faults.isEmpty() ? 0 : window / faults.size();
        for (int i = 0; i < faults.size(); i++) {
            double at = settings.produceSeconds() * 0.1 + i * slot + random.nextDouble() * slot / 2;
            long wait = startNanos + (long) (at * 1e9) - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the fault's moment, not synchronisation
            }
            inject(faults.get(i));
        }
    }

    private void inject(Fault fault) throws Exception {
        double start = seconds();
        String what;
        String detail;
        switch (fault) {
            case Kill k -> {
                what = "kill -9";
                detail = "pid " + processes.killAndRestart() + " killed, restarted";
            }
            case Outage o -> {
                DevService service = service(o.store());
                what = o.store() + " outage";
                service.stop();
                Thread.sleep(settings.outage().toMillis());
                long restart = System.nanoTime();
                int attempts = startAgain(service);
                detail = "down " + settings.outage().toSeconds() + " s, back in "
                        + Duration.ofNanos(System.nanoTime() - restart).toMillis() + " ms"
                        + (attempts > 1 ? " (" + attempts + " start attempts)" : "");
            }
            case BrokerRestart b -> {
                what = "broker restart";
                DevStack.kafka().stop();
                long restart = System.nanoTime();
                DevStack.kafka().start();
                detail = "stopped, back in "
                        + Duration.ofNanos(System.nanoTime() - restart).toMillis() + " ms";
            }
            case Rebalance r -> {
                what = "rebalance";
                long pid = processes.joinSecond();
                Thread.sleep(settings.rebalanceStay().toMillis());
                detail = "pid " + pid + " joined for "
                        + settings.rebalanceStay().toSeconds() + " s, left with exit " + processes.leaveSecond();
            }
        }
        injected.add(new Injected(start, seconds(), what, detail));
    }

    /**
     * Starts a stopped service, up to three attempts (on a loaded box Elasticsearch can miss its readiness deadline);
     * returns the attempts it took, or throws the last failure.
     */
    private static int startAgain(DevService service) {
        for (int attempt = 1; ; attempt++) {
            try {
                service.start();
                return attempt;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.err.println(service.name() + " did not start again (attempt " + attempt + "): " + e);
            }
        }
    }

    private static DevService service(String store) {
        return switch (store) {
            case "elasticsearch" -> DevStack.elasticsearch();
            case "mongo" -> DevStack.mongo();
            case "postgres" -> DevStack.postgres();
            case "s3" -> DevStack.s3();
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
