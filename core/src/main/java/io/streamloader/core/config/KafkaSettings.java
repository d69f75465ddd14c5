package io.streamloader.core.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How streamloader reaches Kafka: section {@code kafka:}.
 *
 * <pre>
 * kafka:
 *   bootstrap-servers: ${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}   # host:port list, comma-separated
 *   group-protocol: classic  # the sinks' consumer group protocol: classic (cooperative) or consumer (KIP-848)
 *   security:              # authentication and TLS for every client: see {@link KafkaSecurity}
 *     protocol: SASL_SSL
 *   client:                # extra Kafka client properties for every producer, consumer and admin client
 *     ssl.endpoint.identification.algorithm: https
 * </pre>
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param client client properties, dotted keys, passed to Kafka untouched: {@code kafka.client} plus what {@code
 *     kafka.security} stands for; secrets masked in {@link #toString()}
 * @param groupProtocol the sinks' consumer group protocol
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> client, GroupProtocol groupProtocol) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final KafkaSettings DEFAULT = new KafkaSettings(DEFAULT_BOOTSTRAP_SERVERS, Map.of());

    /** Settings with the default group protocol. */
    public KafkaSettings(String bootstrapServers, Map<String, String> client) {
        this(bootstrapServers, client, GroupProtocol.DEFAULT);
    }

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must not be blank");
        }
        client = Map.copyOf(client);
        java.util.Objects.requireNonNull(groupProtocol, "groupProtocol");
        if (client.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("set bootstrap servers with bootstrap-servers, not client properties");
        }
    }

    /** Binds section {@code kafka:}; problems go to the node's problems. */
    public static KafkaSettings from(ConfigNode node) {
        String servers = node.string("bootstrap-servers", DEFAULT_BOOTSTRAP_SERVERS);
        if (servers.isBlank()) {
            node.problem("bootstrap-servers", "must not be blank");
            servers = DEFAULT_BOOTSTRAP_SERVERS;
        }
        String protocolName = node.string("group-protocol", GroupProtocol.DEFAULT.configName());
        GroupProtocol protocol = GroupProtocol.parse(protocolName).orElse(GroupProtocol.DEFAULT);
        if (GroupProtocol.parse(protocolName).isEmpty()) {
            node.problem("group-protocol", "must be classic or consumer, got '" + protocolName + "'");
        }
        Map<String, String> client = new HashMap<>(node.flatStringMap("client"));
        if (client.containsKey(GroupProtocol.PROPERTY)) {
            node.problem("client." + GroupProtocol.PROPERTY, "set kafka.group-protocol instead");
        }
        if (client.remove("bootstrap.servers") != null) {
            node.problem("client.bootstrap.servers", "set kafka.bootstrap-servers instead");
        }
        KafkaSecurity security = KafkaSecurity.from(node.section("security"));
        security.clientProperties().forEach((key, value) -> {
            if (client.containsKey(key)) {
                node.problem("client." + key, "is set by kafka.security; set it in one place only");
            }
            client.put(key, value);
        });
        return new KafkaSettings(servers, client, protocol);
    }

    /** The properties for a Kafka client: {@link #client()} plus {@code bootstrap.servers}. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(client);
        props.put("bootstrap.servers", bootstrapServers);
        return Map.copyOf(props);
    }

    /**
     * The properties for the sinks' consumers (and their dead-letter producers, which ignore it): {@link
     * #clientProperties()} plus {@code group.protocol}.
     */
    public Map<String, Object> sinkClientProperties() {
        Map<String, Object> props = new HashMap<>(clientProperties());
        props.put(GroupProtocol.PROPERTY, groupProtocol.configName());
        return Map.copyOf(props);
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", client="
                + SecretMasker.generic().mask(new TreeMap<>(client)) + ", groupProtocol=" + groupProtocol.configName()
                + "]";
    }
}
