package io.streamloader.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary forms of the rollup's internal values (repartition topic, state stores and their changelogs). A
 * leading version byte leaves room for a later layout; strings are length-prefixed UTF-8.
 */
final class Codecs {

    private static final byte VERSION = 1;

    /** A click on the repartition topic. */
    static final Serde<Click> CLICK = serde(Codecs::writeClick, Codecs::readClick);

    /** A deduplicated click and whether its user is new for the pair. */
    static final Serde<NewClick> NEW_CLICK = serde(
            c -> {
                byte[] click = writeClick(c.click());
                byte[] out = new byte[click.length + 1];
                System.arraycopy(click, 0, out, 0, click.length);
                out[click.length] = (byte) (c.newUser() ? 1 : 0);
                return out;
            },
            b -> new NewClick(readClick(b), b.get() == 1));

    /** A pair's running totals in the rollup store. */
    static final Serde<Rollup> ROLLUP = serde(
            r -> {
                byte[] url = r.url().getBytes(StandardCharsets.UTF_8);
                byte[] country = r.country().getBytes(StandardCharsets.UTF_8);
                return ByteBuffer.allocate(1 + 8 + url.length + country.length + 4 * 8)
                        .put(VERSION)
                        .putInt(url.length)
                        .put(url)
                        .putInt(country.length)
                        .put(country)
                        .putLong(r.clicks())
                        .putLong(r.uniqueUsers())
                        .putLong(r.firstClickMillis())
                        .putLong(r.lastClickMillis())
                        .array();
            },
            b -> new Rollup(string(b), string(b), b.getLong(), b.getLong(), b.getLong(), b.getLong()));

    /** A deduplicated click on its way to the aggregation. */
    record NewClick(Click click, boolean newUser) {}

    private Codecs() {}

    private static byte[] writeClick(Click c) {
        byte[][] strings = {
            c.eventId().getBytes(StandardCharsets.UTF_8),
            c.userId().getBytes(StandardCharsets.UTF_8),
            c.url().getBytes(StandardCharsets.UTF_8),
            c.country().getBytes(StandardCharsets.UTF_8)
        };
        int size = 1 + 8;
        for (byte[] s : strings) {
            size += 4 + s.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION);
        for (byte[] s : strings) {
            out.putInt(s.length).put(s);
        }
        return out.putLong(c.timestampMillis()).array();
    }

    private static Click readClick(ByteBuffer b) {
        return new Click(string(b), string(b), string(b), string(b), b.getLong());
    }

    private static String string(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new SerializationException("corrupt string length " + length);
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }

    private static <T> Serde<T> serde(Function<T, byte[]> write, Function<ByteBuffer, T> read) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write.apply(value), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            try {
                if (b.get() != VERSION) {
                    throw new SerializationException("unknown layout version " + bytes[0]);
                }
                return read.apply(b);
            } catch (RuntimeException e) {
                throw e instanceof SerializationException s ? s : new SerializationException(e);
            }
        });
    }
}
