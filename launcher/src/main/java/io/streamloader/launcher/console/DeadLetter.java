package io.streamloader.launcher.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of a dead-letter topic as the console shows it: where it sits, why it is there (the {@code sl.error.*}
 * headers the pipeline wrote), where it came from ({@code sl.source.*}) and safe previews of its key, value and
 * headers. Holds no raw bytes: a listing of many letters stays small.
 *
 * @param topic the dead-letter topic
 * @param partition its partition
 * @param offset its offset
 * @param timestamp the record's timestamp (ms)
 * @param reason {@code sl.error.reason}, or empty
 * @param sourceTopic {@code sl.source.topic}, or empty
 * @param sourcePartition {@code sl.source.partition}, or -1
 * @param sourceOffset {@code sl.source.offset}, or -1
 * @param key preview of the key
 * @param value preview of the value
 * @param headers preview of every header, by name (the last value of a repeated name)
 */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String reason,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        LetterPreview key,
        LetterPreview value,
        Map<String, LetterPreview> headers) {

    public static final String REASON = "sl.error.reason";
    public static final String SOURCE_TOPIC = "sl.source.topic";
    public static final String SOURCE_PARTITION = "sl.source.partition";
    public static final String SOURCE_OFFSET = "sl.source.offset";
    public static final String TRUNCATED = "sl.error.truncated";
    /** Reasons are grouped by their text up to the first colon, at most this long. */
    private static final int GROUP_CHARS = 120;

    public DeadLetter {
        headers = Map.copyOf(headers);
    }

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, LetterPreview> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(
                    LetterPreview.of(h.key().getBytes(StandardCharsets.UTF_8), LetterPreview.HEADER_BYTES)
                            .text(),
                    LetterPreview.of(h.value(), LetterPreview.HEADER_BYTES));
        }
        return new DeadLetter(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                header(record, REASON).orElse(""),
                header(record, SOURCE_TOPIC).orElse(""),
                (int) Math.clamp(number(header(record, SOURCE_PARTITION)), -1, Integer.MAX_VALUE),
                number(header(record, SOURCE_OFFSET)),
                LetterPreview.of(record.key(), LetterPreview.HEADER_BYTES),
                LetterPreview.of(record.value()),
                headers);
    }

    /** The reason's group: the text before the first colon (a reason's detail usually follows one), bounded. */
    public String reasonGroup() {
        return group(reason);
    }

    static String group(String reason) {
        int colon = reason.indexOf(':');
        String head = (colon < 0 ? reason : reason.substring(0, colon)).strip();
        return head.length() <= GROUP_CHARS ? head : head.substring(0, GROUP_CHARS);
    }

    /** The last value of header {@code name} as text, the way the pipeline wrote it (UTF-8), bounded. */
    static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        LetterPreview text = LetterPreview.of(h.value(), 16 * 1024);
        return Optional.of(text.kind().equals("text") ? text.text() : "(" + text.size() + " bytes of binary)");
    }

    private static long number(Optional<String> text) {
        try {
            return text.map(String::strip).map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
