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
     * @throws IllegalArgumentException naming the byte offset of the first ill-formed sequence
     */
    public static String strict(ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        int start = in.position();
        CharBuffer out = CharBuffer.allocate(in.remaining()); // UTF-8 never decodes to more chars than bytes
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException("value is not valid UTF-8: ill-formed byte sequence at byte "
                    + (in.position() - start) + " of " + value.remaining());
        }
        return out.flip().toString();
    }
}
