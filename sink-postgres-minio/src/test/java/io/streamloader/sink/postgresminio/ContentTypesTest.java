package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.minio.PutObjectArgs;
import org.junit.jupiter.api.Test;

class ContentTypesTest {

    @Test
    void keepsAWellFormedTypeWithItsParameters() {
        assertThat(ContentTypes.forObject("image/png")).isEqualTo("image/png");
        assertThat(ContentTypes.forObject("Text/Plain; charset=UTF-8")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(ContentTypes.forObject("text/plain;charset=\"utf-8\"")).isEqualTo("text/plain; charset=\"utf-8\"");
    }

    @Test
    void dropsMalformedParametersAndFallsBackForAnUnusableType() {
        assertThat(ContentTypes.forObject("image/png; x")).isEqualTo("image/png");
        assertThat(ContentTypes.forObject("image/png; a=1; ; b; c=\"x\\\"y\"; d=2"))
                .isEqualTo("image/png; a=1; d=2");
        assertThat(ContentTypes.forObject("image/png\u0001")).isEqualTo(ContentTypes.FALLBACK);
        assertThat(ContentTypes.forObject("image/p\u00e9ng")).isEqualTo(ContentTypes.FALLBACK);
        assertThat(ContentTypes.forObject("")).isEqualTo(ContentTypes.FALLBACK);
        assertThat(ContentTypes.forObject(null)).isEqualTo(ContentTypes.FALLBACK);
        assertThat(ContentTypes.forObject("png")).isEqualTo(ContentTypes.FALLBACK);
        assertThat(ContentTypes.forObject("image/png; x=\u0000")).isEqualTo("image/png");
        assertThat(ContentTypes.forObject("image/png; " + "a".repeat(300))).isEqualTo(ContentTypes.FALLBACK);
    }

    /** The user's report: the S3 client refused {@code image/png; x}. Every normalised type must be sendable. */
    @Test
    void theS3ClientAcceptsEveryNormalisedType() {
        String[] hostile = {
            "image/png; x", "image/png;", ";", "image/png; charset", "a/b; c=d e", "image/png\r\nX-Evil: 1",
            "image/png; q=\"\u0007\"", "\u0000", "image/\ud800", "text/html; charset=\"", "*/*", "a/b;;;;c=d",
            "image/png ; x = y", "multipart/form-data; boundary=----x"
        };
        for (String type : hostile) {
            String normalised = ContentTypes.forObject(type);
            assertThatCode(() -> PutObjectArgs.builder()
                            .bucket("bucket")
                            .object("key")
                            .data(new byte[1], 1)
                            .contentType(normalised)
                            .build())
                    .as("'%s' -> '%s'", type, normalised)
                    .doesNotThrowAnyException();
        }
    }
}
