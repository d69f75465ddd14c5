package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.MongoService;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.WriteResult;
import io.streamloader.testing.TestingOpenSink;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The sink on its own against the devstack MongoDB wire server: what ends up stored, and how failures come back. */
class MongoSinkIT {
    private final MongoService mongo = DevStack.mongo();
    private final MongoClient client = MongoClients.create(mongo.connectionString());
    private final List<TestingOpenSink> sinks = new ArrayList<>();
    private String database;

    @AfterEach
    void close() {
        sinks.forEach(TestingOpenSink::close);
        client.close();
    }

    private TestingOpenSink sink(TestInfo info, Map<String, String> extra) {
        database = "it_" + info.getTestMethod().orElseThrow().getName().hashCode() % 10_000 + "_"
                + System.nanoTime() % 1_000_000;
        database = database.replace('-', 'm');
        Map<String, String> config =
                new HashMap<>(Map.of("connection-string", mongo.connectionString(), "database", database));
        config.putAll(extra);
        TestingOpenSink sink = TestingOpenSink.open(new MongoSinkFactory(), new SinkContext("docs", config));
        sinks.add(sink);
        return sink;
    }

    private MongoCollection<Document> collection(String name) {
        return client.getDatabase(database).getCollection(name);
    }

    private static Event event(String id, String topic, long offset, String json) {
        return Event.builder()
                .id(id)
                .topic(topic)
                .partition(0)
                .offset(offset)
                .timestamp(Instant.now())
                .value(json.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void eventsAreUpsertedByIdSoRedeliveryOverwrites(TestInfo info) throws Exception {
        TestingOpenSink sink = sink(info, Map.of());
        List<Event> batch = IntStream.range(0, 500)
                .mapToObj(i -> event("e-" + i, "somedata", i, "{\"n\":" + i + "}"))
                .toList();
        assertThat(sink.write(batch).isSuccess()).isTrue();
        assertThat(sink.write(batch).isSuccess()).isTrue();
        assertThat(sink.write(List.of(event("e-7", "somedata", 7, "{\"n\":700}")))
                        .isSuccess())
                .isTrue();
        assertThat(collection("somedata").countDocuments()).isEqualTo(500);
        assertThat(collection("somedata").find(Filters.eq("_id", "e-7")).first())
                .isEqualTo(new Document("_id", "e-7").append("n", 700));
        sink.checkHealth();
    }

    @Test
    void eachTopicGoesToItsCollectionAndBadEventsAreReportedAlone(TestInfo info) {
        TestingOpenSink sink = sink(info, Map.of());
        WriteResult result = sink.write(List.of(
                event("s-1", "somedata", 0, "{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}"),
                event("f-1", "footdata", 0, "{\"id\":1,\"at\":{\"$date\":\"2023-09-30T19:00:00Z\"}}"),
                event("f-2", "footdata", 1, "[{\"id\":2}]"),
                event("f-3", "footdata", 2, "not json"),
                event("f-4", "footdata", 3, "{\"$where\":1}"),
                event("f-5", "footdata", 4, "{\"id\":5}")));
        assertThat(result.failures())
                .extracting(f -> f.event().id(), EventFailure::kind, EventFailure::errorClass)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("f-2", FailureKind.PERMANENT, "not_json_object"),
                        org.assertj.core.groups.Tuple.tuple("f-3", FailureKind.PERMANENT, "not_json_object"),
                        org.assertj.core.groups.Tuple.tuple("f-4", FailureKind.PERMANENT, "invalid_field_name"));
        assertThat(collection("somedata").find().first())
                .isEqualTo(Document.parse("{\"_id\":\"s-1\",\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}"));
        assertThat(collection("footdata").countDocuments()).isEqualTo(2);
        BsonDocument f1 = client.getDatabase(database)
                .getCollection("footdata", BsonDocument.class)
                .find(Filters.eq("_id", "f-1"))
                .first();
        assertThat(f1.get("at"))
                .isEqualTo(
                        new BsonDateTime(Instant.parse("2023-09-30T19:00:00Z").toEpochMilli()));
    }

    @Test
    void aUniqueIndexViolationFailsOnlyThatEventPermanently(TestInfo info) {
        TestingOpenSink sink = sink(
                info,
                Map.of(
                        "collection", "matches",
                        "indexes.by_match.keys", "matchId:1",
                        "indexes.by_match.unique", "true"));
        assertThat(client.getDatabase(database)
                        .getCollection("matches")
                        .listIndexes()
                        .into(new ArrayList<>()))
                .as("created at start")
                .anyMatch(i -> i.getString("name").equals("by_match") && Boolean.TRUE.equals(i.getBoolean("unique")));
        WriteResult result = sink.write(List.of(
                event("a", "footdata", 0, "{\"matchId\":1}"),
                event("b", "footdata", 1, "{\"matchId\":2}"),
                event("c", "footdata", 2, "{\"matchId\":1}"),
                event("d", "footdata", 3, "{\"matchId\":3}")));
        assertThat(result.failures()).hasSize(1);
        EventFailure failure = result.failures().getFirst();
        assertThat(failure.event().id()).isEqualTo("c");
        assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(failure.errorClass()).isEqualTo("duplicate_key");
        assertThat(failure.reason()).contains("11000");
        assertThat(collection("matches").countDocuments()).isEqualTo(3);
    }

    @Test
    void anIdFieldReplacesTheEventIdAndTheLastVersionInABatchWins(TestInfo info) {
        TestingOpenSink sink = sink(info, Map.of("id-field", "id", "date-fields", "utcDate"));
        WriteResult result = sink.write(List.of(
                event(
                        "x1",
                        "footdata",
                        0,
                        "{\"id\":498331,\"status\":\"SCHEDULED\",\"utcDate\":\"2023-09-30T19:00:00Z\"}"),
                event("x2", "footdata", 1, "{\"id\":498332,\"status\":\"SCHEDULED\"}"),
                event(
                        "x3",
                        "footdata",
                        2,
                        "{\"id\":498331,\"status\":\"FINISHED\",\"utcDate\":\"2023-09-30T19:00:00Z\"}")));
        assertThat(result.isSuccess()).isTrue();
        assertThat(collection("footdata").countDocuments()).isEqualTo(2);
        Document match = collection("footdata").find(Filters.eq("_id", 498331)).first();
        assertThat(match.getString("status")).isEqualTo("FINISHED");
        assertThat(match.get("utcDate")).isInstanceOf(java.util.Date.class);
        assertThat(match.get("id")).isEqualTo(498331);
    }

    @Test
    void anUnreachableServerFailsFastAndRetriably() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SinkContext context = new SinkContext(
                "docs",
                Map.of(
                        "connection-string", "mongodb://127.0.0.1:" + port,
                        "server-selection-timeout", "500ms",
                        "connect-timeout", "500ms"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> TestingOpenSink.open(new MongoSinkFactory(), context))
                .isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("not reachable");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void documentsAreStoredAsTheJsonSaid(TestInfo info) {
        TestingOpenSink sink = sink(info, Map.of("collection", "c_{topic}"));
        String json =
                "{\"s\":\"é\",\"n\":1,\"l\":12345678901,\"d\":1.25,\"b\":true,\"z\":null,\"a\":[1,\"x\",{\"k\":[]}],"
                        + "\"o\":{\"p\":{\"q\":\"r\"}}}";
        assertThat(sink.write(List.of(event("j", "t", 0, json))).isSuccess()).isTrue();
        BsonDocument stored = client.getDatabase(database)
                .getCollection("c_t", BsonDocument.class)
                .find()
                .first();
        BsonDocument expected = BsonDocument.parse(json);
        expected.put("_id", new BsonString("j"));
        assertThat(stored).isEqualTo(expected);
    }

    /**
     * Two events with one {@code _id} in a batch, the later refused by a unique index: the earlier is stored, the later
     * dead-lettered, the other events are untouched (write errors are mapped back by position, not by id).
     */
    @Test
    void aLaterEventRefusedForGoodDoesNotTakeTheEarlierOneOfItsIdWithIt(TestInfo info) {
        TestingOpenSink sink = sink(
                info,
                Map.of(
                        "collection", "matches",
                        "indexes.by_match.keys", "matchId:1",
                        "indexes.by_match.unique", "true"));
        assertThat(sink.write(List.of(event("taken", "t", 0, "{\"matchId\":9}")))
                        .isSuccess())
                .isTrue();
        WriteResult result = sink.write(List.of(
                event("same", "t", 1, "{\"matchId\":1,\"v\":\"first\"}"),
                event("other", "t", 2, "{\"matchId\":2}"),
                event("same", "t", 3, "{\"matchId\":9,\"v\":\"second\"}"),
                event("last", "t", 4, "{\"matchId\":3}")));
        assertThat(result.failures()).hasSize(1);
        EventFailure failure = result.failures().getFirst();
        assertThat(failure.event().offset()).isEqualTo(3);
        assertThat(failure.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(failure.errorClass()).isEqualTo("duplicate_key");
        assertThat(collection("matches").find(Filters.eq("_id", "same")).first())
                .isEqualTo(new Document("_id", "same").append("matchId", 1).append("v", "first"));
        assertThat(collection("matches").countDocuments()).isEqualTo(4);
    }

    /** The hostile corpus straight into the sink, one batch: no exception, each event stored or failed for good. */
    @Test
    void theHostileCorpusInOneBatchFailsOnlyItsOwnEvents(TestInfo info) {
        TestingOpenSink sink = sink(info, Map.of("collection", "hostile"));
        List<TestingHostileEvents.Sample> samples = TestingHostileEvents.all();
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            batch.add(Event.builder()
                    .id(String.format("h-%06d", i))
                    .topic("t")
                    .partition(0)
                    .offset(i)
                    .timestamp(Instant.now())
                    .value(samples.get(i).value())
                    .build());
            batch.add(event("good-" + i, "t", i, "{\"n\":" + i + "}"));
        }
        WriteResult result = sink.write(batch);
        assertThat(result.failures()).allMatch(f -> f.kind() == FailureKind.PERMANENT);
        assertThat(result.failures()).noneMatch(f -> f.event().id().startsWith("good-"));
        java.util.Set<String> failed = new java.util.HashSet<>();
        result.failures().forEach(f -> failed.add(f.event().id()));
        for (int i = 0; i < samples.size(); i++) {
            String id = String.format("h-%06d", i);
            boolean stored = collection("hostile").countDocuments(Filters.eq("_id", id)) == 1;
            assertThat(stored).as(samples.get(i).name()).isNotEqualTo(failed.contains(id));
            if (samples.get(i).fate() != TestingHostileEvents.Fate.EITHER) {
                assertThat(stored)
                        .as(samples.get(i).name())
                        .isEqualTo(samples.get(i).fate() == TestingHostileEvents.Fate.STORED);
            }
        }
        assertThat(collection("hostile").countDocuments(Filters.regex("_id", "^good-")))
                .isEqualTo(samples.size());
    }
}
