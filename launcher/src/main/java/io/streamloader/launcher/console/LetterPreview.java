package io.streamloader.launcher.console;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A safe, bounded look at bytes from a topic: a dead letter's value, key or header. Text is decoded as UTF-8 and
 * shown with every invisible or misleading character escaped (NUL and other controls as a backslash-u escape, bidi overrides, line
 * separators) and every invalid byte as {@code \xNN}; only the first {@code maxBytes} are looked at. Bytes that are
 * not mostly text are described by size and type only. The preview is data: whoever shows it must still escape it
 * for its medium (the console uses {@code textContent}, the JSON writer escapes {@code <>&'}).
 *
 * @param kind {@code null} (a tombstone), {@code text} or {@code binary}
 * @param size the full length in bytes
 * @param type for binary: a type recognised from the first bytes, else {@code application/octet-stream}
 * @param text for text: the escaped preview, else empty
 * @param truncated whether the value is longer than what the preview shows
 */
public record LetterPreview(String kind, int size, String type, String text, boolean truncated) {

    /** Bytes of a value looked at by default. */
    public static final int VALUE_BYTES = 2048;
    /** Bytes of a header value or key looked at. */
    public static final int HEADER_BYTES = 256;

    /** More escaped (unprintable or invalid) code points than this share of the looked-at ones: binary. */
    private static final double BINARY_SHARE = 0.3;

    public static LetterPreview of(byte[] bytes) {
        return of(bytes, VALUE_BYTES);
    }

    /** Looks at the first {@code maxBytes} of {@code bytes} (null: a tombstone). */
    public static LetterPreview of(byte[] bytes, int maxBytes) {
        if (bytes == null) {
            return new LetterPreview("null", 0, "", "", false);
        }
        int looked = Math.min(bytes.length, maxBytes);
        boolean truncated = looked < bytes.length;
        String binaryType = binaryType(bytes);
        if (binaryType != null) {
            return binary(bytes.length, binaryType);
        }
        StringBuilder out = new StringBuilder(looked + 16);
        int[] escapedAndTotal = new int[2];
        decode(ByteBuffer.wrap(bytes, 0, looked), truncated, out, escapedAndTotal);
        if (escapedAndTotal[0] > BINARY_SHARE * Math.max(1, escapedAndTotal[1])) {
            return binary(bytes.length, "application/octet-stream");
        }
        return new LetterPreview("text", bytes.length, "", out.toString(), truncated);
    }

    private static LetterPreview binary(int size, String type) {
        return new LetterPreview("binary", size, type, "", false);
    }

    /**
     * Decodes strictly; each malformed or unmappable byte becomes {@code \xNN}. An incomplete sequence at the end of
     * a cut preview is dropped (it continues past the cut), one at the end of the whole value is invalid.
     */
    private static void decode(ByteBuffer in, boolean cut, StringBuilder out, int[] escapedAndTotal) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(Math.max(16, in.remaining()));
        while (true) {
            CoderResult result = decoder.decode(in, chars, !cut);
            chars.flip();
            appendEscaped(chars, out, escapedAndTotal);
            chars.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    out.append(String.format(Locale.ROOT, "\\x%02X", in.get() & 0xFF));
                    escapedAndTotal[0]++;
                    escapedAndTotal[1]++;
                }
            } else if (result.isUnderflow()) {
                return;
            }
        }
    }

    private static void appendEscaped(CharSequence chars, StringBuilder out, int[] escapedAndTotal) {
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            escapedAndTotal[1]++;
            if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (invisible(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                escapedAndTotal[0]++;
            } else {
                out.append(c);
            }
        }
    }

    /** Controls, and characters that reorder or hide text around them (a reason or value could spoof the page). */
    private static boolean invisible(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || (c >= 0x200B && c <= 0x200F)
                || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F)
                || c == 0xFEFF
                || (c >= 0xFFF9 && c <= 0xFFFB);
    }

    /** A recognised binary format by its magic bytes, or null. */
    private static String binaryType(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        } else if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        } else if (starts(b, 'G', 'I', 'F', '8')) {
            return "image/gif";
        } else if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        } else if (starts(b, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        } else if (starts(b, 'P', 'K', 3, 4)) {
            return "application/zip";
        } else if (starts(b, 0x1F, 0x8B)) {
            return "application/gzip";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
