package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.core.testing.TestingKafka;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002 (Kafka_Pipeline): somedata and footdata both land in MongoDB, once. The original stored neither reliably:
 * its footdata values were arrays that insert_many rejected, and it never committed offsets.
 *
 * <p>Records are produced the way producer-api does for {@code GET /somedata/truck?number=3} and {@code POST
 * /footdata} with an array of three matches (one event per array element, JSON value, {@code sl-event-id} and {@code
 * content-type} headers), because producer-api has not landed on main yet.
 */
class SeedFlowIT {
    private final KafkaService kafka = DevStack.kafka();
    private final MongoService mongo = DevStack.mongo();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private final List<SinkRunner> runners = new ArrayList<>();

    @AfterEach
    void close() {
        runners.forEach(SinkRunner::close);
        client.close();
    }

    static String match(int id, String home, String away, int homeGoals, int awayGoals) {
        return """
                {"area":{"id":2081,"name":"France","code":"FRA"},
                 "competition":{"id":2015,"name":"Ligue 1","code":"FL1","type":"LEAGUE"},
                 "season":{"id":1595,"startDate":"2023-08-13","endDate":"2024-05-19","currentMatchday":7},
                 "id":%d,"utcDate":"2023-09-30T19:00:00Z","status":"FINISHED","matchday":7,
                 "stage":"REGULAR_SEASON","group":null,"lastUpdated":"2023-10-01T00:20:43Z",
                 "homeTeam":{"id":524,"name":"%s","shortName":"%s","tla":"HOM"},
                 "awayTeam":{"id":548,"name":"%s","shortName":"%s","tla":"AWY"},
                 "score":{"winner":"HOME_TEAM","duration":"REGULAR",
                          "fullTime":{"home":%d,"away":%d},"halfTime":{"home":1,"away":0}},
                 "odds":{"msg":"Activate Odds-Package in User-Panel to retrieve odds."},
                 "referees":[{"id":43887,"name":"Clément Turpin","type":"REFEREE","nationality":"France"}]}
                """.formatted(id, home, home, away, away, homeGoals, awayGoals);
    }

    @Test
    void somedataAndFootdataBothLandOnce() {
        kafka.createTopic("somedata", 1);
        kafka.createTopic("footdata", 1);
        kafka.createTopic("somedata.dlq", 1);
        kafka.createTopic("footdata.dlq", 1);
        String database = "seed002_" + Long.toString(System.nanoTime(), 36);
        RunnerSettings settings = new RunnerSettings(
                "docs",
                "mongo",
                List.of("somedata", "footdata"),
                "streamloader.docs." + database,
                1,
                new BatchPolicy(1000, 8L << 20, Duration.ofMillis(100)),
                RetryPolicy.DEFAULT,
                RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC,
                Map.of("connection-string", mongo.connectionString(), "database", database));

        // GET /somedata/truck?number=3 → one event; POST /footdata with 3 matches → three events
        produce("somedata", "{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}");
        produce(
                "footdata",
                match(436176, "Paris Saint-Germain FC", "Olympique de Marseille", 4, 0),
                match(436177, "AS Monaco FC", "Stade Rennais FC 1901", 2, 1),
                match(436178, "Lille OSC", "RC Lens", 1, 0));

        SinkRunner runner =
                new SinkRunner(settings, new MongoSinkFactory(), testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();

        MongoDatabase db = client.getDatabase(database);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> testing.committedTotal(settings.groupId(), "somedata") == testing.endTotal("somedata")
                        && testing.committedTotal(settings.groupId(), "footdata") == testing.endTotal("footdata"));
        List<Document> somedata = db.getCollection("somedata").find().into(new ArrayList<>());
        assertThat(somedata).hasSize(1);
        Document truck = somedata.getFirst();
        truck.remove("_id");
        assertThat(truck).isEqualTo(Document.parse("{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}"));

        List<Document> footdata = db.getCollection("footdata").find().into(new ArrayList<>());
        assertThat(footdata).hasSize(3);
        assertThat(footdata).extracting(d -> d.getInteger("id")).containsExactlyInAnyOrder(436176, 436177, 436178);
        assertThat(footdata)
                .extracting(d -> d.get("homeTeam", Document.class).getString("name"))
                .contains("Paris Saint-Germain FC");
        assertThat(footdata.getFirst().getList("referees", Document.class)).hasSize(1);
        assertThat(testing.endTotal("somedata.dlq") + testing.endTotal("footdata.dlq"))
                .isZero();
    }

    /** One record per value, as producer-api writes them. */
    private void produce(String topic, String... values) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : values) {
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
                record.headers()
                        .add(Event.ID_HEADER, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                        .add(Event.CONTENT_TYPE_HEADER, "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }
}
