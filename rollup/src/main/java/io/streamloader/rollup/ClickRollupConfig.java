package io.streamloader.rollup;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One clickstream rollup: an entry {@code processors.<name>} with {@code type: clickstream-rollup}.
 *
 * <pre>
 * processors:
 *   clickstream:
 *     type: clickstream-rollup
 *     enabled: true                       # default true
 *     input: clickstream                  # default clickstream; a topic listed under topics:
 *     output: click_events                # default click_events; listed under topics: with cleanup.policy: compact
 *     dead-letter: { topic: clickstream.dlq }   # default &lt;input&gt;.dlq; malformed clicks with sl.error.* headers
 *     application-id: streamloader.clickstream  # default streamloader.&lt;name&gt;: consumer group and internal topic prefix
 *     state-dir: /var/lib/streamloader/streams  # default &lt;java.io.tmpdir&gt;/streamloader-streams
 *     threads: 1                          # default 1; more instances with the same application-id share the work
 *     processing-guarantee: exactly-once  # default exactly-once; or at-least-once
 *     commit-interval: 100ms              # default 100ms: how often rollups are published (and the delay they add)
 *     cache-max-bytes: 10MiB              # default 10MiB: updates of one pair within a commit are merged in here
 *     dedup-retention: 7d                 # default 7d: how long an event id is remembered to drop a re-post
 *     streams: { num.standby.replicas: 1 }      # extra Kafka Streams properties, passed untouched
 * </pre>
 *
 * @param name the processor's name ({@code processors.<name>}), in logs, dead-letter headers and the default app id
 * @param input the topic of click events
 * @param output the compacted topic of rollups, one record per {@code url|country}
 * @param deadLetterTopic where malformed click events go
 * @param applicationId Kafka Streams {@code application.id}
 * @param stateDir parent directory of Kafka Streams' local state
 * @param threads stream threads in this instance
 * @param exactlyOnce {@code exactly_once_v2} when true, else {@code at_least_once}
 * @param commitInterval Kafka Streams {@code commit.interval.ms}
 * @param cacheMaxBytes Kafka Streams {@code statestore.cache.max.bytes}
 * @param dedupRetention how long an event id is kept for duplicate detection
 * @param streams extra Kafka Streams properties, applied last
 */
