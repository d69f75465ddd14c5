package io.streamloader.rollup;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses each click event. A rejected one keeps its key, value and headers and gains the pipeline's dead-letter
 * headers ({@code sl.error.*}, {@code sl.source.*}), so the rollup's dead letters read like a sink's.
 */
final class ParseProcessor implements FixedKeyProcessor<byte[], byte[], ParsedClick> {

    static final String ERROR_SINK = "sl.error.sink";
    static final String ERROR_REASON = "sl.error.reason";
    static final String ERROR_CLASS = "sl.error.class";
    static final String ERROR_TIME = "sl.error.time";
    static final String SOURCE_TOPIC = "sl.source.topic";
    static final String SOURCE_PARTITION = "sl.source.partition";
    static final String SOURCE_OFFSET = "sl.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);

    private final String processorName;
    private final RollupMetrics metrics;
    private FixedKeyProcessorContext<byte[], ParsedClick> context;

    ParseProcessor(String processorName, RollupMetrics metrics) {
        this.processorName = processorName;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], ParsedClick> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        metrics.in();
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic = source == null ? "unknown" : source.topic();
        int partition = source == null ? -1 : source.partition();
        long offset = source == null ? -1 : source.offset();
        String eventId = header(record.headers(), Event.ID_HEADER);
        if (eventId == null || eventId.isEmpty()) {
            eventId = topic + "-" + partition + "-" + offset;
        }
        ParsedClick parsed = ClickParser.parse(record.value(), eventId);
        if (parsed instanceof ParsedClick.Rejected rejected) {
            LOG.warn(
                    "processor {}: {}-{}@{} (id {}) sent to the dead-letter topic: {}",
                    processorName,
                    topic,
                    partition,
                    offset,
                    eventId,
                    rejected.reason());
            Headers headers = record.headers();
            add(headers, ERROR_SINK, processorName);
            add(headers, ERROR_REASON, rejected.reason());
            add(headers, ERROR_CLASS, rejected.errorClass());
            add(headers, ERROR_TIME, Instant.now().toString());
            add(headers, SOURCE_TOPIC, topic);
            add(headers, SOURCE_PARTITION, Integer.toString(partition));
            add(headers, SOURCE_OFFSET, Long.toString(offset));
            metrics.deadLettered(rejected.errorClass());
        }
        context.forward(record.withValue(parsed));
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    static String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
