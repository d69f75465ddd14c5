package io.streamloader.sink.postgresminio;

import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An event turned into what the stores need: its blobs (possibly none) and the JSON for its row's {@code attributes}.
 *
 * @param event the event
 * @param attributes JSON text: the event's value, or its metadata, with blob fields replaced by object references
 * @param blobs blobs to PUT before the row, in configuration order; the first one is described in the row's columns
 */
record PreparedEvent(Event event, String attributes, List<Blob> blobs) {

    PreparedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(attributes, "attributes");
        blobs = List.copyOf(blobs);
    }

    /**
     * One blob to store.
     *
     * @param stored where it goes and its digest
     * @param bytes its content
     * @param contentType content type stored with the object
     */
    record Blob(StoredBlob stored, byte[] bytes, String contentType) {}

    /** The row to insert: a {@link NewEventRow}, or a {@link NewBlobEventRow} describing the first blob. */
    EventColumns row(Instant receivedAt) {
        byte[] key = event.keyBytes();
        EventColumns row;
        if (blobs.isEmpty()) {
            row = new NewEventRow();
        } else {
            NewBlobEventRow withBlob = new NewBlobEventRow();
            withBlob.assignBlob(blobs.getFirst().stored());
            row = withBlob;
        }
        row.assign(
                event.id(),
                event.topic(),
                event.partition(),
                event.offset(),
                key.length == 0 ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8),
                event.contentType(),
                event.timestamp(),
                receivedAt,
                attributes);
        return row;
    }
}
