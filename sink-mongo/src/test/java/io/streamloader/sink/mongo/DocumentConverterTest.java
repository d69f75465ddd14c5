package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class DocumentConverterTest {
    private static final DocumentConverter PLAIN = new DocumentConverter(Optional.empty(), List.of(), 16 << 20);

    private static Event event(String value) {
        return event(value, "application/json");
    }

    private static Event event(String value, String contentType) {
        return Event.builder()
                .id("ev-1")
                .topic("somedata")
                .partition(0)
                .offset(42)
                .timestamp(Instant.EPOCH)
                .value(value.getBytes(StandardCharsets.UTF_8))
                .contentType(contentType)
                .build();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static Converted.Document stored(Converted converted) {
        assertThat(converted).isInstanceOf(Converted.Document.class);
        return (Converted.Document) converted;
    }

    private static Converted.Rejected rejected(Converted converted) {
        assertThat(converted).isInstanceOf(Converted.Rejected.class);
        return (Converted.Rejected) converted;
    }

    @Test
    void aJsonObjectBecomesRawBsonUnderTheEventId() {
        Converted.Document d = stored(PLAIN.convert(event("{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}")));
        assertThat(d.id()).isEqualTo(new BsonString("ev-1"));
        assertThat(d.document()).isInstanceOf(RawBsonDocument.class);
        assertThat(d.document()).isEqualTo(BsonDocument.parse("{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}"));
    }

    @Test
    void theDocumentToInsertCarriesTheIdFirstAndEveryFieldUnchanged() {
        String json = "{\"a\":{\"b\":[1,2,{\"c\":\"d\"}]},\"n\":1.5,\"s\":\"x\"}";
        Converted.Document d = stored(PLAIN.convert(event(json)));

        BsonDocument insert = d.withId();

        assertThat(insert).isInstanceOf(RawBsonDocument.class);
        assertThat(insert.getFirstKey()).isEqualTo("_id");
        assertThat(insert).isEqualTo(BsonDocument.parse("{\"_id\":\"ev-1\"," + json.substring(1)));
        assertThat(new Converted.Document(new BsonInt32(7), BsonDocument.parse("{\"x\":1}")).withId())
                .isEqualTo(BsonDocument.parse("{\"_id\":7,\"x\":1}"));
        BsonDocument ownId = BsonDocument.parse("{\"_id\":\"m1\",\"x\":1}");
        assertThat(new Converted.Document(new BsonString("m1"), ownId).withId()).isSameAs(ownId);
    }

    @Test
    void extendedJsonDatesAndNumbersAreUnderstood() {
        Converted.Document d = stored(PLAIN.convert(
                event("{\"at\":{\"$date\":\"2024-05-01T12:00:00Z\"},\"ms\":{\"$date\":{\"$numberLong\":\"1000\"}},"
                        + "\"n\":{\"$numberLong\":\"7\"},\"i\":3,\"f\":1.5,\"nested\":{\"a\":[1,{\"b\":null}]}}")));
        BsonDocument doc = d.document();
        assertThat(doc.get("at"))
                .isEqualTo(
                        new BsonDateTime(Instant.parse("2024-05-01T12:00:00Z").toEpochMilli()));
        assertThat(doc.get("ms")).isEqualTo(new BsonDateTime(1000));
        assertThat(doc.get("n").isInt64()).isTrue();
        assertThat(doc.get("i")).isEqualTo(new BsonInt32(3));
        assertThat(doc.get("f").isDouble()).isTrue();
        assertThat(doc.getDocument("nested").getArray("a")).hasSize(2);
    }

    @Test
    void plainJsonTakesTheFastPathAndComesOutWithTheIdFirst() {
        String json = "{\"n\":2147483648,\"i\":-0,\"d\":1e3,\"s\":\"caf\\u00e9 \\uD83D\\uDE00\",\"a\":[true,null,{}]}";
        assertThat(new JsonToBson(Optional.empty()).parse(ByteBuffer.wrap(bytes(json)), "ev-1"))
                .isPresent();

        Converted.Document d = stored(PLAIN.convert(event(json)));

        assertThat(d.idAdded()).isTrue();
        assertThat(d.withId()).isInstanceOf(RawBsonDocument.class);
        assertThat(d.withId().getFirstKey()).isEqualTo("_id");
        assertThat(d.withId()).isEqualTo(BsonDocument.parse("{\"_id\":\"ev-1\"," + json.substring(1)));
        assertThat(d.document()).isEqualTo(BsonDocument.parse(json));
        assertThat(d.document().get("n")).isEqualTo(new BsonInt64(2147483648L));
        assertThat(d.document().get("i")).isEqualTo(new BsonInt32(0));
        assertThat(d.document().get("d")).isEqualTo(new BsonDouble(1000));
        assertThat(d.document().getString("s").getValue()).isEqualTo("café \uD83D\uDE00");
    }

    @Test
    void extendedJsonLeavesTheFastPathAndIsStillUnderstood() {
        String json = "{\"id\":7,\"at\":{\"$date\":\"2024-05-01T12:00:00Z\"},"
                + "\"list\":[{\"$oid\":\"5f0c6ab3e3a1a4b5c6d7e8f9\"}],\"n\":{\"$numberLong\":\"7\"}}";
        assertThat(new JsonToBson(Optional.empty()).parse(ByteBuffer.wrap(bytes(json)), "ev-1"))
                .isEmpty();

        for (DocumentConverter converter :
                List.of(PLAIN, new DocumentConverter(Optional.of("id"), List.of(), 16 << 20))) {
            Converted.Document d = stored(converter.convert(event(json)));
            assertThat(d.withId().getFirstKey()).isEqualTo("_id");
            assertThat(d.document().get("at"))
                    .isEqualTo(new BsonDateTime(
                            Instant.parse("2024-05-01T12:00:00Z").toEpochMilli()));
            assertThat(d.document().getArray("list").get(0))
                    .isEqualTo(new BsonObjectId(new ObjectId("5f0c6ab3e3a1a4b5c6d7e8f9")));
            assertThat(d.document().get("n")).isEqualTo(new BsonInt64(7));
        }
    }

    @Test
    void theFastPathRejectsWhatTheOtherPathRejectsWithTheSameReasons() {
        DocumentConverter byId = new DocumentConverter(Optional.of("id"), List.of(), 16 << 20);
        DocumentConverter small = new DocumentConverter(Optional.empty(), List.of(), 40);
        assertThat(rejected(PLAIN.convert(event("{\"a\":1,\"$set\":2,\"$inc\":3}"))))
                .isEqualTo(new Converted.Rejected(
                        "invalid field name '$set': top-level names must not start with '$'", "invalid_field_name"));
        assertThat(rejected(PLAIN.convert(event("{\"a\":1,\"_id\":\"x\"}"))).errorClass())
                .isEqualTo("conflicting_id");
        assertThat(rejected(byId.convert(event("{\"id\":1,\"_id\":2}"))).reason())
                .isEqualTo("value has an _id that differs from id-field 'id'");
        assertThat(rejected(byId.convert(event("{\"id\":[1]}"))).errorClass()).isEqualTo("invalid_id");
        assertThat(rejected(byId.convert(event("{\"id\":null}"))).errorClass()).isEqualTo("missing_id_field");
        // the size is the value's, as before: without the _id the sink adds
        assertThat(rejected(small.convert(event("{\"pad\":\"" + "x".repeat(30) + "\"}")))
                        .reason())
                .isEqualTo("document too large: 45 bytes of BSON, the limit is 40");
        Converted.Rejected invalid = rejected(PLAIN.convert(event("{\"a\": [1, 2}")));
        assertThat(invalid.errorClass()).isEqualTo("invalid_json");
        assertThat(invalid.reason()).startsWith("value is not valid JSON: ");
        assertThat(rejected(PLAIN.convert(event(" \n"))).reason()).contains("empty");
        assertThat(rejected(PLAIN.convert(event("  [1]"))).reason()).contains("a JSON array");
        assertThat(rejected(PLAIN.convert(event("true"))).errorClass()).isEqualTo("not_json_object");
    }

    @Test
    void theReplacementOfAnUpsertIsTheValueWithoutTheAddedId() {
        DocumentConverter byId = new DocumentConverter(Optional.of("id"), List.of(), 16 << 20);
        Converted.Document d = stored(byId.convert(event("{\"a\":1,\"id\":{\"k\":\"v\"}}")));
        assertThat(d.id()).isEqualTo(BsonDocument.parse("{\"k\":\"v\"}"));
        assertThat(d.withId()).isEqualTo(BsonDocument.parse("{\"_id\":{\"k\":\"v\"},\"a\":1,\"id\":{\"k\":\"v\"}}"));
        assertThat(d.document()).isEqualTo(BsonDocument.parse("{\"a\":1,\"id\":{\"k\":\"v\"}}"));
        assertThat(d.document()).isInstanceOf(RawBsonDocument.class);

        Converted.Document own = stored(byId.convert(event("{\"_id\":3,\"id\":3}")));
        assertThat(own.idAdded()).isFalse();
        assertThat(own.document()).isSameAs(own.withId());
    }

    @Test
    void nonObjectsAndNonJsonAreRejectedWithAReason() {
        assertThat(rejected(PLAIN.convert(event("[{\"id\":1}]"))).reason()).contains("a JSON array");
        assertThat(rejected(PLAIN.convert(event("\"text\""))).errorClass()).isEqualTo("not_json_object");
        assertThat(rejected(PLAIN.convert(event(""))).reason()).contains("empty");
        assertThat(rejected(PLAIN.convert(event("{\"a\": tru"))).errorClass()).isEqualTo("invalid_json");
        assertThat(rejected(PLAIN.convert(event("{\"a\":1}", "text/plain"))).reason())
                .isEqualTo("content type 'text/plain' is not JSON");
        assertThat(stored(PLAIN.convert(event("{\"a\":1}", "application/vnd.x+json; charset=utf-8"))))
                .isNotNull();
    }

    @Test
    void contentAfterTheObjectIsRejectedNotDropped() {
        for (String json : List.of("{\"a\":1} x", "{\"a\":1}\n{\"b\":2}", "{\"a\":1}}", "{\"a\":1} 5", "{\"a\":1},")) {
            Converted.Rejected r = rejected(PLAIN.convert(event(json)));
            assertThat(r.errorClass()).as(json).isEqualTo("invalid_json");
            assertThat(r.reason()).as(json).isEqualTo(DocumentConverter.TRAILING_CONTENT);
        }
        assertThat(stored(PLAIN.convert(event(" {\"a\":1}\r\n"))).document())
                .isEqualTo(BsonDocument.parse("{\"a\":1}"));
    }

    @Test
    void numbersAndEscapesJsonReaderCannotReadAreRejectedNotThrown() {
        Converted.Rejected big = rejected(PLAIN.convert(event("{\"n\":9223372036854775808}")));
        assertThat(big.errorClass()).isEqualTo("invalid_json");
        assertThat(big.reason()).contains("9223372036854775808");
        assertThat(rejected(PLAIN.convert(event("{\"s\":\"\\uZZZZ\"}"))).errorClass())
                .isEqualTo("invalid_json");
    }

    @Test
    void namesMongoRejectsAreCaughtPerEvent() {
        assertThat(rejected(PLAIN.convert(event("{\"$set\":{\"a\":1}}"))).errorClass())
                .isEqualTo("invalid_field_name");
        assertThat(rejected(PLAIN.convert(event("{\"_id\":5,\"a\":1}"))).errorClass())
                .isEqualTo("conflicting_id");
        // dots and nested dollars are legal field names since MongoDB 5.0
        assertThat(stored(PLAIN.convert(event("{\"a.b\":1,\"c\":{\"d\":2}}")))).isNotNull();
    }

    @Test
    void documentsAboveTheLimitAreRejected() {
        DocumentConverter small = new DocumentConverter(Optional.empty(), List.of(), 100);
        Converted.Rejected r = rejected(small.convert(event("{\"pad\":\"" + "x".repeat(200) + "\"}")));
        assertThat(r.errorClass()).isEqualTo("document_too_large");
        assertThat(r.reason()).contains("the limit is 100");
    }

    @Test
    void theIdCanComeFromADocumentField() {
        DocumentConverter byMatch = new DocumentConverter(Optional.of("id"), List.of(), 16 << 20);
        assertThat(stored(byMatch.convert(event("{\"id\":498331,\"status\":\"FINISHED\"}")))
                        .id())
                .isEqualTo(new BsonInt32(498331));
        assertThat(rejected(byMatch.convert(event("{\"status\":\"FINISHED\"}"))).errorClass())
                .isEqualTo("missing_id_field");
        assertThat(rejected(byMatch.convert(event("{\"id\":1,\"_id\":2}"))).errorClass())
                .isEqualTo("conflicting_id");

        DocumentConverter nested = new DocumentConverter(Optional.of("match.id"), List.of(), 16 << 20);
        assertThat(stored(nested.convert(event("{\"match\":{\"id\":\"m-7\"}}"))).id())
                .isEqualTo(new BsonString("m-7"));

        DocumentConverter own = new DocumentConverter(Optional.of("_id"), List.of(), 16 << 20);
        assertThat(stored(own.convert(event("{\"_id\":\"x\",\"a\":1}"))).id()).isEqualTo(new BsonString("x"));
    }

    @Test
    void configuredDateFieldsBecomeBsonDates() {
        DocumentConverter dates = new DocumentConverter(Optional.empty(), List.of("utcDate", "score.at"), 16 << 20);
        BsonDocument doc = stored(dates.convert(
                        event("{\"utcDate\":\"2023-09-30T19:00:00Z\",\"score\":{\"at\":\"2023-09-30T21:00:00+02:00\"},"
                                + "\"lastUpdated\":\"2023-09-30T22:00:00Z\"}")))
                .document();
        assertThat(doc.get("utcDate"))
                .isEqualTo(
                        new BsonDateTime(Instant.parse("2023-09-30T19:00:00Z").toEpochMilli()));
        assertThat(doc.getDocument("score").get("at"))
                .isEqualTo(
                        new BsonDateTime(Instant.parse("2023-09-30T19:00:00Z").toEpochMilli()));
        assertThat(doc.get("lastUpdated")).isEqualTo(new BsonString("2023-09-30T22:00:00Z"));
        assertThat(rejected(dates.convert(event("{\"utcDate\":\"yesterday\"}"))).errorClass())
                .isEqualTo("invalid_date");
        assertThat(stored(dates.convert(event("{\"other\":1}"))).document())
                .isEqualTo(BsonDocument.parse("{\"other\":1}"));
    }
}
