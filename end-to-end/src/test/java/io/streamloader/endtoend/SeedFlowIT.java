package io.streamloader.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.sink.mongo.MongoSinkConfig;
import io.streamloader.sink.mongo.MongoSinkFactory;
import io.streamloader.testing.TestingHandledEvents;
import io.streamloader.testing.TestingKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002 (Kafka_Pipeline): {@code GET /somedata/truck?number=3} and {@code POST /footdata} with three matches go
 * through producer-api into Kafka and through the mongo sink into MongoDB; both land, once. The original stored
 * neither reliably: its footdata values were arrays that insert_many rejected, and it never committed offsets.
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
    void somedataAndFootdataBothLandOnce() throws Exception {
        kafka.createTopic("somedata", 1);
        kafka.createTopic("footdata", 1);
        kafka.createTopic("somedata.dlq", 1);
        kafka.createTopic("footdata.dlq", 1);
        String database = "seed002_" + Long.toString(System.nanoTime(), 36);
        RunnerSettings settings = RunnerSettings.builder("docs")
                .type("mongo")
                .topics(List.of("somedata", "footdata"))
                .groupId("streamloader.docs." + database)
                .batch(new BatchPolicy(1000, 8L << 20, Duration.ofMillis(100)))
                .sinkConfig(Map.of("connection-string", mongo.connectionString(), "database", database))
                .build();

        ProducerApi api = ProducerApi.connect(
                ApiConfig.from(Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        0,
                        "routes",
                        Map.of("/somedata", "somedata", "/footdata", "footdata"))),
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Javalin app = api.create().start();
        try {
            String base = "http://127.0.0.1:" + app.port();
            assertThat(http(HttpRequest.newBuilder(URI.create(base + "/somedata/truck?number=3")))
                            .statusCode())
                    .isEqualTo(200);
            String matches = "[" + match(436176, "Paris Saint-Germain FC", "Olympique de Marseille", 4, 0) + ","
                    + match(436177, "AS Monaco FC", "Stade Rennais FC 1901", 2, 1) + ","
                    + match(436178, "Lille OSC", "RC Lens", 1, 0) + "]";
            HttpResponse<String> posted = http(HttpRequest.newBuilder(URI.create(base + "/footdata"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(matches)));
            assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);
        } finally {
            app.stop();
        }

        TestingHandledEvents<MongoSinkConfig> sink = new TestingHandledEvents<>(new MongoSinkFactory());
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();

        MongoDatabase db = client.getDatabase(database);
        await().atMost(Duration.ofSeconds(90)).until(() -> sink.count() == 4);
        runner.close();
        assertThat(testing.committedTotal(settings.groupId(), "somedata")).isEqualTo(testing.endTotal("somedata"));
        assertThat(testing.committedTotal(settings.groupId(), "footdata")).isEqualTo(testing.endTotal("footdata"));
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

    private static HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
