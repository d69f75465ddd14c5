package io.streamloader.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LetterPreviewTest {

    @Test
    void markupStaysLiteralTextAndTheConsoleJsonCarriesNoAngleBracketOrAmpersand() {
        String hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>&amp;";
        LetterPreview preview = LetterPreview.of(utf8(hostile));

        assertThat(preview.kind()).isEqualTo("text");
        assertThat(preview.text()).isEqualTo(hostile);
        String json = new String(ConsoleJson.bytes(preview), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("<", ">", "&", "'").contains("\\u003Cscript\\u003E");
    }

    @Test
    void invalidUtf8BytesAreShownAsHexEscapesAndTheRestDecoded() {
        byte[] bytes = {'o', 'k', ' ', (byte) 0xC3, '(', ' ', (byte) 0xFF, 'e', 'n', 'd', ' ', 'o', 'f', ' ', 'i', 't'};

        LetterPreview preview = LetterPreview.of(bytes);

        assertThat(preview.kind()).isEqualTo("text");
        assertThat(preview.text()).isEqualTo("ok \\xC3( \\xFFend of it");
    }

    @Test
    void nulsControlsAndBidiOverridesAreEscapedButNewlinesAndTabsKept() {
        LetterPreview preview = LetterPreview.of(utf8("a\u0000b\u001bc\u202Ed\u2028e\nf\tg and some more text"));

        assertThat(preview.text()).isEqualTo("a\\u0000b\\u001Bc\\u202Ed\\u2028e\nf\tg and some more text");
        assertThat(preview.text()).doesNotContain("\u0000", "\u001b", "\u202E", "\u2028");
    }

    @Test
    void aHugeValueIsPreviewedByItsFirstBytesAndKeepsItsFullSize() {
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');

        LetterPreview preview = LetterPreview.of(huge);

        assertThat(preview.size()).isEqualTo(huge.length);
        assertThat(preview.truncated()).isTrue();
        assertThat(preview.text()).hasSize(LetterPreview.VALUE_BYTES);
    }

    @Test
    void aCharacterCutByThePreviewLimitIsDroppedNotShownAsInvalid() {
        byte[] bytes = utf8("a".repeat(LetterPreview.VALUE_BYTES - 1) + "é and more");

        LetterPreview preview = LetterPreview.of(bytes);

        assertThat(preview.truncated()).isTrue();
        assertThat(preview.text()).isEqualTo("a".repeat(LetterPreview.VALUE_BYTES - 1));
    }

    @Test
    void aSequenceCutAtTheVeryEndOfAWholeValueIsInvalid() {
        byte[] bytes = Arrays.copyOf(utf8("value é"), utf8("value é").length - 1);

        assertThat(LetterPreview.of(bytes).text()).isEqualTo("value \\xC3");
    }

    @Test
    void binaryIsDescribedBySizeAndTypeOnly() {
        byte[] random = new byte[5000];
        new Random(7).nextBytes(random);
        byte[] png = Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 300);

        LetterPreview noise = LetterPreview.of(random);
        LetterPreview image = LetterPreview.of(png);

        assertThat(noise.kind()).isEqualTo("binary");
        assertThat(noise.size()).isEqualTo(5000);
        assertThat(noise.type()).isEqualTo("application/octet-stream");
        assertThat(noise.text()).isEmpty();
        assertThat(image.kind()).isEqualTo("binary");
        assertThat(image.type()).isEqualTo("image/png");
        assertThat(image.text()).isEmpty();
    }

    @Test
    void mostlyNulsIsBinaryAndATombstoneIsNull() {
        assertThat(LetterPreview.of(new byte[64]).kind()).isEqualTo("binary");
        assertThat(LetterPreview.of(null).kind()).isEqualTo("null");
        assertThat(LetterPreview.of(new byte[0]).kind()).isEqualTo("text");
    }

    @Test
    void aCorpusOfHostileValuesNeverYieldsARawControlOrInvalidCharacter() {
        Random random = new Random(42);
        List<byte[]> corpus = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(3000)];
            random.nextBytes(b);
            // mostly ASCII with some hostile bytes mixed in, so many of them stay text
            for (int j = 0; j < b.length; j++) {
                if (random.nextInt(20) != 0) {
                    b[j] = (byte) (0x20 + random.nextInt(0x5F));
                }
            }
            corpus.add(b);
        }
        corpus.add(utf8("\uD83D\uDE00 emoji and \uFEFF bom"));
        corpus.add(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded surrogate: invalid UTF-8

        for (byte[] value : corpus) {
            LetterPreview preview = LetterPreview.of(value);
            assertThat(preview.size()).isEqualTo(value.length);
            assertThat(preview.text().length()).isLessThanOrEqualTo(LetterPreview.VALUE_BYTES * 4);
            for (char c : preview.text().toCharArray()) {
                assertThat(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F)))
                        .as("char %04x in %s", (int) c, preview.text())
                        .isTrue();
            }
            assertThat(preview.text()).doesNotContain("\uFFFD", "\uFEFF");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
