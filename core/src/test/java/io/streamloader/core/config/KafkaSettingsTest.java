package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private final ConfigProblems problems = new ConfigProblems();

    private KafkaSettings bind(String yaml) {
        ConfigNode root = ConfigLoader.readTree(yaml, Map.of(), problems);
        KafkaSettings settings = KafkaSettings.from(root.section("kafka"));
        root.finish();
        return settings;
    }

    @Test
    void defaults() {
        assertThat(bind("")).isEqualTo(KafkaSettings.DEFAULT);
        assertThat(KafkaSettings.DEFAULT.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(KafkaSettings.DEFAULT.client()).isEmpty();
        assertThat(KafkaSettings.DEFAULT.groupProtocol()).isEqualTo(GroupProtocol.DEFAULT);
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyKeyMapped() {
        KafkaSettings settings = bind("""
                kafka:
                  bootstrap-servers: k1:9092,k2:9092
                  group-protocol: consumer
                  client:
                    security.protocol: SASL_SSL
                    sasl: {mechanism: PLAIN}
                    linger.ms: 5
                """);
        assertThat(settings)
                .isEqualTo(new KafkaSettings(
                        "k1:9092,k2:9092",
                        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "linger.ms", "5"),
                        GroupProtocol.CONSUMER));
        assertThat(settings.sinkClientProperties()).containsEntry("group.protocol", "consumer");
        assertThat(settings.clientProperties())
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("linger.ms", "5")
                .hasSize(4);
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void bootstrapServersAmongClientPropertiesIsAProblem() {
        bind("kafka: {bootstrap-servers: '', client: {bootstrap.servers: x}}");
        assertThat(problems.list())
                .containsExactly(
                        "kafka.bootstrap-servers: must not be blank",
                        "kafka.client.bootstrap.servers: set kafka.bootstrap-servers instead");
        assertThatThrownBy(() -> new KafkaSettings("k:9092", Map.of("bootstrap.servers", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownGroupProtocolOrOneAmongClientPropertiesIsAProblem() {
        bind("kafka: {group-protocol: streams, client: {group.protocol: consumer}}");
        assertThat(problems.list())
                .containsExactly(
                        "kafka.group-protocol: must be classic or consumer, got 'streams'",
                        "kafka.client.group.protocol: set kafka.group-protocol instead");
    }

    @Test
    void secretsAreNotInToString() {
        KafkaSettings settings = new KafkaSettings(
                "k:9092",
                Map.of(
                        "sasl.jaas.config", "org.apache...PlainLoginModule required password=\"hunter2\";",
                        "ssl.key.password", "hunter3",
                        "ssl.truststore.password", "hunter4",
                        "security.protocol", "SASL_SSL"));
        assertThat(settings.toString())
                .doesNotContain("hunter")
                .contains("sasl.jaas.config=****", "ssl.key.password=****", "security.protocol=SASL_SSL");
    }

    @Test
    void securityStandsForTheClientPropertiesOfEveryClient(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "pem");
        KafkaSettings settings = bind("""
                kafka:
                  security:
                    protocol: sasl_ssl
                    sasl-mechanism: SCRAM-SHA-256
                    username: loader
                    password: 'pa"ss\\word'
                    ca-file: %s
                """.formatted(ca));
        assertThat(problems.list()).isEmpty();
        assertThat(settings.client())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"loader\""
                                + " password=\"pa\\\"ss\\\\word\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", ca.toAbsolutePath().toString());
        assertThat(settings.toString()).doesNotContain("pa\"ss").contains("sasl.jaas.config=****");
    }

    @Test
    void plainMechanismUsesThePlainLoginModule() {
        KafkaSettings settings = bind("""
                kafka: {security: {protocol: SASL_PLAINTEXT, sasl-mechanism: plain, username: u, password: p}}
                """);
        assertThat(problems.list()).isEmpty();
        assertThat(settings.client().get("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
    }

    @Test
    void securityProblemsNameTheirKeys() {
        bind("""
                kafka:
                  security: {protocol: SASL_SSL, sasl-mechanism: GSSAPI, ca-file: /no/such/ca.pem, colour: red}
                  client: {security.protocol: SSL}
                """);
        assertThat(problems.list())
                .contains(
                        "kafka.security.sasl-mechanism: must be one of [SCRAM-SHA-512, SCRAM-SHA-256, PLAIN], was \"GSSAPI\"",
                        "kafka.security.username: is required with protocol SASL_SSL",
                        "kafka.security.password: is required with protocol SASL_SSL (for example ${KAFKA_PASSWORD})")
                .anySatisfy(p -> assertThat(p).startsWith("kafka.security.ca-file: cannot read "))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.security.colour"));
    }

    @Test
    void credentialsWithoutSaslAreAProblemAndSecurityClashesWithClientProperties() {
        bind("""
                kafka:
                  security: {protocol: SSL, username: u, password: p}
                  client: {security.protocol: SASL_SSL}
                """);
        assertThat(problems.list())
                .containsExactlyInAnyOrder(
                        "kafka.security.protocol: is SSL, which sends no username or password: use SASL_SSL",
                        "kafka.client.security.protocol: is set by kafka.security; set it in one place only");
    }
}
