package io.streamloader.sink.postgres;

import io.minio.errors.MinioException;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.WriteResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each event as an optional blob in the bucket plus one metadata row, in that order: a row never points at an
 * object that is not there. Confined to one worker thread (blob PUTs fan out to the uploader's threads).
 *
 * <ol>
 *   <li>Events are prepared (blobs decoded, object keys rendered); an event that cannot be prepared fails
 *       permanently. A JSON value is checked by PostgreSQL, which refuses it with the row if it is not JSON.
 *   <li>Blobs are PUT, idempotently. An unreachable S3 server fails the whole batch as retryable before any row is
 *       written; a 5xx for one blob retries that event; a 4xx dead-letters it.
 *   <li>Rows of the events whose blobs are stored are upserted in one transaction. A lost connection retries the whole
 *       batch (blobs are PUT again, harmlessly); a refused row is dead-lettered and its blobs removed.
 * </ol>
 */
final class PostgresMinioSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMinioSink.class);

    private final String name;
    private final EventPreparer preparer;
    private final BlobUploader uploader;
    private final RowWriter rows;
    private boolean closed;

    PostgresMinioSink(String name, EventPreparer preparer, BlobUploader uploader, RowWriter rows) {
        this.name = name;
        this.preparer = preparer;
        this.uploader = uploader;
        this.rows = rows;
    }

    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        Map<String, PreparedEvent> prepared = new LinkedHashMap<>();
        for (Event event : batch) {
            try {
                // the last copy of an id wins; two rows with one id in a single upsert statement would be refused
                prepared.remove(event.id());
                prepared.put(event.id(), preparer.prepare(event));
            } catch (IllegalArgumentException e) {
                failures.add(EventFailure.permanent(event, e.getMessage(), "invalid_event"));
            }
        }

        Map<String, BlobUploader.Failure> blobFailures = uploader.putAll(prepared.values());
        List<EventColumns> ready = new ArrayList<>(prepared.size());
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (PreparedEvent p : prepared.values()) {
            BlobUploader.Failure failure = blobFailures.get(p.event().id());
            if (failure == null) {
                ready.add(p.row(receivedAt));
            } else if (failure.permanent()) {
                removeBlobs(p);
                failures.add(EventFailure.permanent(p.event(), failure.reason(), "s3_rejected"));
            } else {
                failures.add(EventFailure.retryable(p.event(), failure.reason(), "s3_unavailable"));
            }
        }

        Map<String, String> refused = rows.write(ready);
        refused.forEach((id, reason) -> {
            PreparedEvent p = prepared.get(id);
            removeBlobs(p);
            failures.add(EventFailure.permanent(p.event(), reason, "postgres_rejected"));
        });
        if (!failures.isEmpty()) {
            LOG.debug("sink {}: {} of {} events failed", name, failures.size(), batch.size());
        }
        return WriteResult.failed(failures);
    }

    /** Removes what this write stored for an event that will be dead-lettered, so no object outlives its row. */
    private void removeBlobs(PreparedEvent p) {
        for (PreparedEvent.Blob blob : p.blobs()) {
            try {
                uploader.remove(blob.stored().key());
            } catch (MinioException e) {
                throw new RetriableSinkException(
                        "sink " + name + ": cannot remove object "
                                + blob.stored().key() + " of refused event "
                                + p.event().id() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public void checkHealth() throws Exception {
        rows.check();
        uploader.check();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (uploader) {
            rows.close();
        }
    }
}
