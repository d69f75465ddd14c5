package io.streamloader.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageTypeTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void recognisesTheFourImageSignatures() {
        assertThat(ImageType.of(bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0)))
                .hasValue("image/png");
        assertThat(ImageType.of(bytes(0xFF, 0xD8, 0xFF, 0xE0))).hasValue("image/jpeg");
        assertThat(ImageType.of(ascii("GIF89a..."))).hasValue("image/gif");
        assertThat(ImageType.of(ascii("GIF87a"))).hasValue("image/gif");
        assertThat(ImageType.of(ascii("RIFF\0\0\0\0WEBPVP8 "))).hasValue("image/webp");
    }

    @Test
    void refusesEverythingElseIncludingLookalikesAndTruncatedSignatures() {
        assertThat(ImageType.of(null)).isEmpty();
        assertThat(ImageType.of(new byte[0])).isEmpty();
        assertThat(ImageType.of(bytes(0x89, 'P', 'N', 'G'))).isEmpty(); // cut short
        assertThat(ImageType.of(bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, 'X')))
                .isEmpty();
        assertThat(ImageType.of(bytes(0xFF, 0xD8))).isEmpty();
        assertThat(ImageType.of(ascii("GIF88a"))).isEmpty();
        assertThat(ImageType.of(ascii("RIFF\0\0\0\0WAVEfmt "))).isEmpty(); // audio in the same container
        assertThat(ImageType.of(ascii("<svg onload=alert(1)>"))).isEmpty(); // scriptable: never an image here
        assertThat(ImageType.of(ascii("<html><img src=x></html>"))).isEmpty();
        assertThat(ImageType.of(ascii("%PDF-1.7"))).isEmpty();
        byte[] zlib = Arrays.copyOf(bytes(0x78, 0x9C), 64);
        assertThat(ImageType.of(zlib)).isEmpty();
    }
}
