package io.streamloader.sink.postgresminio;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamloader.sink.support.Utf8;
import io.streamloader.spi.Event;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns events into {@link PreparedEvent}s: a binary event's value becomes one blob and its {@code meta.*} headers the
 * attributes; a JSON event is kept as it is, except that configured base64 fields are decoded into blobs and replaced
 * by references {@code {"bucket","key","size","sha256"}}. Confined to one worker thread.
 */
final class EventPreparer {
    /** Headers producer-api sets for a binary body's metadata (query parameters and {@code X-Meta-*}). */
    static final String META_PREFIX = "meta.";

    private static final String BLOB_CONTENT_TYPE = "application/octet-stream";
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    // decimals as BigDecimal: a double would turn 1e400 into Infinity (not JSON) and round 0.1000000000000000000001
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final MessageDigest sha256;
    private final String bucket;
    private final KeyTemplate template;
    private final List<String> blobFields;
    /** {@code id.template}: the row id from the event's fields instead of its event id. */
    private final Optional<KeyTemplate> idTemplate;

    EventPreparer(String bucket, KeyTemplate template, List<String> blobFields) {
        this(bucket, template, blobFields, Optional.empty());
    }

    EventPreparer(String bucket, KeyTemplate template, List<String> blobFields, Optional<KeyTemplate> idTemplate) {
        this.idTemplate = idTemplate;
        this.bucket = bucket;
        this.template = template;
        this.blobFields = List.copyOf(blobFields);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Prepares one event.
     *
     * @throws IllegalArgumentException when the event can never be stored (bad JSON, bad base64, missing key variable);
     *     the message is the reason for the dead-letter topic
     */
    PreparedEvent prepare(Event event) {
        PreparedEvent prepared = event.isJson() ? json(event) : binary(event);
        if (idTemplate.isEmpty()) {
            return prepared;
        }
        // the row's id from its own fields (seed 003: the image's uuid), so a re-sent image updates its row; failures
        // are matched to events by coordinates, so the pipeline still knows which event this is
        JsonNode attributes = parse(prepared.attributes());
        String id = idTemplate.get().render(variables(event, null, name -> text(attributes.get(name))));
        Event renamed = event.toBuilder().id(id).build(); // key and value shared, not copied: an image may be megabytes
        return new PreparedEvent(renamed, prepared.attributes(), prepared.blobs());
    }

    private PreparedEvent binary(Event event) {
        ObjectNode meta = json.createObjectNode();
        event.headers().forEach((name, value) -> {
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                meta.put(name.substring(META_PREFIX.length()), value);
            }
        });
        byte[] bytes = event.valueBytes();
        String key = template.render(variables(event, null, name -> text(meta.get(name))));
        var blob = new PreparedEvent.Blob(stored(key, bytes), bytes, ContentTypes.forObject(event.contentType()));
        return new PreparedEvent(event, meta.toString(), List.of(blob));
    }

    private PreparedEvent json(Event event) {
        if (blobFields.isEmpty()) {
            // not parsed here: PostgreSQL checks it when it casts the text to jsonb, and a value it refuses is
            // dead-lettered with its message (RowWriter); parsing it here too cost the rows-only path ~14 % of its CPU
            // strictly decoded: valueAsString() would store U+FFFD for ill-formed bytes (the caller dead-letters them)
            return new PreparedEvent(event, Utf8.strict(event.value()), List.of());
        }
        JsonNode root = parse(event);
        if (!(root instanceof ObjectNode object)) {
            return new PreparedEvent(event, checkedText(root), List.of());
        }
        List<PreparedEvent.Blob> blobs = new ArrayList<>();
        for (String field : blobFields) {
            JsonNode node = object.get(field);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isTextual()) {
                throw new IllegalArgumentException("blob field '" + field + "' must be a base64 string, was "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            byte[] bytes = base64(field, node.asText());
            String key = template.render(variables(event, field, name -> text(object.get(name))));
            StoredBlob stored = stored(key, bytes);
            blobs.add(new PreparedEvent.Blob(stored, bytes, BLOB_CONTENT_TYPE));
            object.set(field, reference(stored));
        }
        return new PreparedEvent(event, checkedText(object), blobs);
    }

    /**
     * The JSON text of a parsed value. Jackson decodes an escaped unpaired surrogate ({@code "\\ud800"}) into a string
     * it writes back raw, which the driver would silently turn into {@code ?}; refused instead, as PostgreSQL refuses
     * the escape on the unparsed path.
     */
    private static String checkedText(JsonNode node) {
        String text = node.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(
                            "value holds an unpaired UTF-16 surrogate (an escape like \\ud800), which is not text");
                }
            }
        }
        return text;
    }

    private static Function<String, Optional<String>> variables(
            Event event, String field, Function<String, Optional<String>> fromEvent) {
        return name -> switch (name) {
            case "topic" -> Optional.of(event.topic());
            case "id" -> Optional.of(event.id());
            case "partition" -> Optional.of(Integer.toString(event.partition()));
            case "offset" -> Optional.of(Long.toString(event.offset()));
            case "field" -> Optional.ofNullable(field);
            default -> fromEvent.apply(name);
        };
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    private JsonNode parse(Event event) {
        return parse(Utf8.strict(event.value())); // not valueAsString(): it would keep U+FFFD for bad bytes
    }

    private JsonNode parse(String text) {
        try {
            JsonNode root = json.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new IllegalArgumentException("value is empty, not JSON");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("value is not valid JSON: " + jsonMessage(e), e);
        }
    }

    private static String jsonMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                ? p.getOriginalMessage()
                : e.getMessage();
    }

    private static byte[] base64(String field, String text) {
        try {
            // strict alphabet, but line breaks (MIME-style wrapping) are tolerated
            return Base64.getDecoder().decode(WHITESPACE.matcher(text).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blob field '" + field + "' is not base64: " + e.getMessage(), e);
        }
    }

    private StoredBlob stored(String key, byte[] bytes) {
        String digest = HexFormat.of().formatHex(sha256.digest(bytes));
        return new StoredBlob(bucket, key, bytes.length, digest);
    }

    private ObjectNode reference(StoredBlob blob) {
        ObjectNode ref = json.createObjectNode();
        ref.put("bucket", blob.bucket());
        ref.put("key", blob.key());
        ref.put("size", blob.size());
        ref.put("sha256", blob.sha256());
        return ref;
    }
}
