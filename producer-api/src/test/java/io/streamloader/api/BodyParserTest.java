package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyParserTest {

    private static final String CLICK =
            "[\"u1\", \"2023-07-01T10:00:00\",\"https://a.example/x\",\"Chile\",\"Santiago\",\"Chrome\",\"Linux\",\"desktop\"]";

    private final BodyParser parser = new BodyParser(ApiConfig.defaults());
    private final BodyParser positional = new BodyParser(ApiConfig.from(
            Map.of("topics", List.of("clickstream", "clicks"), "positional-topics", List.of("clickstream"))));

    private static IncomingBody body(String contentType, String text) {
        return new IncomingBody(
                Optional.ofNullable(contentType),
                text.getBytes(StandardCharsets.UTF_8),
                Map.of(),
                Map.of(),
                Optional.empty());
    }

    private static String value(PendingEvent e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    @Test
    void malformedNdjsonLineIsNamedByItsLineNumber() {
        assertThatThrownBy(() -> parser.parse("events", body("application/x-ndjson", "{\"a\":1}\n\n{\"a\":\n{}")))
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("line", 3));
    }

    @Test
    void formKeepsCodesWithLeadingZerosAsStringsAndRepeatsAsArrays() {
        var events = parser.parse(
                "events", body("application/x-www-form-urlencoded", "zip=01234&n=-2.5e3&tag=a&tag=b&name=J%C3%BCrg"));
        assertThat(value(events.get(0)))
                .isEqualTo("{\"zip\":\"01234\",\"n\":-2.5E+3,\"tag\":[\"a\",\"b\"],\"name\":\"Jürg\"}");
    }

    @Test
    void malformedPercentEncodingIs400() {
        assertThatThrownBy(() -> parser.parse("events", body("application/x-www-form-urlencoded", "a=%zz")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("percent-encoding");
    }

    @Test
    void formBytesOrEscapesThatAreNotUtf8Are400NotReplaced() {
        var raw = new IncomingBody(
                Optional.of("application/x-www-form-urlencoded"),
                new byte[] {'a', '=', (byte) 0xff, 'b'},
                Map.of(),
                Map.of(),
                Optional.empty());
        assertThatThrownBy(() -> parser.parse("events", raw))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("the form's body is not valid UTF-8");
        for (String form : List.of("a=%ff", "a=%C3", "a=%ED%A0%80", "a=%zz", "a=%4")) {
            assertThatThrownBy(() -> parser.parse("events", body("application/x-www-form-urlencoded", form)))
                    .as(form)
                    .isInstanceOf(ApiProblem.class)
                    .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("field", "field 'a'"));
        }
        var ok = parser.parse("events", body("application/x-www-form-urlencoded", "e=%F0%9F%98%80+x&raw=\uD83D\uDE00"));
        // one code point each, written as JSON escapes of its surrogate pair
        assertThat(value(ok.get(0))).isEqualTo("{\"e\":\"\\uD83D\\uDE00 x\",\"raw\":\"\\uD83D\\uDE00\"}");
    }

    @Test
    void arrayElementsMustBeObjectsAndAreNamedByIndex() {
        assertThatThrownBy(() -> parser.parse("events", body("application/json", "[{}, 3]")))
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("field", "/1"));
    }

    @Test
    void positionalArrayOnAnOrdinaryTopicIs400HintingAtTheKey() {
        for (BodyParser p : List.of(parser, positional)) {
            assertThatThrownBy(() -> p.parse("clicks", body("application/json", "[1,2]")))
                    .isInstanceOf(ApiProblem.class)
                    .hasMessageContaining("element [0] is a number, not a JSON object")
                    .hasMessageContaining("api.positional-topics")
                    .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("field", "/0"));
        }
        assertThatThrownBy(() -> positional.parse("clicks", body("application/x-ndjson", "{}\n[1,2]")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("api.positional-topics")
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("line", 2));
    }

    @Test
    void positionalArrayIsOneEventWithTheBodysBytesUnchanged() {
        var events = positional.parse(
                "clickstream",
                new IncomingBody(
                        Optional.of("application/json"),
                        CLICK.getBytes(StandardCharsets.UTF_8),
                        Map.of(),
                        Map.of(),
                        Optional.of("k1")));
        assertThat(events).hasSize(1);
        assertThat(value(events.get(0))).isEqualTo(CLICK);
        assertThat(events.get(0).id()).isEqualTo("k1");
        assertThat(new String(events.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k1");
        assertThat(events.get(0).contentType()).isEqualTo("application/json");
        var mixedScalars = positional.parse("clickstream", body("application/json", "[\"a\", 1.50, true, null]"));
        assertThat(value(mixedScalars.get(0))).isEqualTo("[\"a\", 1.50, true, null]");
        assertThat(mixedScalars.get(0).id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7.*");
    }

    @Test
    void arrayOfPositionalArraysIsOneEventEachWithSuffixedIdempotencyKeys() {
        var events = positional.parse(
                "clickstream",
                new IncomingBody(
                        Optional.of("application/json"),
                        "[[\"u1\", 1], [\"u2\", 2], []]".getBytes(StandardCharsets.UTF_8),
                        Map.of(),
                        Map.of(),
                        Optional.of("batch")));
        assertThat(events).extracting(BodyParserTest::value).containsExactly("[\"u1\", 1]", "[\"u2\", 2]", "[]");
        assertThat(events).extracting(PendingEvent::id).containsExactly("batch-0", "batch-1", "batch-2");
    }

    @Test
    void positionalNdjsonIsOneEventPerLineObjectsToo() {
        var events =
                positional.parse("clickstream", body("application/x-ndjson", CLICK + "\n{\"id\":\"o1\"}\n[\"u2\"]\n"));
        assertThat(events).extracting(BodyParserTest::value).containsExactly(CLICK, "{\"id\":\"o1\"}", "[\"u2\"]");
        assertThat(events.get(1).id()).isEqualTo("o1");
    }

    @Test
    void positionalTopicStillTakesObjects() {
        var events = positional.parse("clickstream", body("application/json", "[{\"id\":\"a\"},{\"id\":\"b\"}]"));
        assertThat(events).extracting(PendingEvent::id).containsExactly("a", "b");
        assertThat(positional.parse("clickstream", body("application/json", "{\"id\":\"c\"}")))
                .extracting(PendingEvent::id)
                .containsExactly("c");
    }

    @Test
    void mixedOrDeeperPositionalShapesAre400NamingTheElement() {
        Map<String, String> fieldOf = Map.of(
                "[\"u1\", 2, [3]]", "/2",
                "[\"u1\", {\"a\":1}]", "/1",
                "[[\"u1\"], [\"u2\"], \"u3\"]", "/2",
                "[[\"u1\"], [\"u2\", [\"deep\"]]]", "/1/1",
                "[[\"u1\"], {\"id\":\"o\"}]", "/1",
                "[{\"id\":\"o\"}, [\"u1\"]]", "/1");
        fieldOf.forEach((json, field) -> assertThatThrownBy(
                        () -> positional.parse("clickstream", body("application/json", json)))
                .as(json)
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("field", field)));
        assertThatThrownBy(() -> positional.parse("clickstream", body("application/x-ndjson", "[1]\n[[1]]")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageStartingWith("line 2: element [0] is an array")
                .satisfies(e -> assertThat(((ApiProblem) e).extensions())
                        .containsEntry("line", 2)
                        .containsEntry("field", "/0"));
        assertThatThrownBy(() -> positional.parse("clickstream", body("application/json", "\"u1\"")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("got a string");
    }

    @Test
    void trailingContentAndDuplicateKeysAreMalformed() {
        assertThatThrownBy(() -> parser.parse("events", body("application/json", "{\"a\":1}{\"b\":2}")))
                .isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> parser.parse("events", body("application/json", "{\"a\":1,\"a\":2}")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("Duplicate field");
    }

    @Test
    void mediaTypesWithParametersAndSuffixesAreRecognised() {
        assertThat(parser.parse("events", body("application/json; charset=utf-8", "{}")))
                .hasSize(1);
        assertThat(parser.parse("events", body("application/vnd.acme+json", "{}")))
                .hasSize(1);
        assertThat(parser.parse("events", body(null, "[{},{}]"))).hasSize(2);
        assertThat(BodyKind.of(Optional.of("IMAGE/PNG"), ApiConfig.defaults().blobContentTypes()))
                .isEqualTo(BodyKind.BLOB);
    }

    @Test
    void clientIdsMustBePrintableWithoutSpaces() {
        assertThatThrownBy(() -> parser.parse("events", body("application/json", "{\"id\":\"a b\"}")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("field 'id'");
        assertThat(parser.parse("events", body("application/json", "{\"id\":42}"))
                        .get(0)
                        .id())
                .isEqualTo("42");
    }

    @Test
    void blobMetadataNamesAreChecked() {
        var bad = new IncomingBody(
                Optional.of("image/png"),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
                Map.of("Bad Name", List.of("x")),
                Map.of(),
                Optional.empty());
        assertThatThrownBy(() -> parser.parse("events", bad))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("metadata name");
    }
}
