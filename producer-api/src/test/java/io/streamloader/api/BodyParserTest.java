package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyParserTest {

    private final BodyParser parser = new BodyParser(ApiConfig.defaults());

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
        assertThatThrownBy(() -> parser.parse(body("application/x-ndjson", "{\"a\":1}\n\n{\"a\":\n{}")))
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("line", 3));
    }

    @Test
    void formKeepsCodesWithLeadingZerosAsStringsAndRepeatsAsArrays() {
        var events = parser.parse(
                body("application/x-www-form-urlencoded", "zip=01234&n=-2.5e3&tag=a&tag=b&name=J%C3%BCrg"));
        assertThat(value(events.get(0)))
                .isEqualTo("{\"zip\":\"01234\",\"n\":-2.5E+3,\"tag\":[\"a\",\"b\"],\"name\":\"Jürg\"}");
    }

    @Test
    void malformedPercentEncodingIs400() {
        assertThatThrownBy(() -> parser.parse(body("application/x-www-form-urlencoded", "a=%zz")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("percent-encoding");
    }

    @Test
    void arrayElementsMustBeObjectsAndAreNamedByIndex() {
        assertThatThrownBy(() -> parser.parse(body("application/json", "[{}, 3]")))
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).extensions()).containsEntry("field", "/1"));
    }

    @Test
    void trailingContentAndDuplicateKeysAreMalformed() {
        assertThatThrownBy(() -> parser.parse(body("application/json", "{\"a\":1}{\"b\":2}")))
                .isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> parser.parse(body("application/json", "{\"a\":1,\"a\":2}")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("Duplicate field");
    }

    @Test
    void mediaTypesWithParametersAndSuffixesAreRecognised() {
        assertThat(parser.parse(body("application/json; charset=utf-8", "{}"))).hasSize(1);
        assertThat(parser.parse(body("application/vnd.acme+json", "{}"))).hasSize(1);
        assertThat(parser.parse(body(null, "[{},{}]"))).hasSize(2);
        assertThat(BodyKind.of(Optional.of("IMAGE/PNG"), ApiConfig.defaults().blobContentTypes()))
                .isEqualTo(BodyKind.BLOB);
    }

    @Test
    void clientIdsMustBePrintableWithoutSpaces() {
        assertThatThrownBy(() -> parser.parse(body("application/json", "{\"id\":\"a b\"}")))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("field 'id'");
        assertThat(parser.parse(body("application/json", "{\"id\":42}")).get(0).id())
                .isEqualTo("42");
    }

    @Test
    void blobMetadataNamesAreChecked() {
        var bad = new IncomingBody(
                Optional.of("image/png"), new byte[] {1}, Map.of("Bad Name", List.of("x")), Map.of(), Optional.empty());
        assertThatThrownBy(() -> parser.parse(bad))
                .isInstanceOf(ApiProblem.class)
                .hasMessageContaining("metadata name");
    }
}