public record ClickRollupConfig(
        String name,
        String input,
        String output,
        String deadLetterTopic,
        String applicationId,
        Path stateDir,
        int threads,
        boolean exactlyOnce,
        Duration commitInterval,
        long cacheMaxBytes,
        Duration dedupRetention,
        Map<String, String> streams) {

    public static final String TYPE = "clickstream-rollup";
    public static final String DEFAULT_INPUT = "clickstream";
    public static final String DEFAULT_OUTPUT = "click_events";
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final long DEFAULT_CACHE_MAX_BYTES = 10L << 20;
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    public ClickRollupConfig {
        Objects.requireNonNull(name, "name");
        requireTopic(input, "input");
        requireTopic(output, "output");
        requireTopic(deadLetterTopic, "dead-letter.topic");
        if (input.equals(output) || input.equals(deadLetterTopic) || output.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("input, output and dead-letter.topic must be three different topics");
        }
        Objects.requireNonNull(applicationId, "applicationId");
        if (!NAME.matcher(applicationId).matches()) {
            throw new IllegalArgumentException("application-id may only use a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (commitInterval.isZero() || commitInterval.isNegative()) {
            throw new IllegalArgumentException("commit-interval must be positive");
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cache-max-bytes must not be negative");
        }
        Objects.requireNonNull(dedupRetention, "dedupRetention");
        if (dedupRetention.toMillis() < 1) {
            throw new IllegalArgumentException("dedup-retention must be positive");
        }
        streams = Map.copyOf(streams);
    }

    /** The defaults for a processor named {@code name}: what an entry with only {@code type:} gives. */
    public static ClickRollupConfig defaults(String name) {
        return new ClickRollupConfig(
                name,
                DEFAULT_INPUT,
                DEFAULT_OUTPUT,
                defaultDeadLetterTopic(DEFAULT_INPUT),
                defaultApplicationId(name),
                defaultStateDir(),
                1,
                true,
                DEFAULT_COMMIT_INTERVAL,
                DEFAULT_CACHE_MAX_BYTES,
                DEFAULT_DEDUP_RETENTION,
                Map.of());
    }

    /**
     * Binds {@code processors.<name>} (its {@code type} and {@code enabled} keys are read by {@link ClickRollup}).
     * Never throws for a bad value: each problem goes to the node's problems with its key path, and the result is only
     * meaningful when there are none.
     */
    public static ClickRollupConfig from(String name, ConfigNode node) {
        int before = node.problems().size();
        if (!NAME.matcher(name).matches()) {
            node.problem("processor names may only use a-z, A-Z, 0-9, '.', '_' and '-' (the name is part of the"
                    + " application id)");
            name = "invalid";
        }
        String input = topic(node, "input", DEFAULT_INPUT);
        String output = topic(node, "output", DEFAULT_OUTPUT);
        ConfigNode deadLetter = node.section("dead-letter");
        String dlq = topic(deadLetter, "topic", defaultDeadLetterTopic(input));
        String applicationId = node.string("application-id", defaultApplicationId(name));
        if (!NAME.matcher(applicationId).matches()) {
            node.problem("application-id", "may only use a-z, A-Z, 0-9, '.', '_' and '-'");
            applicationId = defaultApplicationId(name);
        }
        Path stateDir = node.path("state-dir", defaultStateDir());
        int threads = node.integer("threads", 1, 1, 64);
        boolean exactlyOnce = guarantee(node);
        Duration commitInterval = node.duration("commit-interval", DEFAULT_COMMIT_INTERVAL);
        if (commitInterval.isZero()) {
            node.problem("commit-interval", "must be positive");
            commitInterval = DEFAULT_COMMIT_INTERVAL;
        }
        long cacheMaxBytes = node.bytes("cache-max-bytes", DEFAULT_CACHE_MAX_BYTES);
        Duration dedupRetention = node.duration("dedup-retention", DEFAULT_DEDUP_RETENTION);
        if (dedupRetention.toMillis() < 1) {
            node.problem("dedup-retention", "must be at least 1ms");
            dedupRetention = DEFAULT_DEDUP_RETENTION;
        }
        Map<String, String> streams = node.flatStringMap("streams");
        for (String key : streams.keySet()) {
            if (key.equals("application.id") || key.equals("bootstrap.servers")) {
                node.problem("streams." + key, "set application-id or kafka.bootstrap-servers instead");
            }
        }
        if (node.problems().size() == before && (input.equals(output) || input.equals(dlq) || output.equals(dlq))) {
            node.problem("output", "input, output and dead-letter.topic must be three different topics");
        }
        if (node.problems().size() > before) {
            return defaults(name);
        }
        return new ClickRollupConfig(
                name,
                input,
                output,
                dlq,
                applicationId,
                stateDir,
                threads,
                exactlyOnce,
                commitInterval,
                cacheMaxBytes,
                dedupRetention,
                streams);
    }

    public static String defaultDeadLetterTopic(String input) {
        return input + ".dlq";
    }

    public static String defaultApplicationId(String name) {
        return "streamloader." + name;
    }

    public static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "streamloader-streams");
    }

    private static String topic(ConfigNode node, String key, String defaultValue) {
        String topic = node.string(key, defaultValue).strip();
        if (!TopicSettings.isLegalName(topic)) {
            node.problem(key, "is not a legal Kafka topic name: use 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
            return defaultValue;
        }
        return topic;
    }

    private static boolean guarantee(ConfigNode node) {
        String value =
                node.string("processing-guarantee", "exactly-once").strip().toLowerCase(Locale.ROOT);
        return switch (value.replace('_', '-')) {
            case "exactly-once", "exactly-once-v2" -> true;
            case "at-least-once" -> false;
            default -> {
                node.problem("processing-guarantee", "expected exactly-once or at-least-once, was '" + value + "'");
                yield true;
            }
        };
    }

    private static void requireTopic(String topic, String key) {
        Objects.requireNonNull(topic, key);
        if (!TopicSettings.isLegalName(topic)) {
            throw new IllegalArgumentException(key + " '" + topic + "' is not a legal Kafka topic name");
        }
    }

    @Override
    public String toString() {
        return "ClickRollupConfig[name=" + name + ", input=" + input + ", output=" + output + ", deadLetterTopic="
                + deadLetterTopic + ", applicationId=" + applicationId + ", stateDir=" + stateDir + ", threads="
                + threads + ", exactlyOnce=" + exactlyOnce + ", commitInterval=" + commitInterval + ", cacheMaxBytes="
                + cacheMaxBytes + ", dedupRetention=" + dedupRetention + ", streams="
                + io.streamloader.core.config.SecretMasker.generic().mask(new TreeMap<>(streams)) + "]";
    }
}
