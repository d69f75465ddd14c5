package io.streamloader.launcher.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.rollup.RollupMetrics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The console's overview, built from the metrics registry the platform already has and from the readiness answer:
 * per topic the events the producer API had acknowledged, per sink the events written, retried and dead-lettered
 * (totals and per-second rates over the last second or so; dead letters also by reason, the failure's error class),
 * its consumer lag per partition, state and reason,
 * restarts, and each processor's state with its reason and its events in, rollups out, dead letters and duplicates
 * ({@link RollupMetrics}). Cheap: one answer is reused for {@link #CACHE_NANOS}, however many consoles
 * poll.
 */
public final class Overview {
    static final String API_EVENTS = "streamloader.api.events";
    static final String WRITTEN = "streamloader.sink.events.written";
    static final String RETRIED = "streamloader.sink.events.retried";
    static final String DEAD_LETTERED = "streamloader.sink.events.dead.lettered";
    /** The dead-letter counter by reason (error class), tagged sink and reason. */
    static final String DEAD_LETTERS_BY_REASON = "streamloader.sink.dead.letters";

    static final String RESTARTS = "streamloader.runner.restarts";
    /** Micrometer's KafkaClientMetrics name for the consumer's {@code records-lag}, tagged client.id/topic/partition. */
    static final String LAG = "kafka.consumer.fetch.manager.records.lag";

    private static final long CACHE_NANOS = 500_000_000L;
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    /** One sink as the overview needs it. */
    public record SinkView(String name, Supplier<RunnerHealth> health) {}

    /** One processor as the overview needs it. */
    public record ProcessorView(String name, Supplier<RunnerHealth> health) {}

    private record Sample(long nanos, Map<String, Double> totals) {}

    private final MeterRegistry registry;
    private final List<SinkView> sinks;
    private final List<ProcessorView> processors;
    private final Supplier<String> readiness;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private byte[] cached;
    private long cachedAt;

    /**
     * @param readiness the cached readiness body (JSON): stores' and Kafka's health
     */
    public Overview(
            MeterRegistry registry, List<SinkView> sinks, List<ProcessorView> processors, Supplier<String> readiness) {
        this.registry = registry;
        this.sinks = List.copyOf(sinks);
        this.processors = List.copyOf(processors);
        this.readiness = readiness;
    }

    /** The overview as JSON bytes. */
    public synchronized byte[] json() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt >= CACHE_NANOS) {
            cached = ConsoleJson.bytes(build(now));
            cachedAt = now;
        }
        return cached;
    }

    private ObjectNode build(long now) {
        Map<String, Double> totals = totals();
        Sample base = rateBase(now, totals);
        double seconds = Math.max(1e-3, (now - base.nanos()) / 1e9);
        ObjectNode root = ConsoleJson.object();
        root.put("time", System.currentTimeMillis());
        root.put("rateSeconds", Math.round(seconds * 1000) / 1000.0);
        ObjectNode api = root.putObject("api");
        for (Counter c : registry.find(API_EVENTS).counters()) {
            String topic = c.getId().getTag("topic");
            String key = "api|" + topic;
            api.set(topic, measure(totals, base, key, seconds));
        }
        JsonNode health = readinessNode();
        ObjectNode sinkNodes = root.putObject("sinks");
        Map<String, List<ObjectNode>> lags = lags();
        for (SinkView sink : sinks) {
            ObjectNode node = sinkNodes.putObject(sink.name());
            RunnerHealth h = sink.health().get();
            node.put("state", h.state().name());
            node.put("detail", h.detail());
            node.put("since", h.since().toString());
            node.put(
                    "store",
                    health.path("sinks").path(sink.name()).path("store").asText("UNKNOWN"));
            node.set("written", measure(totals, base, "written|" + sink.name(), seconds));
            node.set("retried", measure(totals, base, "retried|" + sink.name(), seconds));
            node.set("deadLettered", measure(totals, base, "dead|" + sink.name(), seconds));
            ObjectNode byReason = node.putObject("deadLettersByReason");
            String prefix = "reason|" + sink.name() + "|";
            totals.keySet().stream()
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .forEach(k -> byReason.set(k.substring(prefix.length()), measure(totals, base, k, seconds)));
            node.put(
                    "restarts",
                    totals.getOrDefault("restarts|" + sink.name(), 0.0).longValue());
            ArrayNode lag = node.putArray("lag");
            lags.getOrDefault(sink.name(), List.of()).forEach(lag::add);
        }
        ObjectNode processorNodes = root.putObject("processors");
        for (ProcessorView p : processors) {
            RunnerHealth h = p.health().get();
            ObjectNode node = processorNodes.putObject(p.name());
            node.put("state", h.state().name())
                    .put("detail", h.detail())
                    .put("since", h.since().toString());
            node.set("in", measure(totals, base, "pin|" + p.name(), seconds));
            node.set("out", measure(totals, base, "pout|" + p.name(), seconds));
            node.set("deadLettered", measure(totals, base, "pdead|" + p.name(), seconds));
            node.set("duplicates", measure(totals, base, "pdup|" + p.name(), seconds));
        }
        root.put("kafka", health.path("kafka").asText("UNKNOWN"));
        root.put("status", health.path("status").asText("UNKNOWN"));
        return root;
    }

    private JsonNode readinessNode() {
        try {
            return ConsoleJson.MAPPER.readTree(readiness.get());
        } catch (Exception e) {
            return ConsoleJson.object();
        }
    }

    /** Every counter the overview shows, by {@code kind|name}. */
    private Map<String, Double> totals() {
        Map<String, Double> totals = new HashMap<>();
        for (Counter c : registry.find(API_EVENTS).counters()) {
            totals.merge("api|" + c.getId().getTag("topic"), c.count(), Double::sum);
        }
        add(totals, WRITTEN, "written|");
        add(totals, RETRIED, "retried|");
        add(totals, DEAD_LETTERED, "dead|");
        add(totals, RESTARTS, "restarts|");
        addProcessor(totals, RollupMetrics.EVENTS_IN, "pin|");
        addProcessor(totals, RollupMetrics.ROLLUPS_OUT, "pout|");
        addProcessor(totals, RollupMetrics.DEAD_LETTERED, "pdead|");
        addProcessor(totals, RollupMetrics.DUPLICATES, "pdup|");
        for (Counter c : registry.find(DEAD_LETTERS_BY_REASON).counters()) {
            totals.merge(
                    "reason|" + c.getId().getTag("sink") + "|" + c.getId().getTag("reason"), c.count(), Double::sum);
        }
        return totals;
    }

    private void add(Map<String, Double> totals, String meter, String prefix) {
        for (Counter c : registry.find(meter).counters()) {
            totals.merge(prefix + c.getId().getTag("sink"), c.count(), Double::sum);
        }
    }

    private void addProcessor(Map<String, Double> totals, String meter, String prefix) {
        for (Counter c : registry.find(meter).counters()) {
            totals.merge(prefix + c.getId().getTag("processor"), c.count(), Double::sum);
        }
    }

    /** Keeps a few seconds of samples; the rate is against the newest one at least a second old (else the oldest). */
    private Sample rateBase(long now, Map<String, Double> totals) {
        Sample current = new Sample(now, totals);
        while (samples.size() > 1 && now - samples.peekFirst().nanos() > 5 * RATE_WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample base = samples.isEmpty() ? current : samples.peekFirst();
        for (Sample s : samples) {
            if (now - s.nanos() >= RATE_WINDOW_NANOS) {
                base = s;
            }
        }
        samples.addLast(current);
        return base;
    }

    private static ObjectNode measure(Map<String, Double> totals, Sample base, String key, double seconds) {
        double total = totals.getOrDefault(key, 0.0);
        double before = base.totals().getOrDefault(key, 0.0);
        ObjectNode node = ConsoleJson.object();
        node.put("total", (long) total);
        node.put("perSecond", Math.max(0, Math.round((total - before) / seconds * 10) / 10.0));
        return node;
    }

    /** Consumer lag per partition, by sink: the runner's consumers are named {@code sl-<sink>-<worker>}. */
    private Map<String, List<ObjectNode>> lags() {
        Map<String, Map<String, ObjectNode>> bySink = new HashMap<>();
        for (Gauge g : registry.find(LAG).gauges()) {
            String client = g.getId().getTag("client.id");
            String topic = g.getId().getTag("topic");
            String partition = g.getId().getTag("partition");
            double value = g.value();
            if (client == null || topic == null || partition == null || Double.isNaN(value)) {
                continue;
            }
            for (SinkView sink : sinks) {
                String prefix = "sl-" + sink.name() + "-";
                if (client.startsWith(prefix)
                        && client.substring(prefix.length()).matches("\\d+")) {
                    ObjectNode node = ConsoleJson.object();
                    node.put("topic", topic);
                    node.put("partition", Integer.parseInt(partition));
                    node.put("lag", (long) value);
                    // a partition moved between workers may leave a stale gauge: keep the larger figure
                    bySink.computeIfAbsent(sink.name(), k -> new TreeMap<>())
                            .merge(
                                    topic + "/" + partition,
                                    node,
                                    (a, b) -> a.get("lag").asLong()
                                                    >= b.get("lag").asLong()
                                            ? a
                                            : b);
                }
            }
        }
        Map<String, List<ObjectNode>> lists = new HashMap<>();
        bySink.forEach((sink, nodes) -> lists.put(sink, List.copyOf(nodes.values())));
        return lists;
    }
}
