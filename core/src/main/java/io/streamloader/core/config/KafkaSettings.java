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
 *   client:                # extra Kafka client properties for every producer, consumer and admin client
 *     security.protocol: SASL_SSL
 * </pre>
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param client extra client properties, dotted keys, passed to Kafka untouched; secrets masked in {@link #toString()}
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> client) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final KafkaSettings DEFAULT = new KafkaSettings(DEFAULT_BOOTSTRAP_SERVERS, Map.of());

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must not be blank");
        }
        client = Map.copyOf(client);
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
        Map<String, String> client = new HashMap<>(node.flatStringMap("client"));
        if (client.remove("bootstrap.servers") != null) {
            node.problem("client.bootstrap.servers", "set kafka.bootstrap-servers instead");
        }
        return new KafkaSettings(servers, client);
    }

    /** The properties for a Kafka client: {@link #client()} plus {@code bootstrap.servers}. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(client);
        props.put("bootstrap.servers", bootstrapServers);
        return Map.copyOf(props);
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", client="
                + SecretMasker.generic().mask(new TreeMap<>(client)) + "]";
    }
}
