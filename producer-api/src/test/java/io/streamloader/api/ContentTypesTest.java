package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Blob allow-lists per topic, normalised types, and magic bytes against the declared type. */
class ContentTypesTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};
    static final byte[] SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            .getBytes(StandardCharsets.UTF_8);

    private final BodyParser parser = new BodyParser(ApiConfig.from(Map.of(
            "topics",
            List.of("images", "docs"),
            "topic-blob-content-types",
            Map.of("docs", List.of("application/pdf", "application/octet-stream")))));

    private static IncomingBody blob(String type, byte[] bytes) {
        return new IncomingBody(Optional.of(type), bytes, Map.of(), Map.of(), Optional.empty());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void declaredTypeIsNormalisedAndStoredWithoutParameters() {
        var events = parser.parse("images", blob("Image/PNG ; x", PNG));
        assertThat(events.get(0).contentType()).isEqualTo("image/png");
        assertThat(events.get(0).value()).isEqualTo(PNG);
        assertThat(ContentTypes.normalise(" IMAGE/jpeg;charset=x")).isEqualTo("image/jpeg");
    }

    @Test
    void everyDefaultTypeHasASignatureAndAcceptsItsMagic() {
        assertThat(ContentTypes.DEFAULT_BLOB_TYPES).allMatch(MagicBytes::known);
        Map<String, byte[]> samples = Map.of(
                "image/png", PNG,
                "image/jpeg", JPEG,
                "image/gif", "GIF89a\1\0\1\0".getBytes(StandardCharsets.ISO_8859_1),
                "image/webp", "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1),
                "image/bmp", ("BM" + "\0".repeat(30)).getBytes(StandardCharsets.ISO_8859_1),
                "image/tiff", new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0},
                "image/avif", "\0\0\0\u001cftypavif\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        samples.forEach((type, bytes) -> {
            assertThat(MagicBytes.mismatch(type, bytes)).as(type).isEmpty();
            assertThat(parser.parse("images", blob(type, bytes))).as(type).hasSize(1);
            // and every other default type refuses it
            ContentTypes.DEFAULT_BLOB_TYPES.stream()
                    .filter(other -> !other.equals(type))
                    .forEach(other -> assertThat(MagicBytes.mismatch(other, bytes))
                            .as(type + " as " + other)
                            .isPresent());
        });
    }

    @Test
    void disguisedBodiesAre415NamingContentType() {
        for (var disguised : List.of(
                blob("image/png", SVG), // svg as png
                blob("image/jpeg", PNG), // png as jpeg
                blob("image/png", new byte[] {(byte) 0x89, 1, 2}),
                blob("image/png", concat(PNG, "<html><script>x</script>".getBytes(StandardCharsets.UTF_8))),
                blob("image/gif", "GIF89a<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> parser.parse("images", disguised)).isInstanceOfSatisfying(ApiProblem.class, p -> {
                assertThat(p.status()).isEqualTo(415);
                assertThat(p.extensions()).containsEntry("field", "Content-Type");
            });
        }
    }

    @Test
    void scriptableAndUnlistedTypesAre415EvenWithAWildcard() {
        for (String type : List.of("image/svg+xml", "text/html", "application/octet-stream", "application/pdf")) {
            assertThatThrownBy(() -> parser.parse("images", blob(type, PNG)))
                    .as(type)
                    .isInstanceOfSatisfying(
                            ApiProblem.class, p -> assertThat(p.status()).isEqualTo(415));
        }
        assertThat(ContentTypes.allowed("image/svg+xml", List.of("image/*"))).isFalse();
        assertThat(ContentTypes.allowed("image/png", List.of("image/*"))).isTrue();
        assertThat(ContentTypes.allowed("image/svg+xml", List.of("image/svg+xml")))
                .isTrue();
    }

    @Test
    void aTopicsOwnListReplacesTheDefault() {
        assertThat(parser.parse("docs", blob("application/pdf", "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))))
                .hasSize(1);
        assertThat(parser.parse("docs", blob("application/octet-stream", new byte[] {1, 2, 3})))
                .hasSize(1);
        assertThatThrownBy(() -> parser.parse("docs", blob("image/png", PNG)))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status()).isEqualTo(415));
        assertThatThrownBy(() -> parser.parse("docs", blob("application/pdf", PNG)))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status()).isEqualTo(415));
    }
}
