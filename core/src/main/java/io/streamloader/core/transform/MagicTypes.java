package io.streamloader.core.transform;

import java.util.Optional;

/** Media types recognised by their first bytes, for decoded blobs. */
final class MagicTypes {
    private MagicTypes() {}

    static Optional<String> of(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return Optional.of("image/png");
        }
        if (startsWith(b, 0xff, 0xd8, 0xff)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        if (b.length >= 12
                && startsWith(b, 'R', 'I', 'F', 'F')
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
