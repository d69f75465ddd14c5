package io.streamloader.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a request body becomes events, decided by its media type. */
enum BodyKind {
    /** A JSON object (one event) or array of objects (one event each). */
    JSON,
    /** Newline-delimited JSON objects, one event per line. */
    NDJSON,
    /** {@code application/x-www-form-urlencoded}: one event whose JSON object holds the fields. */
    FORM,
    /** Any configured binary type: the body is one opaque event. */
    BLOB;

    /**
     * The kind for a {@code Content-Type}; a request without one is taken as JSON.
     *
     * @throws ApiProblem 415 for any other media type
     */
    static BodyKind of(Optional<String> contentType, List<String> blobTypes) {
        String base = baseType(contentType.orElse("application/json"));
        if (base.equals("application/json") || base.equals("text/json") || base.endsWith("+json")) {
            return JSON;
        }
        if (base.equals("application/x-ndjson") || base.equals("application/jsonl")) {
            return NDJSON;
        }
        if (base.equals("application/x-www-form-urlencoded")) {
            return FORM;
        }
        for (String blob : blobTypes) {
            if (blob.equals(base) || (blob.endsWith("/*") && base.startsWith(blob.substring(0, blob.length() - 1)))) {
                return BLOB;
            }
        }
        throw ApiProblem.of(
                        415,
                        "Unsupported Media Type",
                        "content type '" + base + "' is not supported; use application/json, application/x-ndjson,"
                                + " application/x-www-form-urlencoded or one of " + blobTypes)
                .with("field", "Content-Type");
    }

    /** The media type without parameters, lower-cased. */
    static String baseType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
