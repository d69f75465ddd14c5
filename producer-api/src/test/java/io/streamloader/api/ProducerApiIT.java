package io.streamloader.api;

import static io.streamloader.api.TestingApi.header;
import static io.streamloader.api.TestingApi.json;
import static io.streamloader.api.TestingApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.devstack.DevStackExtension;
import io.streamloader.devstack.KafkaService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every route and body type against the devstack broker: what the API reports is what Kafka holds. */
@ExtendWith(DevStackExtension.class)
class ProducerApiIT {

    @Test
    void everyRouteAndBodyTypeLandsInKafkaAsReported(KafkaService kafka, TestInfo info) {
        String s = "-" + System.nanoTime();
        var config = ApiConfig.from(Map.of(
                "host",
                "127.0.0.1",
                "port",
                0,
                "routes",
                Map.of("/somedata", "somedata" + s, "/footdata", "footdata" + s, "/events", "events" + s),
                "topics",
                List.of("clicks" + s, "images" + s)));
        config.allTopics().forEach(t -> kafka.createTopic(t, 3));
        var api = ProducerApi.connect(config, Map.of("bootstrap.servers", kafka.bootstrapServers()), registry());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        var replies = new ArrayList<JsonNode>();
        JavalinTest.test(api.create(), (server, client) -> {
            assertThat(client.get("/health/ready").code()).isEqualTo(200);
            replies.add(json(post(client, "/somedata", "application/json", "{\"0\":\"van\",\"1\":\"van\"}")));
            replies.add(json(post(client, "/footdata", "application/json", "[{\"id\":1},{\"id\":2},{\"id\":3}]")));
            replies.add(json(post(client, "/events", "application/x-www-form-urlencoded", "speed=85.6&vin=V1")));
            replies.add(json(post(client, "/topics/clicks" + s, "application/x-ndjson", "{\"u\":1}\n{\"u\":2}\n")));
            replies.add(json(post(
                    client,
                    "/topics/images" + s + "?customer_id=1",
                    "image/png",
                    png,
                    Map.of("Idempotency-Key", "i1"))));
            replies.add(json(client.get("/somedata/truck?number=2")).get("delivery"));
        });

        var expected = new HashMap<String, String>(); // "topic/partition/offset" -> id
        for (JsonNode reply : replies) {
            for (JsonNode d : reply.isArray() ? reply : List.of(reply)) {
                expected.put(
                        d.get("topic").asText() + "/" + d.get("partition").asInt() + "/"
                                + d.get("offset").asLong(),
                        d.get("id").asText());
            }
        }
        assertThat(expected).hasSize(9);
        var stored = new HashMap<String, ConsumerRecord<byte[], byte[]>>();
        Map<String, Integer> perTopic =
                Map.of("somedata" + s, 2, "footdata" + s, 3, "events" + s, 1, "clicks" + s, 2, "images" + s, 1);
        perTopic.forEach((topic, n) -> TestingConsumer.readAll(kafka.bootstrapServers(), topic, n)
                .forEach(r -> stored.put(r.topic() + "/" + r.partition() + "/" + r.offset(), r)));
        assertThat(stored.keySet()).isEqualTo(expected.keySet());
        expected.forEach((position, id) -> {
            var r = stored.get(position);
            assertThat(header(r, "sl-event-id")).isEqualTo(id);
            assertThat(new String(r.key())).isEqualTo(id);
        });
        var form = stored.values().stream()
                .filter(r -> r.topic().equals("events" + s))
                .findFirst()
                .orElseThrow();
        assertThat(new String(form.value())).isEqualTo("{\"speed\":85.6,\"vin\":\"V1\"}");
        assertThat(header(form, "content-type")).isEqualTo("application/json");
        var image = stored.values().stream()
                .filter(r -> r.topic().equals("images" + s))
                .findFirst()
                .orElseThrow();
        assertThat(image.value()).isEqualTo(png);
        assertThat(header(image, "content-type")).isEqualTo("image/png");
        assertThat(header(image, "meta.customer_id")).isEqualTo("1");
        assertThat(header(image, "sl-event-id")).isEqualTo("i1");
        var somedata = stored.values().stream()
                .filter(r -> r.topic().equals("somedata" + s))
                .map(r -> new String(r.value()))
                .toList();
        assertThat(somedata)
                .containsExactlyInAnyOrder("{\"0\":\"van\",\"1\":\"van\"}", "{\"0\":\"truck\",\"1\":\"truck\"}");
    }

    @Test
    void positionalJsonArrayLandsInKafkaAsTheExactBytesPosted(KafkaService kafka) {
        String topic = "clickstream-" + System.nanoTime();
        var config = ApiConfig.from(
                Map.of("host", "127.0.0.1", "port", 0, "topics", List.of(topic), "positional-topics", List.of(topic)));
        kafka.createTopic(topic, 1);
        var api = ProducerApi.connect(config, Map.of("bootstrap.servers", kafka.bootstrapServers()), registry());
        String click = "[\"u1\", \"2023-07-01T10:00:00\",\"https://a.example/x\",\"Chile\",\"Santiago\","
                + "\"Chrome\",\"Linux\",\"desktop\"]";
        var replies = new ArrayList<JsonNode>();
        JavalinTest.test(api.create(), (server, client) -> {
            replies.add(json(post(
                    client,
                    "/topics/" + topic,
                    "application/json",
                    click.getBytes(StandardCharsets.UTF_8),
                    Map.of("Idempotency-Key", "click-1"))));
            replies.add(json(post(client, "/topics/" + topic, "application/json", "[[\"u2\",1],[\"u3\",2]]")));
        });

        assertThat(replies.get(0)).hasSize(1);
        assertThat(replies.get(0).get(0).get("id").asText()).isEqualTo("click-1");
        assertThat(replies.get(1)).hasSize(2);
        var stored = TestingConsumer.readAll(kafka.bootstrapServers(), topic, 3);
        assertThat(stored).extracting(r -> new String(r.value())).containsExactly(click, "[\"u2\",1]", "[\"u3\",2]");
        assertThat(header(stored.get(0), "sl-event-id")).isEqualTo("click-1");
        assertThat(new String(stored.get(0).key())).isEqualTo("click-1");
        assertThat(header(stored.get(0), "content-type")).isEqualTo("application/json");
        for (int i = 0; i < 2; i++) {
            String id = replies.get(1).get(i).get("id").asText();
            assertThat(header(stored.get(1 + i), "sl-event-id")).isEqualTo(id);
            assertThat(new String(stored.get(1 + i).key())).isEqualTo(id);
            assertThat(stored.get(1 + i).offset())
                    .isEqualTo(replies.get(1).get(i).get("offset").asLong());
        }
    }

    @Test
    void notReadyWhileAConfiguredTopicIsMissing(KafkaService kafka) {
        String s = "-" + System.nanoTime();
        var config = ApiConfig.from(Map.of(
                "host",
                "127.0.0.1",
                "port",
                0,
                "routes",
                Map.of("/events", "events" + s),
                "topics",
                List.of("missing" + s)));
        kafka.createTopic("events" + s, 1);
        var api = ProducerApi.connect(config, Map.of("bootstrap.servers", kafka.bootstrapServers()), registry());
        JavalinTest.test(api.create(), (server, client) -> {
            var r = client.get("/health/ready");
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.body().string()).contains("topic 'missing" + s + "' does not exist");
            kafka.createTopic("missing" + s, 1);
            // readiness is answered from a short cache (one probe per interval, whatever the request rate)
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> client.get("/health/ready").code() == 200);
        });
    }

    static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
