package io.streamloader.api;

import java.util.List;
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
        if (ContentTypes.allowed(base, blobTypes)) {
            return BLOB;
        }
        throw ApiProblem.of(
                        415,
                        "Unsupported Media Type",
                        "content type '" + abbreviate(base)
                                + "' is not supported here; use application/json, application/x-ndjson,"
                                + " application/x-www-form-urlencoded or one of " + blobTypes)
                .with("field", "Content-Type");
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** The media type without parameters, lower-cased. */
    static String baseType(String contentType) {
        return ContentTypes.normalise(contentType);
    }
}
