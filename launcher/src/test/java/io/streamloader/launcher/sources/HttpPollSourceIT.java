package io.streamloader.launcher.sources;

import static io.streamloader.launcher.sources.TestingFootballData.match;
import static io.streamloader.launcher.sources.TestingFootballData.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.launcher.sources.TestingFootballData.Reply;
import io.streamloader.spi.Event;
import io.streamloader.testing.TestingKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The poller with a real broker: a local football-data fake checks the token, rate-limits once with a 429 and
 * Retry-After, then serves the matches; the poller is restarted in the middle. Every match reaches the topic under
 * its one event id, keyed by its id.
 */
class HttpPollSourceIT {
    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());

    private HttpPollSource source(TestingFootballData upstream, String topic) {
        return new HttpPollSource(
                new HttpPollSourceConfig(
                        "footdata",
                        upstream.url(),
                        topic,
                        Map.of("X-Auth-Token", TestingFootballData.TOKEN),
                        "/matches",
                        "id",
                        "lastUpdated",
                        Duration.ofMillis(200),
                        600,
                        Duration.ofSeconds(10)),
                new KafkaPublisher(Map.of("bootstrap.servers", kafka.bootstrapServers())));
    }

    @Test
    void everyMatchIsPublishedUnderItsOneEventIdThroughA429AndARestart() throws Exception {
        String topic = "footdata-" + System.nanoTime();
        kafka.createTopic(topic, 3);
        try (TestingFootballData upstream = new TestingFootballData()) {
            upstream.then(new Reply(429, "{\"message\":\"You reached your request limit.\"}", "1"))
                    .then(Reply.ok(matches(match(1, "a"), match(2, "a"), match(3, "a"))));
            HttpPollSource first = source(upstream, topic);
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> upstream.requests.get() >= 4);
            first.close();
            upstream.then(Reply.ok(matches(match(1, "a"), match(2, "a"), match(3, "b"), match(4, "a"))));
            HttpPollSource second = source(upstream, topic);
            second.start();
            int before = upstream.requests.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> upstream.requests.get() >= before + 3);
            second.close();

            List<ConsumerRecord<byte[], byte[]>> records = testing.readAll(topic, 7);
            Set<String> ids = records.stream()
                    .map(r -> new String(r.headers().lastHeader(Event.ID_HEADER).value(), StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
            assertThat(ids).containsExactlyInAnyOrder("footdata-1", "footdata-2", "footdata-3", "footdata-4");
            // the first run: 3 matches once each, however often it polled; the restart: each current match once more
            assertThat(records).hasSize(3 + 4);
            assertThat(records)
                    .allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                            .isEqualTo(new String(
                                            r.headers()
                                                    .lastHeader(Event.ID_HEADER)
                                                    .value(),
                                            StandardCharsets.UTF_8)
                                    .substring("footdata-".length())));
            assertThat(upstream.refused.get()).isZero();
        }
    }
}
