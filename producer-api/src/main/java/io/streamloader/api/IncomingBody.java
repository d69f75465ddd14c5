package io.streamloader.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request body with what the parsers need from the request around it.
 *
 * @param contentType the request's {@code Content-Type}, empty when it sent none
 * @param content the body, read as the parser goes
 * @param query query parameters
 * @param metaHeaders {@code X-Meta-*} headers with the prefix removed and the name lower-cased
 * @param idempotencyKey the {@code Idempotency-Key} header
 */
record IncomingBody(
        Optional<String> contentType,
        BoundedBody content,
        Map<String, List<String>> query,
        Map<String, String> metaHeaders,
        Optional<String> idempotencyKey) {

    IncomingBody {
        query = Map.copyOf(query);
        metaHeaders = Map.copyOf(metaHeaders);
    }

    /** A body received in full. */
    IncomingBody(
            Optional<String> contentType,
            byte[] bytes,
            Map<String, List<String>> query,
            Map<String, String> metaHeaders,
            Optional<String> idempotencyKey) {
        this(contentType, BoundedBody.of(bytes), query, metaHeaders, idempotencyKey);
    }

    /** A JSON body without query, headers or key; handy in tests and for the compatibility routes. */
    static IncomingBody json(byte[] bytes) {
        return new IncomingBody(Optional.of("application/json"), bytes, Map.of(), Map.of(), Optional.empty());
    }

    /** The whole body, read to its end through its limits. */
    byte[] bytes() {
        return content.readFully();
    }
}
