package io.streamloader.sink.mongo;

import io.streamloader.sink.support.Utf8;
import io.streamloader.spi.Event;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.bson.BSONException;
import org.bson.BsonBinaryReader;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonParseException;
import org.bson.json.JsonReader;

/**
 * Turns an event's JSON value into the BSON document to store, straight from bytes to bytes with no intermediate
 * maps. Plain JSON takes {@link JsonToBson}: one pass of Jackson's streaming parser over the UTF-8 bytes, writing BSON
 * with the {@code _id} first (the event id, or a top-level id-field's value) and noting the top-level names on the way.
 * Everything else takes the {@link JsonReader} path (JSON text piped into a {@link RawBsonDocument}, then the {@code
 * _id} spliced in front): extended JSON, so {@code {"$date": "2024-05-01T12:00:00Z"}} becomes a BSON date; configured
 * date-fields; a dotted id-field; and values the fast path does not take, such as invalid JSON, which that path rejects
 * with its reason. Both paths give the same bytes and the same rejections. Everything that would make MongoDB (or the
 * driver) reject the document is caught here, per event, so one bad event never fails a whole bulk write.
 *
 * <p>Not thread-safe: one per sink, used on its sink thread (the fast path reuses its buffers).
 */
final class DocumentConverter {
    private static final RawBsonDocumentCodec RAW = new RawBsonDocumentCodec();
    private static final DecoderContext DECODE = DecoderContext.builder().build();
    private static final byte NULL = 0x0A;
    private static final byte ARRAY = 0x04;
    private static final byte DOCUMENT = 0x03;
    static final String TRAILING_CONTENT = "value is not valid JSON: there is more after the object's closing '}'";

    private final Optional<String> idField;
    private final List<String> dateFields;
    private final int maxDocumentSize;
    private final Optional<JsonToBson> fast;

    DocumentConverter(Optional<String> idField, List<String> dateFields, int maxDocumentSize) {
        this.idField = idField;
        this.dateFields = List.copyOf(dateFields);
        this.maxDocumentSize = maxDocumentSize;
        boolean topLevelId = idField.map(f -> !f.isEmpty() && !f.contains(".")).orElse(true);
        this.fast = dateFields.isEmpty() && topLevelId ? Optional.of(new JsonToBson(idField)) : Optional.empty();
    }

    /**
     * The document to store for {@code event}, or why it cannot be stored. Never throws: whatever a hostile value makes
     * the parsers throw (the driver's JsonReader throws unchecked exceptions of many kinds for extended JSON it cannot
     * convert, such as {@code {"$oid": "zz"}}) is that event's rejection.
     */
    Converted convert(Event event) {
        if (!event.isJson()) {
            return reject("content type '" + event.contentType() + "' is not JSON", "not_json");
        }
        return convert(event.value(), event.id());
    }

