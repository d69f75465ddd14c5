package io.streamloader.sink.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Strict UTF-8 decoding of event values. {@code Event.valueAsString()} replaces ill-formed bytes with U+FFFD, which
 * silently changes what a client sent; a sink that expects JSON (RFC 8259 §8.1: UTF-8 only) refuses such a value
 * instead, so it is dead-lettered with a reason that says where the bad bytes are.
 */
public final class Utf8 {

    private Utf8() {}

    /**
     * The value decoded as UTF-8.
     *
     * <p>Fast path: the JDK's {@code String} decoder (intrinsified, ASCII copied as it is) on the value's bytes, which
     * replaces every ill-formed sequence with U+FFFD; a result without U+FFFD therefore came from well-formed bytes.
     * Only a value that decodes to U+FFFD (sent as such, or ill-formed) is decoded again strictly to tell the two apart.
     * The bytes are taken from the buffer's array, or copied out once: a read-only or direct buffer (what {@code
     * Event.value()} returns) would make {@link CharsetDecoder} take its per-byte loop, measured at 30 % of the
     * PostgreSQL sink's pipeline CPU.
     *
     * @throws IllegalArgumentException naming the byte offset of the first ill-formed sequence
     */
    public static String strict(ByteBuffer value) {
        int length = value.remaining();
        byte[] bytes;
        int offset;
        if (value.hasArray()) {
            bytes = value.array();
            offset = value.arrayOffset() + value.position();
        } else {
            bytes = new byte[length];
            value.duplicate().get(bytes);
            offset = 0;
        }
        String decoded = new String(bytes, offset, length, UTF_8);
        if (decoded.indexOf(REPLACEMENT) < 0) {
            return decoded;
        }
        return strictly(ByteBuffer.wrap(bytes, offset, length));
    }

    private static final char REPLACEMENT = '\uFFFD';

    private static String strictly(ByteBuffer in) {
        int start = in.position();
        int length = in.remaining();
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never decodes to more chars than bytes
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException("value is not valid UTF-8: ill-formed byte sequence at byte "
                    + (in.position() - start) + " of " + length);
        }
        return out.flip().toString();
    }
}
