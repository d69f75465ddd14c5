package io.streamloader.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group protocol of the sinks' consumers ({@code kafka.group-protocol}): how the processes running a
 * sink share its partitions and take over from each other.
 */
public enum GroupProtocol {
    /**
     * Kafka's classic protocol with the cooperative-sticky assignor: members keep their partitions during a
     * rebalance, which takes two join/sync rounds; failure detection by the client's {@code session.timeout.ms}.
     */
    CLASSIC,
    /**
     * KIP-848 ({@code group.protocol=consumer}, Kafka 4.0+ brokers): the broker computes assignments and hands them
     * out incrementally through heartbeats, with no group-wide barrier; session timeout and heartbeat interval are the
     * broker's ({@code group.consumer.session.timeout.ms}, {@code group.consumer.heartbeat.interval.ms}).
     */
    CONSUMER;

    private static final Logger log = LoggerFactory.getLogger(GroupProtocol.class);

    /** The default, chosen from the rebalance times measured by {@code ScaleOutIT} (docs/configuration.md). */
    public static final GroupProtocol DEFAULT = CLASSIC;

    /** The consumer property carrying the protocol. */
    public static final String PROPERTY = "group.protocol";

    /** Client settings the classic protocol reads and a {@code group.protocol=consumer} client refuses. */
    static final Set<String> CLASSIC_ONLY =
            Set.of("partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms");

    /** The name as written in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GroupProtocol> parse(String value) {
        for (GroupProtocol p : values()) {
            if (p.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Makes a sink consumer's properties consistent with its protocol ({@value #PROPERTY} in {@code props}, else
     * {@link #DEFAULT}): with {@link #CONSUMER}, the classic-only settings are removed (Kafka's client would refuse to
     * start with them), logged when they came from {@code kafka.client}.
     *
     * @param fromOperator the properties the operator set ({@code kafka.client}), to tell their settings from defaults
     */
    public static void applyTo(Map<String, Object> props, Map<String, Object> fromOperator) {
        Object configured = props.get(PROPERTY);
        GroupProtocol protocol =
                configured == null ? DEFAULT : parse(configured.toString()).orElse(DEFAULT);
        props.put(PROPERTY, protocol.configName());
        if (protocol == CONSUMER) {
            Set<String> dropped = new TreeSet<>();
            for (String key : CLASSIC_ONLY) {
                if (props.remove(key) != null && fromOperator.containsKey(key)) {
                    dropped.add(key);
                }
            }
            if (!dropped.isEmpty()) {
                log.warn(
                        "kafka.client {} ignored for the sinks' consumers: with kafka.group-protocol consumer the broker's"
                                + " group.consumer.* settings apply",
                        dropped);
            }
        }
    }
}
