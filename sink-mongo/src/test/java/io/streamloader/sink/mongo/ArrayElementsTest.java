package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/** {@code arrays: split}: one document per element, ids deterministic, and the hostile arrays refused per event. */
class ArrayElementsTest {
    private static final int MAX_SIZE = 16 << 20;
    private static final ArrayElements BY_MATCH_ID = new ArrayElements(Optional.of("id"), List.of(), MAX_SIZE, 10_000);
    private static final ArrayElements BY_INDEX = new ArrayElements(Optional.empty(), List.of(), MAX_SIZE, 10_000);

    private static Event event(String value) {
        return event(value.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static Event event(byte[] value, String contentType) {
        return Event.builder()
                .id("footdata-0-7")
                .topic("footdata")
                .partition(0)
                .offset(7)
                .timestamp(Instant.EPOCH)
                .value(value)
                .contentType(contentType)
                .build();
    }

    private static List<Converted.Document> documents(Converted converted) {
        assertThat(converted).isInstanceOf(Converted.Elements.class);
        return ((Converted.Elements) converted).documents();
    }

    private static Converted.Rejected rejected(Converted converted) {
        assertThat(converted).isInstanceOf(Converted.Rejected.class);
        return (Converted.Rejected) converted;
    }

    private static List<BsonValue> ids(Converted converted) {
        return documents(converted).stream().map(Converted.Document::id).toList();
    }

    @Test
    void theFootdataProducersArrayOfMatchesIsOneDocumentPerMatchUnderItsId() {
        String matches = "[{\"id\":497410,\"utcDate\":\"2024-05-19T19:00:00Z\",\"homeTeam\":{\"name\":\"Lille OSC\"}},"
                + "{\"id\":497411,\"utcDate\":\"2024-05-19T19:00:00Z\",\"homeTeam\":{\"name\":\"AS Monaco FC\"}}]";
        List<Converted.Document> docs = documents(BY_MATCH_ID.split(event(matches)));
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).withId())
                .isEqualTo(BsonDocument.parse("{\"_id\":497410,\"id\":497410,\"utcDate\":\"2024-05-19T19:00:00Z\","
                        + "\"homeTeam\":{\"name\":\"Lille OSC\"}}"));
        assertThat(docs.get(1).id()).isEqualTo(new BsonInt32(497411));
        assertThat(docs.get(1).withId().getDocument("homeTeam").getString("name"))
                .isEqualTo(new BsonString("AS Monaco FC"));
    }

    @Test
    void anElementWithoutTheIdFieldAndEveryElementWithoutOneConfiguredIsStoredUnderEventIdDashIndex() {
        String mixed = "[{\"id\":1},{\"name\":\"no id\"},{\"id\":null},{\"id\":4}]";
        assertThat(ids(BY_MATCH_ID.split(event(mixed))))
                .containsExactly(
                        new BsonInt32(1),
                        new BsonString("footdata-0-7-1"),
                        new BsonString("footdata-0-7-2"),
                        new BsonInt32(4));
        assertThat(ids(BY_INDEX.split(event(mixed))))
                .containsExactly(
                        new BsonString("footdata-0-7-0"),
                        new BsonString("footdata-0-7-1"),
                        new BsonString("footdata-0-7-2"),
                        new BsonString("footdata-0-7-3"));
        // a redelivery of the same record: the same ids, so its documents replace the first copies
        assertThat(ids(BY_INDEX.split(event(mixed)))).isEqualTo(ids(BY_INDEX.split(event(mixed))));
    }

