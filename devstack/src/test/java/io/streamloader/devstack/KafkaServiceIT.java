package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@DevStackTest
class KafkaServiceIT {

    private final KafkaService kafka;

    KafkaServiceIT(KafkaService kafka) {
        this.kafka = kafka;
    }

    @Test
    void producesAndConsumesWithAGroup() throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);

        send(topic, 10, "a");

        assertThat(consume(topic, "group-" + UUID.randomUUID(), 10)).hasSize(10).allMatch(v -> v.startsWith("a"));
    }

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSamePort() throws Exception {
        String topic = "restart-" + UUID.randomUUID();
        String group = "group-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        send(topic, 5, "before");
        assertThat(consume(topic, group, 5)).hasSize(5); // commits offsets for the group
        String bootstrap = kafka.bootstrapServers();

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.stop(); // idempotent
        kafka.start();

        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        send(topic, 3, "after");
        // the group resumes after its committed offsets: only the new records come back
        assertThat(consume(topic, group, 3)).hasSize(3).allMatch(v -> v.startsWith("after"));
        try (var admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
    }

    @Test
    void doesNotCreateTopicsImplicitly() throws Exception {
        try (var admin = kafka.admin()) {
            String missing = "missing-" + UUID.randomUUID();
            try (var producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000))) {
                var future = producer.send(new ProducerRecord<>(missing, "k", "v"));
                await().atMost(Duration.ofSeconds(5)).until(future::isDone);
            }
            assertThat(admin.listTopics().names().get()).doesNotContain(missing);
        }
    }

    private void send(String topic, int count, String prefix) throws Exception {
        try (var producer = producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i))
                        .get();
            }
        }
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private List<String> consume(String topic, String group, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
            consumer.commitSync();
        }
        return values;
    }
}
