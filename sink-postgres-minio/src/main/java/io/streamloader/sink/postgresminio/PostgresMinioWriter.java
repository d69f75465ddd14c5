package io.streamloader.sink.postgresminio;

import io.minio.errors.MinioException;
import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>Blobs are PUT, idempotently. An unreachable S3 server fails the whole batch as retriable before any row is
 *       written; refused credentials or a missing bucket stop the runner ({@code FatalSinkException}); a 5xx, 429 or
 *       SlowDown for one blob retries that event; another 4xx, or a request the client refuses to send, dead-letters
 *       it.
 *   <li>Rows of the events whose blobs are stored are upserted. A lost connection retries the whole batch (blobs are
 *       PUT again, harmlessly); a refused row is dead-lettered, and its object removed unless a stored row refers to
 *       the same key.
 * </ol>
 *
 * <p>Copies of one id in a batch are written in turn ({@link #rounds}), so a refused later copy leaves the earlier one
 * stored.
 *
 * <p>One worker's writer, with its own upload threads ({@code s3.upload-concurrency}); the JDBC connections ({@code
 * jdbc.connections}), the session factory and the S3 client belong to the runner's {@link PostgresMinioSink}.
 */
final class PostgresMinioWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMinioWriter.class);

    private final String name;
    private final EventPreparer preparer;
    private final BlobUploader uploader;
    private final RowWriter rows;
    private boolean closed;

    PostgresMinioWriter(String name, EventPreparer preparer, BlobUploader uploader, RowWriter rows) {
        this.name = name;
        this.preparer = preparer;
        this.uploader = uploader;
        this.rows = rows;
    }

    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        List<PreparedEvent> prepared = new ArrayList<>(batch.size());
        for (Event event : batch) {
            try {
                prepared.add(preparer.prepare(event));
            } catch (IllegalArgumentException e) {
                failures.add(EventFailure.permanent(event, e.getMessage(), "invalid_event"));
            } catch (RuntimeException e) { // a parser or decoder failing on hostile bytes: still this event's fault
                failures.add(EventFailure.permanent(
                        event, e.getClass().getSimpleName() + ": " + e.getMessage(), "invalid_event"));
            }
        }
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (List<PreparedEvent> round : rounds(prepared)) {
            writeRound(round, receivedAt, failures);
        }
        if (!failures.isEmpty()) {
            LOG.debug("sink {}: {} of {} events failed", name, failures.size(), batch.size());
        }
        return WriteResult.failed(failures);
    }

    /**
     * The events in rounds of distinct ids, in batch order: the first copy of each id in the first round, a second copy
     * in the second, and so on. One upsert statement cannot hold an id twice, and a later copy that is refused must not
     * hide an earlier one: each copy is written in its turn, and the last one stored wins. Nearly every batch is one
     * round.
     */
    static List<List<PreparedEvent>> rounds(List<PreparedEvent> events) {
        Map<String, Integer> seen = new HashMap<>(events.size() * 2);
        List<List<PreparedEvent>> rounds = new ArrayList<>(1);
        for (PreparedEvent p : events) {
            int round = seen.merge(p.event().id(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>(round == 0 ? events.size() : 4));
            }
            rounds.get(round).add(p);
        }
        return rounds;
    }

    /** Writes events with distinct ids: blobs, then rows, and the failures of each. */
    private void writeRound(List<PreparedEvent> round, Instant receivedAt, List<EventFailure> failures) {
        Map<String, BlobUploader.Failure> blobFailures = uploader.putAll(round);
        Map<String, PreparedEvent> byId = new HashMap<>(round.size() * 2);
        List<EventColumns> ready = new ArrayList<>(round.size());
        for (PreparedEvent p : round) {
            BlobUploader.Failure failure =
                    blobFailures.isEmpty() ? null : blobFailures.get(p.event().id());
            if (failure == null) {
                byId.put(p.event().id(), p);
                ready.add(p.row(receivedAt));
            } else if (failure.permanent()) {
                removeUnreferencedBlobs(p);
                failures.add(EventFailure.permanent(p.event(), failure.reason(), "s3_rejected"));
            } else {
                failures.add(EventFailure.retriable(p.event(), failure.reason(), "s3_unavailable"));
            }
        }
        // ids are distinct within a round, so the id names exactly one event of it
        Map<String, String> refused = rows.write(ready);
        refused.forEach((id, reason) -> {
            PreparedEvent p = byId.get(id);
            removeUnreferencedBlobs(p);
            failures.add(EventFailure.permanent(p.event(), reason, "postgres_rejected"));
        });
    }

    /**
     * Removes the objects this write stored for an event that will be dead-lettered, unless a stored row describes the
     * same key (another event rendered to it, or an earlier copy of this one): no row may point at a missing object.
     * Only the first blob of an event is described by a column that can be checked cheaply; an event's further blobs
     * are kept when it is refused (an orphan object is harmless, a dangling reference is not). Objects are kept too
     * when the database cannot be asked or S3 refuses the removal.
     */
    private void removeUnreferencedBlobs(PreparedEvent p) {
        if (p.blobs().isEmpty()) {
            return;
        }
        StoredBlob first = p.blobs().getFirst().stored();
        try {
            if (!rows.referenced(first.bucket(), List.of(first.key())).isEmpty()) {
                return;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "sink {}: kept object {} of refused event {}: cannot check whether a row refers to it: {}",
                    name,
                    first.key(),
                    p.event().id(),
                    e.toString());
            return;
        }
        try {
            uploader.remove(first.key());
        } catch (MinioException e) {
            if (PostgresMinioTriage.s3(e) == Outcome.UNAVAILABLE) {
                throw new RetriableSinkException(
                        "sink " + name + ": cannot remove object " + first.key() + " of refused event "
                                + p.event().id() + ": " + e.getMessage(),
                        e);
            }
            LOG.warn(
                    "sink {}: kept object {} of refused event {}: {}",
                    name,
                    first.key(),
                    p.event().id(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.warn(
                    "sink {}: kept object {} of refused event {}: {}",
                    name,
                    first.key(),
                    p.event().id(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        uploader.close();
    }
}