    /**
     * The document to store for a JSON value (an event's, or one element of an event's array) under {@code id} unless
     * the id-field names another; never throws, as {@link #convert(Event)}.
     */
    Converted convert(ByteBuffer value, String id) {
        try {
            if (fast.isPresent()) {
                Optional<JsonToBson.Parsed> parsed = fast.get().parse(value, id);
                if (parsed.isPresent()) {
                    return sized(checked(parsed.get(), id));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            return unconvertible(e);
        }
        return convertWithJsonReader(value, id);
    }

    /** JsonReader parses the text, then the top level is scanned and the {@code _id} spliced in; see the class doc. */
    Converted convertWithJsonReader(Event event) {
        return convertWithJsonReader(event.value(), event.id());
    }

    private Converted convertWithJsonReader(ByteBuffer value, String id) {
        try {
            return sized(readWithJsonReader(value, id));
        } catch (RuntimeException | StackOverflowError e) {
            return unconvertible(e);
        }
    }

    private static Converted unconvertible(Throwable e) {
        return reject(
                "value cannot be converted to BSON: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                "unconvertible_value");
    }

    /** The limit is on what MongoDB stores: the value with its {@code _id}. */
    private Converted sized(Converted converted) {
        if (converted instanceof Converted.Document d) {
            int size = DocumentLimits.rawSize(d.withId());
            if (size > maxDocumentSize) {
                return tooLarge(size);
            }
        }
        return converted;
    }

    /** The checks of {@link #convertWithJsonReader}, in the same order, on what the fast path saw. */
    private Converted checked(JsonToBson.Parsed parsed, String eventId) {
        if (parsed.valueSize() > maxDocumentSize) {
            return tooLarge(parsed.valueSize());
        }
        if (parsed.dollarName() != null) {
            return dollarName(parsed.dollarName());
        }
        RawBsonDocument document = parsed.document();
        if (idField.isEmpty()) {
            return parsed.hasId() ? ownId() : new Converted.Document(new BsonString(eventId), document, true);
        }
        if (parsed.idFieldType() == 0 || parsed.idFieldType() == NULL) {
            return missingIdField();
        }
        if (parsed.idFieldType() == ARRAY) {
            return arrayIdField();
        }
        if (parsed.idFieldType() == DOCUMENT) {
            Converted refused = refusedId(document.get("_id"));
            if (refused != null) {
                return refused;
            }
        }
        if (parsed.idAdded()) {
            return new Converted.Document(document.get("_id"), document, true);
        }
        BsonValue id = document.get(idField.get());
        return document.get("_id").equals(id) ? new Converted.Document(id, document, false) : conflictingId();
    }

    private Converted readWithJsonReader(ByteBuffer value, String eventId) {
        String json;
        try {
            json = Utf8.strict(value); // not valueAsString(): it would store U+FFFD for the bad bytes
        } catch (IllegalArgumentException e) {
            return reject(e.getMessage(), "invalid_utf8");
        }
        char first = firstNonBlank(json);
        if (first != '{') {
            String what = first == 0 ? "empty" : first == '[' ? "a JSON array" : "not a JSON object";
            return reject("value is " + what + "; only JSON objects can be stored as documents", "not_json_object");
        }
        int textDepth = DocumentLimits.textDepth(json, DocumentLimits.MAX_DEPTH + DocumentLimits.WRAPPER_LEVELS);
        if (textDepth > DocumentLimits.MAX_DEPTH + DocumentLimits.WRAPPER_LEVELS) {
            return tooDeep(); // before parsing: JsonReader and the BSON writer recurse per level
        }
        String extendedJsonProblem = ExtendedJsonCheck.problem(json);
        if (extendedJsonProblem != null) {
            return reject("value cannot be converted to BSON: " + extendedJsonProblem, "invalid_extended_json");
        }
        RawBsonDocument raw;
        try {
            JsonReader reader = new JsonReader(json);
            raw = RAW.decode(reader, DECODE);
            if (!atEnd(reader)) {
                return reject(TRAILING_CONTENT, "invalid_json");
            }
        } catch (JsonParseException | BsonInvalidOperationException e) {
            return reject("value is not valid JSON: " + e.getMessage(), "invalid_json");
        } catch (NumberFormatException e) {
            // JsonReader reads integers with Long.parseLong and unicode escapes with Integer.parseInt, unguarded:
            // an integer beyond 64 bits or a bad escape would otherwise be thrown out of the sink
            return reject(
                    "value is not valid JSON: unreadable number or \\u escape (" + e.getMessage() + ")",
                    "invalid_json");
        } catch (BSONException e) {
            return reject("value cannot be converted to BSON: " + e.getMessage(), "invalid_bson");
        }
        int size = raw.getByteBuffer().remaining();
        if (size > maxDocumentSize) {
            return tooLarge(size);
        }
        if (textDepth > DocumentLimits.MAX_DEPTH && DocumentLimits.depth(raw) > DocumentLimits.MAX_DEPTH) {
            return tooDeep();
        }
        DocumentLimits.Problem problem = DocumentLimits.contentProblem(raw);
        if (problem != null) {
            return reject(problem.reason(), problem.errorClass());
        }
        TopLevel top = scanTopLevel(raw);
        if (top.badName() != null) {
            return dollarName(top.badName());
        }
        BsonValue id;
        if (idField.isPresent()) {
            Optional<BsonValue> found = lookup(raw, idField.get());
            if (found.isEmpty() || found.get().isNull()) {
                return missingIdField();
            }
            id = found.get();
            if (id.isArray()) {
                return arrayIdField();
            }
            Converted refused = refusedId(id);
            if (refused != null) {
                return refused;
            }
            if (top.hasId() && !raw.get("_id").equals(id)) {
                return conflictingId();
            }
        } else {
            if (top.hasId()) {
                return ownId();
            }
            id = new BsonString(eventId);
        }
        if (dateFields.isEmpty()) {
            return new Converted.Document(id, raw);
        }
        return withDates(raw, id);
    }

    /**
     * Whether nothing but white space follows the object. JsonReader stops after the first value, so without this
     * {@code {"a":1} {"b":2}} would be stored as its first object, silently.
     */
    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.readBsonType() == BsonType.END_OF_DOCUMENT;
        } catch (JsonParseException | NumberFormatException e) {
            return false;
        }
    }

    /** What one pass over the top-level names found: a name MongoDB rejects, and whether there is an {@code _id}. */
    private record TopLevel(String badName, boolean hasId) {}

    /** Top-level names starting with {@code $} are operators to MongoDB; the driver would fail the whole bulk. */
    private static TopLevel scanTopLevel(RawBsonDocument raw) {
        boolean hasId = false;
        try (BsonBinaryReader reader = new BsonBinaryReader(raw.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                if (name.startsWith("$")) {
                    return new TopLevel(name, hasId);
                }
                hasId |= name.equals("_id");
                reader.skipValue();
            }
        }
        return new TopLevel(null, hasId);
    }

    private Converted withDates(RawBsonDocument raw, BsonValue id) {
        BsonDocument doc = raw.decode(new BsonDocumentCodec());
        for (String path : dateFields) {
            int dot = path.lastIndexOf('.');
            Optional<BsonValue> parent = dot < 0 ? Optional.of(doc) : lookup(doc, path.substring(0, dot));
            if (parent.isEmpty() || !parent.get().isDocument()) {
                continue; // absent fields stay absent
            }
            BsonDocument holder = parent.get().asDocument();
            String name = path.substring(dot + 1);
            BsonValue value = holder.get(name);
            if (value == null || !value.isString()) {
                continue; // already a date, null, or something else: stored as it is
            }
            try {
                holder.put(
                        name,
                        new BsonDateTime(
                                parseInstant(value.asString().getValue()).toEpochMilli()));
            } catch (DateTimeParseException e) {
                return reject(
                        "date field '" + path + "' is not an ISO-8601 date-time: '"
                                + value.asString().getValue() + "'",
                        "invalid_date");
            }
        }
        return new Converted.Document(id, new RawBsonDocument(doc, new BsonDocumentCodec()));
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    /** The value at a dotted path, descending through sub-documents only. */
    private static Optional<BsonValue> lookup(BsonDocument doc, String path) {
        BsonValue current = doc;
        for (String part : path.split("\\.")) {
            if (!current.isDocument()) {
                return Optional.empty();
            }
            current = current.asDocument().get(part);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    private static char firstNonBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return c;
            }
        }
        return 0;
    }

    private Converted tooLarge(int size) {
        return reject(
                "document too large: " + size + " bytes of BSON, the limit is " + maxDocumentSize,
                "document_too_large");
    }

    private static Converted dollarName(String name) {
        return reject(
                "invalid field name '" + name + "': top-level names must not start with '$'", "invalid_field_name");
    }

    private static Converted tooDeep() {
        return reject(
                "document nested more than " + DocumentLimits.MAX_DEPTH
                        + " levels deep (objects and arrays), MongoDB's limit",
                "too_deep");
    }

    private static Converted refusedId(BsonValue id) {
        String refusal = DocumentLimits.idRefusal(id);
        return refusal == null ? null : reject("_id cannot be " + refusal, "invalid_id");
    }

    private Converted missingIdField() {
        return reject("id-field '" + idField.get() + "' is missing or null in the value", "missing_id_field");
    }

    private Converted arrayIdField() {
        return reject("id-field '" + idField.get() + "' is an array; _id cannot be an array", "invalid_id");
    }

    private Converted conflictingId() {
        return reject("value has an _id that differs from id-field '" + idField.get() + "'", "conflicting_id");
    }

    private static Converted ownId() {
        return reject("value has its own _id field; set id-field: _id to store documents under it", "conflicting_id");
    }

    private static Converted reject(String reason, String errorClass) {
        return new Converted.Rejected(reason, errorClass);
    }
}
