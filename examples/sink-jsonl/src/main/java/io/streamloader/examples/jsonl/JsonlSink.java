package io.streamloader.examples.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.WriteResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each event as {@code {"id","topic","partition","offset","timestamp","value"}} to {@code
 * <dir>/<topic>/<partition>.jsonl}. One file per partition means one writer per file: Kafka gives a partition to one
 * worker at a time. Appends are not idempotent: events redelivered after a crash appear twice, so readers keep the
 * last line per {@code id}.
 *
 * <p>Confined to one worker thread, as the SPI promises; holds the files it appended to open until {@link #close()}.
 */
final class JsonlSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(JsonlSink.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final String name;
    private final JsonlConfig config;
    private final Map<Path, FileChannel> open = new HashMap<>();

    JsonlSink(String name, JsonlConfig config) {
        this.name = name;
        this.config = config;
    }

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
                Path file = config.dir().resolve(event.topic()).resolve(event.partition() + ".jsonl");
                lines.computeIfAbsent(file, f -> new ByteArrayOutputStream()).writeBytes(line(event));
            } catch (JsonProcessingException e) {
                failures.add(EventFailure.permanent(event, "value is not JSON: " + e.getOriginalMessage(), "json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not thrown by an in-memory stream
            }
        }
        try {
            for (Map.Entry<Path, ByteArrayOutputStream> entry : lines.entrySet()) {
                FileChannel channel = channel(entry.getKey());
                ByteBuffer bytes = ByteBuffer.wrap(entry.getValue().toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (config.fsync()) {
                    channel.force(false);
                }
            }
        } catch (IOException | UncheckedIOException e) {
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

    private FileChannel channel(Path file) {
        return open.computeIfAbsent(file, f -> {
            try {
                Files.createDirectories(f.getParent());
                return FileChannel.open(
                        f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Fails if the directory is gone or read-only; called from a health thread, so it touches no open channel. */
    @Override
    public void checkHealth() throws IOException {
        if (!Files.isDirectory(config.dir()) || !Files.isWritable(config.dir())) {
            throw new IOException(config.dir().toAbsolutePath() + " is not a writable directory");
        }
    }

    @Override
    public void close() {
        for (Map.Entry<Path, FileChannel> entry : open.entrySet()) {
            try {
                entry.getValue().close();
            } catch (IOException e) {
                log.warn("sink {}: closing {} failed: {}", name, entry.getKey(), e.toString());
            }
        }
        open.clear();
    }
}
