package io.streamloader.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The API's meters: {@code streamloader.api.requests} (timer with histogram, by route, topic and status), {@code
 * streamloader.api.events} and {@code streamloader.api.bytes} (accepted, by topic), and the in-flight bytes gauge.
 * Topics outside the configuration are tagged {@code unknown} so junk paths cannot blow up the series count.
 */
final class ApiMetrics {

    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Set<String> topics;
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    ApiMetrics(MeterRegistry registry, Set<String> topics, InFlightLimiter limiter) {
        this.registry = registry;
        this.topics = Set.copyOf(topics);
        topics.forEach(t -> accepted.put(t, new LongAdder()));
        Gauge.builder("streamloader.api.inflight.bytes", limiter, InFlightLimiter::inFlight)
                .description("request bytes being published now")
                .baseUnit("bytes")
                .register(registry);
    }

    void request(String route, String topic, int status, long nanos) {
        String topicTag = topics.contains(topic) ? topic : UNKNOWN;
        // meters are cached: registering per request costs an id and a lookup in the registry on every hit
        timers.computeIfAbsent(
                        List.of(route, topicTag, Integer.toString(status)),
                        k -> Timer.builder("streamloader.api.requests")
                                .description("HTTP requests to ingest routes, until the reply")
                                .tag("route", k.get(0))
                                .tag("topic", k.get(1))
                                .tag("status", k.get(2))
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1))
                                .maximumExpectedValue(Duration.ofSeconds(30))
                                .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void accepted(String topic, int events, long bytes) {
        Counter[] c = counters.computeIfAbsent(topic, t -> new Counter[] {
            Counter.builder("streamloader.api.events")
                    .description("events acknowledged by Kafka")
                    .tag("topic", t)
                    .register(registry),
            Counter.builder("streamloader.api.bytes")
                    .description("request body bytes of acknowledged requests")
                    .baseUnit("bytes")
                    .tag("topic", t)
                    .register(registry)
        });
        c[0].increment(events);
        c[1].increment(bytes);
        accepted.computeIfAbsent(topic, t -> new LongAdder()).add(events);
    }

    /** Events acknowledged per topic since start, sorted by topic. */
    Map<String, Long> acceptedPerTopic() {
        var counts = new TreeMap<String, Long>();
        accepted.forEach((t, n) -> counts.put(t, n.sum()));
        return counts;
    }
}
