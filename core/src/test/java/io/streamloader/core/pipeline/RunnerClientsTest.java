package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a runner's consumers and dead-letter producer are configured from the client properties runners share. */
class RunnerClientsTest {
    private static final Map<String, Object> SHARED = Map.of(
            "bootstrap.servers", "kafka:9092",
            "group.id", "someone-elses",
            "enable.auto.commit", "true",
            "client.id", "mine",
            "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
            "acks", "1",
            "fetch.min.bytes", "1024",
            "ssl.truststore.location", "/etc/ca.jks",
            "security.protocol", "SSL",
            "not.a.kafka.key", "x");

    private static RunnerClients clients(int maxRecords) {
        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("mongo")
                .topics(List.of("orders"))
                .groupId("streamloader.docs")
                .batch(new BatchPolicy(maxRecords, 8L << 20, Duration.ofMillis(50)))
                .build();
        return new RunnerClients(settings, SHARED, new SimpleMeterRegistry(), Duration.ofSeconds(1));
    }

    @Test
    void aConsumerKeepsWhatThePipelineReliesOnAndTakesOnlyConsumerKeys() {
        Map<String, Object> props = clients(500).consumerProperties(2);

        assertThat(props)
                .containsEntry("group.id", "streamloader.docs")
                .containsEntry("client.id", "sl-docs-2")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("key.deserializer", "org.apache.kafka.common.serialization.ByteBufferDeserializer")
                .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteBufferDeserializer")
                .containsEntry("max.poll.records", 500)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("fetch.min.bytes", "1024")
                .containsEntry("ssl.truststore.location", "/etc/ca.jks")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKeys("acks", "not.a.kafka.key");
    }

    @Test
    void aConsumerPollsAtMostTenThousandRecords() {
        assertThat(clients(50_000).consumerProperties(0)).containsEntry("max.poll.records", 10_000);
    }

    @Test
    void theDeadLetterProducerIsSizedForTheLargestLetterAndTakesOnlyProducerKeys() {
        Map<String, Object> props = clients(500).producerProperties(5 << 20);

        assertThat(props)
                .containsEntry("max.request.size", 5 << 20)
                .containsEntry("buffer.memory", 32L << 20)
                .containsEntry("client.id", "sl-docs-dlq")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKeys("group.id", "enable.auto.commit", "fetch.min.bytes", "not.a.kafka.key");
        assertThat(clients(500).producerProperties(40 << 20))
                .as("room for two of the largest letters")
                .containsEntry("buffer.memory", 80L << 20);
    }
}
