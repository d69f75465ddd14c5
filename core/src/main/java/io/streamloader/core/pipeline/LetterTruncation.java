package io.streamloader.core.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Makes a dead-letter record fit a size limit, so a letter is never refused for its size. What is kept, in order of
 * importance: the {@code sl.error.*}, {@code sl.source.*} and {@code __connect.errors.*} headers (which event, which
 * sink, why), the marker {@code sl.error.truncated: true} with the original sizes, the original headers, the key, and
 * as much of the value as then fits. The original can always be read again from the source topic at the offset the
 * letter names, while the topic retains it.
 */
final class LetterTruncation {
    static final String TRUNCATED = "sl.error.truncated";
    static final String ORIGINAL_VALUE_SIZE = "sl.error.original.value.size";
    static final String ORIGINAL_KEY_SIZE = "sl.error.original.key.size";
    static final String ORIGINAL_HEADERS_DROPPED = "sl.error.original.headers.dropped";

    /** A record batch's header (v2) plus the most its one record's length fields and attributes can take. */
    private static final int RECORD_OVERHEAD = 61 + 5 + 1 + 10 + 5 + 5 + 5 + 5;
    /** Key and value length varints of one header, at most. */
    private static final int HEADER_OVERHEAD = 10;

    private LetterTruncation() {}

    /**
     * An upper bound of the bytes {@code record} takes in a batch of its own, as Kafka's size checks count them
     * (uncompressed).
     */
    static int estimatedSize(ProducerRecord<byte[], byte[]> record) {
        long size = RECORD_OVERHEAD + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** {@code record} itself when it fits {@code maxBytes}, else a truncated copy, marked, that fits if anything can. */
    static ProducerRecord<byte[], byte[]> fit(ProducerRecord<byte[], byte[]> record, int maxBytes) {
        if (estimatedSize(record) <= maxBytes) {
            return record;
        }
        Headers headers = new RecordHeaders(record.headers().toArray());
        putIfAbsent(headers, ORIGINAL_VALUE_SIZE, Integer.toString(length(record.value())));
        putIfAbsent(headers, ORIGINAL_KEY_SIZE, Integer.toString(length(record.key())));
        headers.remove(TRUNCATED);
        headers.add(TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
        byte[] key = record.key();
        byte[] empty = record.value() == null ? null : new byte[0];
        if (estimatedSize(copy(record, key, empty, headers)) > maxBytes) {
            key = null;
        }
        if (estimatedSize(copy(record, key, empty, headers)) > maxBytes) {
            headers = ownHeaders(headers);
        }
        int room = maxBytes - estimatedSize(copy(record, key, empty, headers));
        byte[] value = record.value() == null
                ? null
                : Arrays.copyOf(record.value(), Math.max(0, Math.min(room, record.value().length)));
        return copy(record, key, value, headers);
    }

    /** Only the letter's own headers, and a note of how many original ones were dropped. */
    private static Headers ownHeaders(Headers headers) {
        Headers own = new RecordHeaders();
        int dropped = 0;
        for (Header header : headers) {
            if (DeadLetterPublisher.isOurs(header.key())) {
                own.add(header);
            } else {
                dropped++;
            }
        }
        own.remove(ORIGINAL_HEADERS_DROPPED);
        own.add(ORIGINAL_HEADERS_DROPPED, Integer.toString(dropped).getBytes(StandardCharsets.UTF_8));
        return own;
    }

    private static ProducerRecord<byte[], byte[]> copy(
            ProducerRecord<byte[], byte[]> record, byte[] key, byte[] value, Headers headers) {
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value, headers);
    }

    private static void putIfAbsent(Headers headers, String key, String value) {
        if (headers.lastHeader(key) == null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
