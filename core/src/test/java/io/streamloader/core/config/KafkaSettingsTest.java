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
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyKeyMapped() {
        KafkaSettings settings = bind("""
                kafka:
                  bootstrap-servers: k1:9092,k2:9092
                  client:
                    security.protocol: SASL_SSL
                    sasl: {mechanism: PLAIN}
                    linger.ms: 5
                """);
        assertThat(settings)
                .isEqualTo(new KafkaSettings(
                        "k1:9092,k2:9092",
                        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "linger.ms", "5")));
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
}
