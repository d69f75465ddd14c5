package io.streamloader.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.RunnerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A processor's own meters, each tagged {@code processor=<name>}: clicks read, rollups published, clicks
 * dead-lettered by error class, duplicates dropped, and its state as one gauge per state (1 for the current one).
 * Kafka Streams' own metrics (commit latency, thread rates, …) come on top from Micrometer's {@code
 * KafkaStreamsMetrics} binder, bound by {@link ClickRollupProcessor}.
 *
 * <p>The counters count processing attempts: under exactly-once, records of an aborted transaction are processed
 * again and counted twice, while the output holds them once. Thread-safe.
 */
public final class RollupMetrics implements AutoCloseable {
    public static final String EVENTS_IN = "streamloader.processor.events.in";
    public static final String ROLLUPS_OUT = "streamloader.processor.rollups.out";
    /** Tagged {@code reason}: the rejection's error class ({@code invalid_click} or {@code parse_error}). */
    public static final String DEAD_LETTERED = "streamloader.processor.events.dead.lettered";

    public static final String DUPLICATES = "streamloader.processor.events.duplicates";
    public static final String STATE = "streamloader.processor.state";

    private final MeterRegistry registry;
    private final Counter in;
    private final Counter out;
    private final Counter duplicates;
    private final Map<String, Counter> deadLettered;
    private final List<Meter> meters = new ArrayList<>();

    /**
     * Registers the meters; {@code health} is read whenever the state gauge is.
     */
    public RollupMetrics(String processor, MeterRegistry registry, Supplier<RunnerHealth> health) {
        this.registry = registry;
        in = counter(EVENTS_IN, processor, "Click events read from the input topic");
        out = counter(ROLLUPS_OUT, processor, "Rollup documents published to the output topic");
        duplicates = counter(DUPLICATES, processor, "Clicks dropped because their event id was already counted");
        deadLettered = Map.of(
                ClickParser.INVALID_CLICK,
                deadLetterCounter(processor, ClickParser.INVALID_CLICK),
                ClickParser.PARSE_ERROR,
                deadLetterCounter(processor, ClickParser.PARSE_ERROR));
        for (RunnerHealth.State state : RunnerHealth.State.values()) {
            meters.add(Gauge.builder(STATE, health, h -> h.get().state() == state ? 1 : 0)
                    .description("1 for the processor's current state, 0 for the others")
                    .tag("processor", processor)
                    .tag("state", state.name())
                    .strongReference(true) // the supplier is a lambda nobody else holds: a weak one reads NaN
                    .register(registry));
        }
    }

    /** Meters nobody reads: for a topology built without a registry (tests). */
    static RollupMetrics unregistered(String processor) {
        return new RollupMetrics(
                processor,
                new SimpleMeterRegistry(),
                () -> new RunnerHealth(RunnerHealth.State.STOPPED, "", java.time.Instant.EPOCH));
    }

    private Counter counter(String name, String processor, String description) {
        Counter counter = Counter.builder(name)
                .description(description)
                .tag("processor", processor)
                .register(registry);
        meters.add(counter);
        return counter;
    }

    private Counter deadLetterCounter(String processor, String reason) {
        Counter counter = Counter.builder(DEAD_LETTERED)
                .description("Click events sent to the dead-letter topic, by error class")
                .tag("processor", processor)
                .tag("reason", reason)
                .register(registry);
        meters.add(counter);
        return counter;
    }

    void in() {
        in.increment();
    }

    void out() {
        out.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void deadLettered(String errorClass) {
        Counter counter = deadLettered.get(errorClass);
        (counter == null ? deadLettered.get(ClickParser.PARSE_ERROR) : counter).increment();
    }

    /** Removes the meters from the registry. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