    @Test
    void elementBoundsSurviveWhiteSpaceABomAndBracketsInsideStrings() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String json = " \n\t[ {\"s\":\"]},[{\"} ,\r\n{\"t\":\"\\\"]\",\"n\":{\"a\":[1,{\"b\":2}]}} ]  \n";
        byte[] value = new byte[bom.length + json.length()];
        System.arraycopy(bom, 0, value, 0, bom.length);
        System.arraycopy(json.getBytes(StandardCharsets.UTF_8), 0, value, bom.length, json.length());
        for (byte[] v : List.of(json.getBytes(StandardCharsets.UTF_8), value)) {
            Event e = event(v, "application/json");
            assertThat(ArrayElements.isArray(e)).isTrue();
            List<Converted.Document> docs = documents(BY_INDEX.split(e));
            assertThat(docs.get(0).withId())
                    .isEqualTo(BsonDocument.parse("{\"_id\":\"footdata-0-7-0\",\"s\":\"]},[{\"}"));
            assertThat(docs.get(1).withId())
                    .isEqualTo(BsonDocument.parse(
                            "{\"_id\":\"footdata-0-7-1\",\"t\":\"\\\"]\",\"n\":{\"a\":[1,{\"b\":2}]}}"));
        }
    }

    @Test
    void anEmptyArrayStoresNothing() {
        assertThat(documents(BY_MATCH_ID.split(event("[]")))).isEmpty();
        assertThat(documents(BY_MATCH_ID.split(event(" [ \n ] ")))).isEmpty();
    }

    @Test
    void onlyJsonArraysAreSplit() {
        assertThat(ArrayElements.isArray(event("{\"a\":[1]}"))).isFalse();
        assertThat(ArrayElements.isArray(event(""))).isFalse();
        assertThat(ArrayElements.isArray(event("  [1]"))).isTrue();
        assertThat(ArrayElements.isArray(event("[{}]".getBytes(StandardCharsets.UTF_8), "application/octet-stream")))
                .isFalse();
    }

    @Test
    void anElementThatIsNotAnObjectRejectsTheWholeEventNamingItsIndex() {
        assertThat(rejected(BY_MATCH_ID.split(event("[[{\"id\":1}]]"))))
                .isEqualTo(new Converted.Rejected(
                        "array element 0 is a JSON array; only JSON objects can be stored as documents",
                        "not_json_object"));
        assertThat(rejected(BY_MATCH_ID.split(event("[{\"id\":1},{\"id\":2},3]")))
                        .reason())
                .startsWith("array element 2 is a number;");
        assertThat(rejected(BY_MATCH_ID.split(event("[{},\"x\"]"))).reason())
                .startsWith("array element 1 is a string;");
        assertThat(rejected(BY_MATCH_ID.split(event("[{},{},null]"))).reason()).startsWith("array element 2 is null;");
        assertThat(rejected(BY_MATCH_ID.split(event("[true]"))).reason()).startsWith("array element 0 is a boolean;");
    }

    @Test
    void anElementMongoCannotStoreRejectsTheWholeEventNamingItsIndex() {
        Converted.Rejected dollar = rejected(BY_MATCH_ID.split(event("[{\"id\":1},{\"id\":2,\"$set\":{}}]")));
        assertThat(dollar.reason()).startsWith("array element 1: invalid field name '$set'");
        assertThat(dollar.errorClass()).isEqualTo("invalid_field_name");
        assertThat(rejected(BY_MATCH_ID.split(event("[{\"id\":[1,2]}]"))))
                .isEqualTo(new Converted.Rejected(
                        "array element 0: id-field 'id' is an array; _id cannot be an array", "invalid_id"));
        assertThat(rejected(BY_INDEX.split(event("[{\"_id\":1}]"))).errorClass())
                .isEqualTo("conflicting_id");
        assertThat(rejected(BY_INDEX.split(event("[{\"a\":1,\"a\":2}]"))).reason())
                .startsWith("array element 0: ");
        assertThat(rejected(BY_INDEX.split(event("[{\"d\":{\"$date\":\"not a date\"}}]")))
                        .reason())
                .startsWith("array element 0: value is not valid JSON");
    }

    @Test
    void anElementOverTheDocumentSizeLimitRejectsTheEvent() {
        ArrayElements small = new ArrayElements(Optional.of("id"), List.of(), 1024, 10);
        String big = "x".repeat(2000);
        Converted.Rejected r = rejected(small.split(event("[{\"id\":1},{\"id\":2,\"blob\":\"" + big + "\"}]")));
        assertThat(r.reason()).startsWith("array element 1: document too large: ");
        assertThat(r.errorClass()).isEqualTo("document_too_large");
    }

    @Test
    void moreElementsThanTheLimitRejectTheEventAtTheLimit() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
        }
        many.append(']');
        assertThat(rejected(BY_MATCH_ID.split(event(many.toString()))))
                .isEqualTo(new Converted.Rejected(
                        "the array has more than 10000 elements, the limit set by the sink setting"
                                + " arrays.max-elements",
                        "too_many_elements"));
        ArrayElements three = new ArrayElements(Optional.of("id"), List.of(), MAX_SIZE, 3);
        assertThat(documents(three.split(event("[{\"id\":1},{\"id\":2},{\"id\":3}]"))))
                .hasSize(3);
        assertThat(rejected(three.split(event("[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]")))
                        .errorClass())
                .isEqualTo("too_many_elements");
        // the limit is checked while walking: an array cut off after the limit is refused for its size, not its end
        assertThat(rejected(three.split(event("[{},{},{},{},"))).errorClass()).isEqualTo("too_many_elements");
    }

    @Test
    void duplicateIdsInOneArrayAreTwoDocumentsUnderOneIdTheLaterStoredLast() {
        List<Converted.Document> docs = documents(BY_MATCH_ID.split(event("[{\"id\":9,\"v\":1},{\"id\":9,\"v\":2}]")));
        assertThat(docs).extracting(Converted.Document::id).containsExactly(new BsonInt32(9), new BsonInt32(9));
        assertThat(docs.get(1).withId().getInt32("v").getValue()).isEqualTo(2);
    }

    @Test
    void malformedArraysAreRejectedAsInvalidJsonNeverThrown() {
        for (String bad : List.of(
                "[{\"id\":1},",
                "[{\"id\":1}",
                "[{\"id\":1}]]",
                "[{\"id\":1}] {}",
                "[{\"id\":1},]",
                "[{\"id\":1} {\"id\":2}]",
                "[{\"id\":1,}]",
                "[{\"id\":\"unterminated}]",
                "[",
                "[".repeat(100_000),
                "[" + "{\"a\":".repeat(50_000))) {
            Converted converted = BY_MATCH_ID.split(event(bad));
            assertThat(converted)
                    .as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isInstanceOf(Converted.Rejected.class);
            assertThat(((Converted.Rejected) converted).errorClass())
                    .as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                    .isIn("invalid_json", "not_json_object");
        }
        assertThat(rejected(BY_MATCH_ID.split(event(new byte[] {'[', 0, '{', '}', ']'}, "application/json")))
                        .errorClass())
                .isEqualTo("invalid_json");
        assertThat(rejected(BY_MATCH_ID.split(event(
                                new byte[] {'[', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}', ']'},
                                "application/json")))
                        .errorClass())
                .isIn("invalid_json", "invalid_utf8");
    }
}
