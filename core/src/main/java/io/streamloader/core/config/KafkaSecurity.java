package io.streamloader.core.config;

import io.streamloader.sink.support.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How streamloader authenticates to Kafka and encrypts its connections: section {@code kafka.security:}. One place
 * for what every Kafka client of the process uses (the producer API's producer, each sink's consumers and
 * dead-letter producer, the rollup, the admin client of {@code topics create} and the health probe).
 *
 * <pre>
 * kafka:
 *   security:
 *     protocol: SASL_SSL            # PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
 *     sasl-mechanism: SCRAM-SHA-512 # SCRAM-SHA-512 (default), SCRAM-SHA-256 or PLAIN
 *     username: ${KAFKA_USERNAME}
 *     password: ${KAFKA_PASSWORD}
 *     ca-file: /etc/streamloader/kafka-ca.pem   # PEM certificates to trust; default: the JVM's trust store
 * </pre>
 *
 * @param protocol Kafka's {@code security.protocol}
 * @param saslMechanism the SASL mechanism, used with a {@code SASL_*} protocol
 * @param username the SASL user, present with a {@code SASL_*} protocol
 * @param password the SASL password; never printed
 * @param caFile PEM file of the certificates that sign the brokers', used with {@code SSL}/{@code SASL_SSL}
 */
public record KafkaSecurity(
        String protocol,
        String saslMechanism,
        Optional<String> username,
        Optional<Secret> password,
        Optional<Path> caFile) {

    public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
    public static final KafkaSecurity NONE =
            new KafkaSecurity("PLAINTEXT", "SCRAM-SHA-512", Optional.empty(), Optional.empty(), Optional.empty());

    public KafkaSecurity {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(saslMechanism, "saslMechanism");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(caFile, "caFile");
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol must be one of " + PROTOCOLS + ", was " + protocol);
        }
        if (!MECHANISMS.contains(saslMechanism)) {
            throw new IllegalArgumentException(
                    "sasl-mechanism must be one of " + MECHANISMS + ", was " + saslMechanism);
        }
        if (usesSasl(protocol) && (username.isEmpty() || password.isEmpty())) {
            throw new IllegalArgumentException(protocol + " needs a username and a password");
        }
    }

    /** Binds section {@code kafka.security:}; every problem names its key. */
    static KafkaSecurity from(ConfigNode node) {
        if (!node.isPresent()) {
            return NONE;
        }
        String protocol = node.string("protocol", "PLAINTEXT").strip().toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            node.problem("protocol", "must be one of " + PROTOCOLS + ", was \"" + protocol + "\"");
            protocol = "PLAINTEXT";
        }
        String mechanism =
                node.string("sasl-mechanism", "SCRAM-SHA-512").strip().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            node.problem("sasl-mechanism", "must be one of " + MECHANISMS + ", was \"" + mechanism + "\"");
            mechanism = "SCRAM-SHA-512";
        }
        Optional<String> username = node.optionalString("username").filter(s -> !s.isBlank());
        Optional<Secret> password =
                node.optionalString("password").filter(s -> !s.isEmpty()).map(Secret::of);
        if (usesSasl(protocol)) {
            if (username.isEmpty()) {
                node.problem("username", "is required with protocol " + protocol);
            }
            if (password.isEmpty()) {
                node.problem("password", "is required with protocol " + protocol + " (for example ${KAFKA_PASSWORD})");
            }
        } else if (username.isPresent() || password.isPresent()) {
            node.problem("protocol", "is " + protocol + ", which sends no username or password: use SASL_SSL");
        }
        Optional<Path> caFile = node.optionalString("ca-file").map(s -> Path.of(s.strip()));
        if (caFile.isPresent()) {
            if (!Files.isReadable(caFile.get())) {
                node.problem("ca-file", "cannot read " + caFile.get().toAbsolutePath());
            } else if (!usesTls(protocol)) {
                node.problem("ca-file", "is only used with protocol SSL or SASL_SSL, not " + protocol);
            }
        }
        if (usesSasl(protocol) && (username.isEmpty() || password.isEmpty())) {
            return NONE; // the problems above stop the start; NONE keeps the record's invariants
        }
        return new KafkaSecurity(protocol, mechanism, username, password, caFile);
    }

    /** The Kafka client properties this stands for; empty for plain {@code PLAINTEXT}. */
    public Map<String, String> clientProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        if (this.equals(NONE)) {
            return props;
        }
        props.put("security.protocol", protocol);
        if (usesSasl(protocol)) {
            props.put("sasl.mechanism", saslMechanism);
            String module = saslMechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put(
                    "sasl.jaas.config",
                    module + " required username=\"" + jaasEscape(username.orElseThrow()) + "\" password=\""
                            + jaasEscape(password.orElseThrow().reveal()) + "\";");
        }
        caFile.ifPresent(ca -> {
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.location", ca.toAbsolutePath().toString());
        });
        return props;
    }

    private static boolean usesSasl(String protocol) {
        return protocol.startsWith("SASL_");
    }

    private static boolean usesTls(String protocol) {
        return protocol.endsWith("SSL");
    }

    /** JAAS options are double-quoted strings: a quote or backslash in a password must not end or break the value. */
    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSecurity[protocol=" + protocol + ", saslMechanism=" + saslMechanism + ", username="
                + username.orElse("") + ", password=" + password.orElse(Secret.NONE) + ", caFile="
                + caFile.map(Path::toString).orElse("") + "]";
    }
}
