package io.streamloader.sink.mongo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer for writing BSON, reused from one document to the next. Strings are encoded
 * exactly as the driver's {@code OutputBuffer} encodes them (code point by code point, so an unpaired surrogate
 * becomes three bytes rather than {@code ?}), which keeps its output byte-identical to {@code BsonBinaryWriter}'s.
 *
 * <p>Not thread-safe.
 */
final class BsonBuffer {
    /** A buffer grown past this by a large document is dropped at the next {@link #reset()}. */
    private static final int KEEP = 1 << 20;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[4096];
    private int size;

    void reset() {
        if (bytes.length > KEEP) {
            bytes = new byte[4096];
        }
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    /** Skips an int32 to be {@link #putIntAt patched} later; returns its position. */
    int reserveInt() {
        ensure(4);
        size += 4;
        return size - 4;
    }

    void putIntAt(int position, int value) {
        INT.set(bytes, position, value);
    }

    void put(byte value) {
        ensure(1);
        bytes[size++] = value;
    }

    void putInt(int value) {
        ensure(4);
        INT.set(bytes, size, value);
        size += 4;
    }

    void putLong(long value) {
        ensure(8);
        LONG.set(bytes, size, value);
        size += 8;
    }

    void put(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** A BSON cstring; false, with nothing written, if {@code name} holds a NUL, which a cstring cannot. */
    boolean putCString(String name) {
        if (name.indexOf(0) >= 0) {
            return false;
        }
        int length = name.length();
        ensure(3 * length + 1);
        int p = size;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                p = encode(name.toCharArray(), i, length, bytes, p);
                break;
            }
            bytes[p++] = (byte) c;
        }
        bytes[p++] = 0;
        size = p;
        return true;
    }

    /** A BSON string: int32 length (with the trailing NUL), UTF-8 bytes, NUL. */
    void putString(char[] chars, int offset, int length) {
        ensure(4 + 3 * length + 1);
        int start = size;
        int p = start + 4;
        int end = offset + length;
        int i = offset;
        while (i < end && chars[i] < 0x80) {
            bytes[p++] = (byte) chars[i++];
        }
        if (i < end) {
            p = encode(chars, i, end, bytes, p);
        }
        bytes[p++] = 0;
        INT.set(bytes, start, p - start - 4);
        size = p;
    }

    /** A BSON string of {@code length} UTF-8 bytes. */
    void putString(byte[] utf8, int offset, int length) {
        ensure(4 + length + 1);
        INT.set(bytes, size, length + 1);
        System.arraycopy(utf8, offset, bytes, size + 4, length);
        bytes[size + 4 + length] = 0;
        size += 4 + length + 1;
    }

    void putString(String s) {
        int length = s.length();
        ensure(4 + 3 * length + 1);
        int start = size;
        int p = start + 4;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                putString(s.toCharArray(), 0, length);
                return;
            }
            bytes[p++] = (byte) c;
        }
        bytes[p++] = 0;
        INT.set(bytes, start, length + 1);
        size = p;
    }

    /** UTF-8 of {@code chars[from, end)} as the driver writes it: pairs as one code point, lone surrogates as is. */
    private static int encode(char[] chars, int from, int end, byte[] out, int p) {
        for (int i = from; i < end; ) {
            int c = Character.codePointAt(chars, i, end);
            i += Character.charCount(c);
            if (c < 0x80) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xc0 | c >> 6);
                out[p++] = (byte) (0x80 | c & 0x3f);
            } else if (c < 0x10000) {
                out[p++] = (byte) (0xe0 | c >> 12);
                out[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[p++] = (byte) (0x80 | c & 0x3f);
            } else {
                out[p++] = (byte) (0xf0 | c >> 18);
                out[p++] = (byte) (0x80 | c >> 12 & 0x3f);
                out[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[p++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return p;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
        }
    }
}
