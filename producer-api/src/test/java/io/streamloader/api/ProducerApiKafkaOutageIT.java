package io.streamloader.api;

import static io.streamloader.api.TestingApi.header;
import static io.streamloader.api.TestingApi.json;
import static io.streamloader.api.TestingApi.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.testtools.JavalinTest;
import io.streamloader.devstack.DevStackExtension;
import io.streamloader.devstack.KafkaService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kafka stopped mid-test: 503 with Retry-After and never a 200 for an unstored event; 200s again once it is back. */
@ExtendWith(DevStackExtension.class)
class ProducerApiKafkaOutageIT {

    @Test
    void brokerDownGives503AndRecoversWhenItReturns(KafkaService kafka) {
        String topic = "outage-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        var config = ApiConfig.from(
                Map.of("host", "127.0.0.1", "port", 0, "routes", Map.of("/events", topic), "request-timeout", "1s"));
        var api = ProducerApi.connect(
                config, Map.of("bootstrap.servers", kafka.bootstrapServers()), ProducerApiIT.registry());
        var acknowledged = new HashMap<String, String>(); // id -> "partition/offset" from 200 replies
        JavalinTest.test(api.create(), (server, client) -> {
            for (int i = 0; i < 5; i++) {
                record(acknowledged, post(client, "/events", "application/json", "{\"n\":" + i + "}"));
            }
            assertThat(acknowledged).hasSize(5);
            kafka.stop();
            try {
                for (int i = 0; i < 5; i++) {
                    var r = post(
                            client,
                            "/events",
                            "application/json",
                            ("{\"down\":" + i + "}").getBytes(),
                            Map.of("Idempotency-Key", "down-" + i));
                    assertThat(r.code()).isEqualTo(503);
                    assertThat(r.headers().get("Retry-After")).containsExactly("1");
                    assertThat(r.headers().get("Content-Type").get(0)).startsWith("application/problem+json");
                }
                assertThat(client.get("/health/ready").code()).isEqualTo(503);
            } finally {
                kafka.start();
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        var r = post(client, "/events", "application/json", "{\"back\":true}");
                        if (r.code() == 200) {
                            record(acknowledged, r);
                            return true;
                        }
                        assertThat(r.code()).isEqualTo(503);
                        return false;
                    });
            // readiness is answered from a short cache (one probe per period), so it turns 200 within a period
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> client.get("/health/ready").code() == 200);
        });
        // every 200 names a record that really is in Kafka with that id
        var stored = new HashMap<String, String>();
        TestingConsumer.readAll(kafka.bootstrapServers(), topic, acknowledged.size())
                .forEach(r -> stored.put(header(r, "sl-event-id"), r.partition() + "/" + r.offset()));
        assertThat(stored).containsAllEntriesOf(acknowledged);
    }

    private static void record(Map<String, String> acknowledged, io.javalin.testtools.Response r) {
        assertThat(r.code()).isEqualTo(200);
        for (var d : json(r)) {
            acknowledged.put(
                    d.get("id").asText(),
                    d.get("partition").asInt() + "/" + d.get("offset").asLong());
        }
    }
}
