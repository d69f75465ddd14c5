package io.streamloader.api;

import java.util.List;
import java.util.Locale;

/**
 * Blob media types: the default allow-list, normalisation ({@code Image/PNG; x} → {@code image/png}) and matching
 * against a topic's list. Scriptable types ({@code image/svg+xml}, HTML, XML) match only when listed by their exact
 * name, never through a {@code type/*} wildcard, so a wildcard cannot let active content in.
 */
final class ContentTypes {

    /** Common raster images: each has a magic number {@link MagicBytes} checks. */
    static final List<String> DEFAULT_BLOB_TYPES =
            List.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/avif");

    private ContentTypes() {}

    /** The media type without parameters, trimmed and lower-cased. */
    static String normalise(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    /** Whether the normalised {@code type} is on {@code allowed} (exact names and {@code type/*} wildcards). */
    static boolean allowed(String type, List<String> allowed) {
        for (String entry : allowed) {
            if (entry.equals(type)) {
                return true;
            }
            if (entry.endsWith("/*") && type.startsWith(entry.substring(0, entry.length() - 1)) && !scriptable(type)) {
                return true;
            }
        }
        return false;
    }

    /** Types a browser may execute or render as a document. */
    static boolean scriptable(String type) {
        return type.contains("svg")
                || type.contains("html")
                || type.contains("xml")
                || type.contains("javascript")
                || type.contains("ecmascript");
    }
}
