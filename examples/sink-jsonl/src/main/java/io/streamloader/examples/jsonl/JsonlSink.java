package io.streamloader.examples.jsonl;

import static io.streamloader.spi.EventFailure.permanent;

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
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends each event as {@code {"id","topic","partition","offset","timestamp","value"}} to {@code
 * <dir>/<topic>/<partition>.jsonl}. One file per partition means one writer per file: Kafka gives a partition to one
 * worker at a time. Appends are not idempotent: events redelivered after a crash appear twice, so readers keep the
 * last line per {@code id}.
 *
 * <p>The sink (one per runner) holds only its settings. Each worker's {@link Writer} keeps the files of its partitions
 * open between batches and closes a partition's file when Kafka takes the partition away ({@link
 * Writer#partitionsRevoked}), so no file is held by a worker that no longer owns it.
 */
record JsonlSink(String name, JsonlSinkConfig config) implements Sink {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public SinkWriter newWriter() {
        return new Writer(this, new HashMap<>());
    }

    /** Fails if the directory is gone or read-only; called from a health thread. */
    @Override
    public void checkHealth() throws IOException {
        Directories.checkWritable(config.dir());
    }

    /** One worker's writer, used on its thread only, with the open file of each partition it appended to. */
    record Writer(JsonlSink sink, Map<SourcePartition, FileOutputStream> files) implements SinkWriter {

        @Override
        public WriteResult write(List<Event> batch) {
            List<EventFailure> failures = new ArrayList<>();
            try {
                for (Event event : batch) {
                    try {
                        byte[] line = line(event); // first: a bad value opens no file
                        SourcePartition partition = new SourcePartition(event.topic(), event.partition());
                        if (!files.containsKey(partition)) { // the first batch of a partition since it was assigned
                            Path dir = Files.createDirectories(sink.config.dir().resolve(event.topic()));
                            files.put(partition, new FileOutputStream(dir + "/" + event.partition() + ".jsonl", true));
                        }
                        files.get(partition).write(line);
                    } catch (JsonProcessingException e) { // fails the same way every time: dead-letter, keep the rest
                        failures.add(permanent(event, "value is not JSON: " + e.getOriginalMessage(), "json"));
                    }
                }
                // every open file: one without new lines costs next to nothing
                for (FileOutputStream out : sink.config.fsync() ? files.values() : List.<FileOutputStream>of()) {
                    out.getFD().sync();
                }
            } catch (IOException e) { // disk full, volume gone: the host retries the batch (appended lines repeat)
                throw new RetriableSinkException("sink " + sink.name + ": appending to " + e.getMessage(), e);
            }
            return WriteResult.failed(failures);
        }

        /** Kafka took these partitions from this worker (the host calls this before close, too): close their files. */
        @Override
        public void partitionsRevoked(Collection<SourcePartition> partitions) throws IOException {
            for (SourcePartition partition : partitions) {
                if (files.containsKey(partition)) {
                    files.remove(partition).close(); // a failure is logged by the host: the lines were synced already
                }
            }
        }
    }

    /** The event as one line: its metadata and its JSON value, re-written compactly (no newline inside). */
    static byte[] line(Event event) throws IOException {
        if (!event.isJson()) {
            throw new JsonParseException(null, "its content type is " + event.contentType());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.valueSize() + 160);
        try (JsonGenerator g = JSON.createGenerator(out);
                JsonParser p = JSON.createParser(event.valueBytes())) {
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
}
