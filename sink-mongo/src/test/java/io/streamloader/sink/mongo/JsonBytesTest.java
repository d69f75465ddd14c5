package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
    private static final long SEED = 7L;

    @Test
    void wellFormedUtf8IsWhatJavasStrictDecoderAccepts() {
        for (String hex : Utf8Samples.EDGES) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            assertThat(JsonBytes.isWellFormedUtf8(bytes, 0, bytes.length))
                    .as(hex)
                    .isEqualTo(javaAccepts(bytes));
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly ASCII, so that the eight-at-a-time path runs too, with lead and continuation bytes mixed in
                bytes[k] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x80) : random.nextInt(0x80));
            }
            assertThat(JsonBytes.isWellFormedUtf8(bytes, 0, bytes.length))
                    .as("seed " + SEED + ", " + HexFormat.of().formatHex(bytes))
                    .isEqualTo(javaAccepts(bytes));
        }
    }

    @Test
    void quoteOrBackslashFindsTheFirstOfEither() {
        Random random = new Random(SEED);
        byte[] alphabet = "ab\"\\\u0000\u0001 ".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] =
                        random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int expected = from;
            while (expected < bytes.length && bytes[expected] != '"' && bytes[expected] != '\\') {
                expected++;
            }
            assertThat(JsonBytes.quoteOrBackslash(bytes, from, bytes.length))
                    .as("seed " + SEED + ", from " + from + " in "
                            + HexFormat.of().formatHex(bytes))
                    .isEqualTo(expected);
        }
    }

    @Test
    void whiteSpaceIsJsonsOnly() {
        byte[] bytes = " \t\r\n\u000b{".getBytes(StandardCharsets.US_ASCII);
        assertThat(JsonBytes.skipWhiteSpace(bytes, 0, bytes.length)).isEqualTo(4);
        assertThat(JsonBytes.skipWhiteSpace(bytes, 0, 3)).isEqualTo(3);
    }

    private static boolean javaAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
