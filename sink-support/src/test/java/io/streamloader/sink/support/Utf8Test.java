package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void wellFormedTextDecodesAsJavaDecodesIt() {
        for (String text : new String[] {"", "{\"a\":1}", "é日本\uD83D\uDE00", "nul\u0000", "x".repeat(10_000)}) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            assertThat(Utf8.strict(bytes)).isEqualTo(text);
            assertThat(bytes.position()).isZero(); // the caller's buffer is not consumed
        }
    }

    @Test
    void readOnlyAndDirectBuffersDecodeAlike() {
        String text = "{\"a\":\"é日本\uD83D\uDE00 \uFFFD sent as such\"}";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
        for (ByteBuffer buffer : new ByteBuffer[] {direct, readOnly, ByteBuffer.wrap(utf8)}) {
            assertThat(Utf8.strict(buffer)).isEqualTo(text);
            assertThat(buffer.position()).isZero();
        }
        ByteBuffer bad =
                ByteBuffer.wrap(HexFormat.of().parseHex("7b2261223a22c328227d")).asReadOnlyBuffer();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Utf8.strict(bad))
                .withMessageContaining("at byte 6 of 10");
    }

    @Test
    void agreesWithTheStrictDecoderOnEveryShortSequence() {
        // every 1- and 2-byte sequence and a wide sample of 3- and 4-byte ones, between ASCII, as whole values
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        java.util.List<byte[]> corpus = new java.util.ArrayList<>();
        for (int a = 0; a < 256; a++) {
            corpus.add(new byte[] {'x', (byte) a, 'y'});
            for (int b = 0; b < 256; b++) {
                corpus.add(new byte[] {(byte) a, (byte) b});
            }
        }
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[3 + random.nextInt(2)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextBoolean() ? 0xE0 + random.nextInt(32) : 0x80 + random.nextInt(64));
            }
            corpus.add(bytes);
        }
        java.nio.charset.CharsetDecoder strict = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.util.List<String> disagreements = new java.util.ArrayList<>();
        for (byte[] bytes : corpus) {
            String expected;
            try {
                expected = strict.decode(ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                expected = null;
            }
            String actual;
            try {
                actual = Utf8.strict(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
            } catch (IllegalArgumentException e) {
                actual = null;
            }
            if (!java.util.Objects.equals(expected, actual)) {
                disagreements.add(HexFormat.of().formatHex(bytes));
            }
        }
        assertThat(corpus).hasSizeGreaterThan(250_000);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void illFormedSequencesAreRefusedWithTheirOffset() {
        // a bad continuation, a lone continuation, an overlong '/', an encoded surrogate, past U+10FFFF, a cut-off tail
        String[][] cases = {
            {"7b2261223a22c328227d", "6"},
            {"80", "0"},
            {"2fc0af", "1"},
            {"41eda080", "1"},
            {"f4908080", "0"},
            {"41e282", "1"}
        };
        for (String[] c : cases) {
            ByteBuffer bytes = ByteBuffer.wrap(HexFormat.of().parseHex(c[0]));
            assertThatIllegalArgumentException()
                    .as(c[0])
                    .isThrownBy(() -> Utf8.strict(bytes))
                    .withMessageStartingWith("value is not valid UTF-8")
                    .withMessageContaining("at byte " + c[1] + " of " + bytes.remaining());
        }
    }

    @Test
    void aSliceIsDecodedFromItsPosition() {
        ByteBuffer slice = ByteBuffer.wrap("xx{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))
                .position(2);
        assertThat(Utf8.strict(slice)).isEqualTo("{\"a\":\"é\"}");
    }
}
