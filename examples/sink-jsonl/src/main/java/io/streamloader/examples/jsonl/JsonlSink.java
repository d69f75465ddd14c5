package io.streamloader.examples.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.streamloader.sink.support.Directories;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.WriteResult;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends each event as {@code {"id","topic","partition","offset","timestamp","value"}} to {@code
 * <dir>/<topic>/<partition>.jsonl}. One file per partition means one writer per file: Kafka gives a partition to one
 * worker at a time. Appends are not idempotent: events redelivered after a crash appear twice, so readers keep the
 * last line per {@code id}.
 *
 * <p>Confined to one worker thread, as the SPI promises. A batch opens each file it appends to once and closes it
 * before returning, so nothing stays open for partitions this worker no longer owns.
 */
record JsonlSink(String name, JsonlConfig config) implements Sink {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public WriteResult write(List<Event> batch) {
        Map<Path, ByteArrayOutputStream> lines = new LinkedHashMap<>();
        List<EventFailure> failures = new ArrayList<>();
        for (Event event : batch) {
            // a bad value fails the same way on every attempt: dead-letter the event, keep the others
            if (!event.isJson()) {
                failures.add(EventFailure.permanent(event, "content type " + event.contentType() + " is not JSON", ""));
                continue;
            }
            try {
                byte[] line = line(event);
                Path file = config.dir().resolve(event.topic()).resolve(event.partition() + ".jsonl");
                lines.computeIfAbsent(file, f -> new ByteArrayOutputStream()).writeBytes(line);
            } catch (JsonProcessingException e) {
                failures.add(EventFailure.permanent(event, "value is not JSON: " + e.getOriginalMessage(), "json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not thrown by an in-memory stream
            }
        }
        try {
            for (Map.Entry<Path, ByteArrayOutputStream> entry : lines.entrySet()) {
                append(entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            // disk full, volume gone: the host retries the whole batch (lines already appended will repeat)
            throw new RetriableSinkException("sink " + name + ": appending to " + config.dir() + " failed: " + e, e);
        }
        return WriteResult.failed(failures);
    }

    /** The event as one line: its metadata and its JSON value, re-written compactly (no newline inside). */
    static byte[] line(Event event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.valueSize() + 160);
        try (JsonGenerator g = JSON.createGenerator(out);
                JsonParser p = JSON.createParser(event.value())) {
            g.writeStartObject();
            g.writeStringField("id", event.id());
            g.writeStringField("topic", event.topic());
            g.writeNumberField("partition", event.partition());
            g.writeNumberField("offset", event.offset());
            g.writeStringField("timestamp", event.timestamp().toString());
            g.writeFieldName("value");
            if (p.nextToken() == null) {
                g.writeNull(); // a tombstone
            } else {
                g.copyCurrentStructure(p); // validates while copying
                if (p.nextToken() != null) {
                    throw new JsonParseException(p, "more than one JSON value");
                }
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    private void append(Path file, ByteArrayOutputStream lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            lines.writeTo(out);
            if (config.fsync()) {
                out.getFD().sync();
            }
        }
    }

    /** Fails if the directory is gone or read-only; called from a health thread. */
    @Override
    public void checkHealth() throws IOException {
        Directories.checkWritable(config.dir());
    }

    /** Nothing to release: no file stays open between batches. */
    @Override
    public void close() {}
}
