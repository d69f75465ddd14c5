package io.streamloader.launcher.console;

import java.util.Optional;

/**
 * The image formats the console shows as thumbnails, recognised by their signature only (never by a header or a
 * name): PNG, JPEG, GIF and WebP. Whatever else a topic holds is described by size and type, never served as an image.
 */
public final class ImageType {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ImageType() {}

    /** The media type of {@code bytes} by its signature, if it is one of the four formats. */
    public static Optional<String> of(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        if (starts(bytes, PNG)) {
            return Optional.of("image/png");
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (starts(bytes, "GIF87a".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                || starts(bytes, "GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return Optional.of("image/gif");
        }
        if (bytes.length >= 12
                && starts(bytes, "RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                && bytes[8] == 'W'
                && bytes[9] == 'E'
                && bytes[10] == 'B'
                && bytes[11] == 'P') {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] bytes, byte[] signature) {
        if (bytes.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (bytes[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
