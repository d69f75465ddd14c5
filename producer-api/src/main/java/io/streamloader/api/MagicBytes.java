package io.streamloader.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks that a blob's first bytes are the magic number of its declared media type, so an SVG or HTML page cannot be
 * stored as {@code image/png}. Types without a known signature (e.g. {@code application/octet-stream}) are not
 * checked here; they pass only when a topic's allow-list names them.
 */
final class MagicBytes {

    private static final Map<String, Predicate<byte[]>> SIGNATURES = Map.ofEntries(
            Map.entry("image/png", b -> starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)),
            Map.entry("image/jpeg", b -> starts(b, 0, 0xFF, 0xD8, 0xFF)),
            Map.entry("image/gif", b -> ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")),
            Map.entry("image/webp", b -> ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")),
            Map.entry("image/bmp", b -> ascii(b, 0, "BM") && b.length >= 26),
            Map.entry("image/tiff", b -> starts(b, 0, 'I', 'I', 42, 0) || starts(b, 0, 'M', 'M', 0, 42)),
            Map.entry("image/avif", b -> ascii(b, 4, "ftyp") && (ascii(b, 8, "avif") || ascii(b, 8, "avis"))),
            Map.entry("application/pdf", b -> ascii(b, 0, "%PDF-")),
            Map.entry("application/zip", b -> starts(b, 0, 'P', 'K', 3, 4) || starts(b, 0, 'P', 'K', 5, 6)),
            Map.entry("application/gzip", b -> starts(b, 0, 0x1F, 0x8B)));

    /** Markup that makes a file a polyglot a browser could render as a page, looked for near the start. */
    private static final String[] MARKUP = {"<script", "<html", "<svg", "<!doctype", "<?xml", "<body", "<iframe"};

    private static final int SCANNED = 1024;

    private MagicBytes() {}

    /** Whether {@code type} has a signature this class checks. */
    static boolean known(String type) {
        return SIGNATURES.containsKey(type);
    }

    /** Why {@code body} is not a {@code type}, or empty when it is (or the type has no known signature). */
    static Optional<String> mismatch(String type, byte[] body) {
        Predicate<byte[]> signature = SIGNATURES.get(type);
        if (signature != null && !signature.test(body)) {
            return Optional.of("the body does not start with the signature of " + type);
        }
        String head = new String(body, 0, Math.min(body.length, SCANNED), StandardCharsets.ISO_8859_1)
                .toLowerCase(java.util.Locale.ROOT);
        for (String tag : MARKUP) {
            if (head.contains(tag)) {
                return Optional.of("the body holds markup ('" + tag + "') in its first " + SCANNED + " bytes");
            }
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] body, int offset, int... expected) {
        if (body.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((body[offset + i] & 0xFF) != (expected[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] body, int offset, String expected) {
        byte[] e = expected.getBytes(StandardCharsets.US_ASCII);
        if (body.length < offset + e.length) {
            return false;
        }
        for (int i = 0; i < e.length; i++) {
            if (body[offset + i] != e[i]) {
                return false;
            }
        }
        return true;
    }
}
