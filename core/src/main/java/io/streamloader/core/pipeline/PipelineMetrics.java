package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Meters of one runner, tagged with the sink's name. Names follow Micrometer's dotted convention. */
final class PipelineMetrics {
    /** The dead-letter counter tagged by reason. */
    static final String DEAD_LETTERS_BY_REASON = "streamloader.sink.dead.letters";
    /** Distinct reasons counted per sink before further ones count under {@value #OTHER}. */
    static final int MAX_REASONS = 50;

    static final String OTHER = "other";

    final Counter written;
    final Counter retried;
    final Counter deadLettered;
    final Counter batches;
    final Counter bisections;
    final Counter isolated;
    final Counter filtered;
    final Timer batchLatency;
    final DistributionSummary batchSize;
    /** Dead-letter counters by reason (the error class), created on first use and bounded by {@link #MAX_REASONS}. */
    private final Map<String, Counter> deadLetteredByReason = new ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final String sink;
    /** The health of each live worker, by worker (thread) name: a restarted worker replaces its predecessor. */
    private final Map<String, HealthTracker> workers = new ConcurrentHashMap<>();

    PipelineMetrics(MeterRegistry registry, String sink) {
        this.registry = registry;
        this.sink = sink;
        written = Counter.builder("streamloader.sink.events.written")
                .description("Events the sink acknowledged as stored")
                .tag("sink", sink)
                .register(registry);
        retried = Counter.builder("streamloader.sink.events.retried")
                .description("Event write attempts that failed retriably and were retried")
                .tag("sink", sink)
                .register(registry);
        deadLettered = Counter.builder("streamloader.sink.events.dead.lettered")
                .description("Events sent to the dead-letter topic")
                .tag("sink", sink)
                .register(registry);
        batches = Counter.builder("streamloader.sink.batches")
                .description("Batches written and committed")
                .tag("sink", sink)
                .register(registry);
        bisections = Counter.builder("streamloader.sink.bisections")
                .description("Writes that threw and were split in halves to find the event(s) causing it")
                .tag("sink", sink)
                .register(registry);
        isolated = Counter.builder("streamloader.sink.events.isolated")
                .description("Events isolated by bisection as the cause of a write's exception, then dead-lettered")
                .tag("sink", sink)
                .register(registry);
        filtered = Counter.builder("streamloader.sink.events.filtered")
                .description("Events the sink's filter (sinks.<name>.filter) did not take: committed, never written")
                .tag("sink", sink)
                .register(registry);
        batchLatency = Timer.builder("streamloader.sink.batch.latency")
                .description("Time from handing a batch to the sink until its offsets were committed")
                .tag("sink", sink)
                .publishPercentileHistogram()
                .register(registry);
        batchSize = DistributionSummary.builder("streamloader.sink.batch.size")
                .description("Events per batch")
                .tag("sink", sink)
                .register(registry);
        for (RunnerHealth.State state : RunnerHealth.State.values()) {
            Gauge.builder("streamloader.sink.state", this, m -> m.worstState() == state ? 1 : 0)
                    .description("1 for the runner's current state (the worst of its workers), 0 for the others")
                    .tag("sink", sink)
                    .tag("state", state.name())
                    .register(registry);
        }
        Gauge.builder(
                        "streamloader.sink.unresolved.age",
                        this,
                        m -> m.unresolvedAge().toNanos() / 1e9)
                .description("Seconds the oldest event not yet stored or dead-lettered has been in the sink's hands")
                .tag("sink", sink)
                .baseUnit("seconds")
                .register(registry);
    }

    /**
     * Counts {@code count} letters under {@code errorClass} in {@value #DEAD_LETTERS_BY_REASON}. The tag is the error
     * class (an exception class or a store's error type), never the message, so its values stay few; past
     * {@link #MAX_REASONS} distinct values per sink, further ones count under {@code other}.
     */
    void deadLettered(String errorClass, int count) {
        deadLettered.increment(count);
        String reason = reasonTag(errorClass);
        Counter counter = deadLetteredByReason.get(reason);
        if (counter == null) {
            synchronized (deadLetteredByReason) {
                if (!deadLetteredByReason.containsKey(reason) && deadLetteredByReason.size() >= MAX_REASONS) {
                    reason = OTHER;
                }
                counter = deadLetteredByReason.computeIfAbsent(
                        reason,
                        r -> Counter.builder(DEAD_LETTERS_BY_REASON)
                                .description(
                                        "Events sent to the dead-letter topic, by the error class of their failure")
                                .tag("sink", sink)
                                .tag("reason", r)
                                .register(registry));
            }
        }
        counter.increment(count);
    }

    /** The tag value for an error class: at most 100 characters of letters, digits and {@code . _ $ -}. */
    static String reasonTag(String errorClass) {
        if (errorClass == null || errorClass.isBlank()) {
            return "unknown";
        }
        String cleaned = errorClass.strip().replaceAll("[^A-Za-z0-9._$-]", "_");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
    }

    /** Reports {@code health} in the gauges as worker {@code name}'s, replacing an earlier worker of that name. */
    void track(String name, HealthTracker health) {
        workers.put(name, health);
    }

    /** Stops reporting worker {@code name}, if {@code health} is still the one tracked under it. */
    void untrack(String name, HealthTracker health) {
        workers.remove(name, health);
    }

    RunnerHealth.State worstState() {
        return workers.values().stream()
                .map(h -> h.get().state())
                .max(Comparator.comparingInt(RunnerHealth.State::severity))
                .orElse(RunnerHealth.State.STARTING);
    }

    Duration unresolvedAge() {
        return workers.values().stream()
                .map(HealthTracker::unresolvedAge)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
    }
}
