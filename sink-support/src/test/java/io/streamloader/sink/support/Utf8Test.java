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
