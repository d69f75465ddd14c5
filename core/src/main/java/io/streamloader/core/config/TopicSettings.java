package io.streamloader.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A topic streamloader knows: one entry under {@code topics:}. {@code streamloader topics create} creates it and its
 * dead-letter topics with these settings; sinks may only consume listed topics and producer-api only routes to them.
 *
 * <pre>
 * topics:
 *   somedata:
 *     partitions: 3              # default 3: room for 3 workers per sink
 *     replication-factor: 1      # default 1: works on a single broker; use 3 in production
 *     config: { retention.ms: 604800000 }   # Kafka topic configs, passed untouched
 * </pre>
 *
 * @param name the topic name, legal for Kafka
 * @param partitions at least 1
 * @param replicationFactor at least 1
 * @param config Kafka topic configuration, dotted keys
 */
public record TopicSettings(String name, int partitions, short replicationFactor, Map<String, String> config) {

    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSettings {
        Objects.requireNonNull(name, "name");
        if (!isLegalName(name)) {
            throw new IllegalArgumentException("topic name " + Durations.quoted(name) + " is not legal for Kafka");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication-factor must be at least 1, was " + replicationFactor);
        }
        config = Map.copyOf(config);
    }

    /** Binds {@code topics.<name>}; problems go to the node's problems. */
    public static TopicSettings from(String name, ConfigNode node) {
        int partitions = node.integer("partitions", DEFAULT_PARTITIONS, 1, Integer.MAX_VALUE);
        short replication = (short) node.integer("replication-factor", DEFAULT_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
        Map<String, String> config = node.flatStringMap("config");
        if (!isLegalName(name)) {
            node.problem("is not a legal Kafka topic name: use 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
            name = "invalid";
        }
        return new TopicSettings(name, partitions, replication, config);
    }

    /** Whether Kafka accepts {@code name} as a topic name. */
    public static boolean isLegalName(String name) {
        return LEGAL_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
