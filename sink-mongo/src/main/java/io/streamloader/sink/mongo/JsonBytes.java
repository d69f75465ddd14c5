package io.streamloader.sink.mongo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Scans over raw JSON bytes for {@link JsonToBson}, eight bytes at a time where it pays. */
final class JsonBytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;

    private JsonBytes() {}

    /**
     * Strict UTF-8 (Unicode table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF). Jackson decodes some
     * ill-formed sequences (overlong ones, for instance) to characters where Java's decoder, and so the JsonReader
     * path, puts U+FFFD; only well-formed input may take the Jackson path for both to agree.
     */
    static boolean isWellFormedUtf8(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 8 <= to && ((long) LONG.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8; // eight ASCII bytes at once
                continue;
            }
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int continuations;
            int low = 0x80;
            int high = 0xbf; // the range of the second byte
            if (b >= 0xc2 && b <= 0xdf) {
                continuations = 1;
            } else if (b >= 0xe0 && b <= 0xef) {
                continuations = 2;
                low = b == 0xe0 ? 0xa0 : low;
                high = b == 0xed ? 0x9f : high;
            } else if (b >= 0xf0 && b <= 0xf4) {
                continuations = 3;
                low = b == 0xf0 ? 0x90 : low;
                high = b == 0xf4 ? 0x8f : high;
            } else {
                return false;
            }
            if (i + continuations >= to) {
                return false;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= continuations; k++) {
                if ((bytes[i + k] & 0xc0) != 0x80) {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }

    /** The index of the first {@code "} or {@code \} from {@code from}, or {@code to}. */
    static int quoteOrBackslash(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONG.get(bytes, i);
            long found = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3); // the lowest flag is exact
            }
        }
        while (i < to && bytes[i] != '"' && bytes[i] != '\\') {
            i++;
        }
        return i;
    }

    /** High bit set in the bytes of {@code word} that are 0 (and, above the first such byte, maybe in others). */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    /** The first index from {@code from} that is not JSON white space (space, tab, CR, LF), or {@code to}. */
    static int skipWhiteSpace(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }
}
