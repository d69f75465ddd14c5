package io.streamloader.api;

import java.util.Map;
import java.util.Objects;

/**
 * One event parsed from a request, not yet sent. The value is the exact bytes that go to Kafka.
 *
 * @param id event id, becomes header {@code sl-event-id}
 * @param key Kafka record key
 * @param value Kafka record value
 * @param contentType media type of the value, becomes header {@code content-type}
 * @param metadata extra headers ({@code meta.<name>}) from query parameters and {@code X-Meta-*} headers
 */
public record PendingEvent(String id, byte[] key, byte[] value, String contentType, Map<String, String> metadata) {

    public PendingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(contentType, "contentType");
        metadata = Map.copyOf(metadata);
    }
}
