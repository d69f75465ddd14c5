package io.streamloader.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A binary body as one event: the bytes unchanged, the content type preserved, and metadata from query parameters and
 * {@code X-Meta-*} headers (headers win) carried as Kafka headers {@code meta.<name>}.
 */
final class Blobs {

    static final String META_PREFIX = "meta.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final int MAX_ENTRIES = 32;
    private static final int MAX_VALUE = 1024;

    private Blobs() {}

    /**
     * The blob event; its content type is stored without parameters.
     *
     * @throws ApiProblem 415 naming {@code Content-Type} when the body's magic bytes do not match the declared type
     */
    static PendingEvent event(IncomingBody body) {
        String type = ContentTypes.normalise(body.contentType().orElse("application/octet-stream"));
        MagicBytes.mismatch(type, body.bytes()).ifPresent(why -> {
            throw ApiProblem.of(415, "Unsupported Media Type", "Content-Type says " + type + " but " + why)
                    .with("field", "Content-Type");
        });
        var meta = new LinkedHashMap<String, String>();
        body.query().forEach((name, values) -> put(meta, name.toLowerCase(java.util.Locale.ROOT), last(values)));
        body.metaHeaders().forEach((name, value) -> put(meta, name, value));
        String id = body.idempotencyKey()
                .map(k -> EventIds.checkClientId(k, "Idempotency-Key"))
                .orElseGet(EventIds::uuidV7);
        return new PendingEvent(id, id.getBytes(StandardCharsets.UTF_8), body.bytes(), type, meta);
    }

    private static void put(Map<String, String> meta, String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("metadata name '" + abbreviate(name) + "' must match [a-z0-9_.-]{1,64}")
                    .with("field", name);
        }
        if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiProblem.badRequest("metadata '" + name + "' must be at most " + MAX_VALUE
                            + " characters without control characters")
                    .with("field", name);
        }
        meta.put(META_PREFIX + name, value);
        if (meta.size() > MAX_ENTRIES) {
            throw ApiProblem.badRequest("at most " + MAX_ENTRIES + " metadata entries are allowed")
                    .with("limit", MAX_ENTRIES);
        }
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    /** At most 64 characters of client input, for a problem's detail. */
    static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
