package io.streamloader.sink.mongo;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.bson.BsonBinaryReader;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * What MongoDB refuses in a document that the test server (mongo-java-server) or the driver would let through, checked
 * client-side so the event is dead-lettered alone instead of failing a bulk, or being stored where real MongoDB would
 * not store it: nesting past 100 levels, and {@code _id} values the server refuses (arrays, regular expressions,
 * undefined, sub-documents with {@code $}-prefixed names).
 */
final class DocumentLimits {
    /** MongoDB's documented limit: "no more than 100 levels of nesting"; the top-level document is the first. */
    static final int MAX_DEPTH = 100;

    /**
     * Extended-JSON wrappers such as {@code {"$binary": {"base64": ..}}} or {@code {"$dbPointer": {"$id": {"$oid":
     * ..}}}} are values, not levels, but nest up to three objects in the text.
     */
    static final int WRAPPER_LEVELS = 3;

    private DocumentLimits() {}

    /**
     * The deepest nesting of objects and arrays in JSON text, strings skipped; stops counting past {@code limit}. A
     * scan with no recursion, so it is safe before a recursive parser sees the text.
     */
    static int textDepth(String json, int limit) {
        int depth = 0;
        int max = 0;
        char quote = 0; // inside a string: its quote; JsonReader also takes single-quoted strings
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    max = depth;
                    if (max > limit) {
                        return max;
                    }
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }

    /** Levels of nesting of a BSON document, the document itself being 1; recursion bounded by the caller's check. */
    static int depth(RawBsonDocument document) {
        try (BsonBinaryReader reader =
                new BsonBinaryReader(document.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            return 1 + elementsDepth(reader, true);
        }
    }

    private static int elementsDepth(BsonBinaryReader reader, boolean document) {
        int max = 0;
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            if (document) { // an array's element names are read with its type
                reader.skipName();
            }
            BsonType type = reader.getCurrentBsonType();
            if (type == BsonType.DOCUMENT) {
                reader.readStartDocument();
                max = Math.max(max, 1 + elementsDepth(reader, true));
                reader.readEndDocument();
            } else if (type == BsonType.ARRAY) {
                reader.readStartArray();
                max = Math.max(max, 1 + elementsDepth(reader, false));
                reader.readEndArray();
            } else {
                reader.skipValue();
            }
        }
        return max;
    }

    /** Something in a document MongoDB does not take, with a stable code. */
    record Problem(String reason, String errorClass) {}

    /**
     * The first field name that occurs twice in one (sub-)document (MongoDB's documentation: "inserting these documents
     * into MongoDB isn't supported even if the insert succeeds"; the test server drops the connection), or a UUID or
     * MD5 binary that is not 16 bytes long; null when there is none.
     */
    static Problem contentProblem(RawBsonDocument document) {
        try (BsonBinaryReader reader =
                new BsonBinaryReader(document.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            return contentProblem(reader, true);
        }
    }

    private static Problem contentProblem(BsonBinaryReader reader, boolean document) {
        Set<String> names = document ? new HashSet<>() : null;
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            if (document) { // an array's element names are read with its type
                String name = reader.readName();
                if (!names.add(name)) {
                    return new Problem(
                            "field name '" + name + "' occurs twice in one object; MongoDB does not support duplicate"
                                    + " field names",
                            "duplicate_field_name");
                }
            }
            BsonType type = reader.getCurrentBsonType();
            Problem found = null;
            if (type == BsonType.DOCUMENT) {
                reader.readStartDocument();
                found = contentProblem(reader, true);
                if (found == null) {
                    reader.readEndDocument();
                }
            } else if (type == BsonType.ARRAY) {
                reader.readStartArray();
                found = contentProblem(reader, false);
                if (found == null) {
                    reader.readEndArray();
                }
            } else if (type == BsonType.BINARY) {
                found = binaryProblem(reader.peekBinarySubType(), reader.peekBinarySize());
                reader.skipValue();
            } else {
                reader.skipValue();
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Sub-types 3 and 4 (UUID) and 5 (MD5) hold 16 bytes by definition. */
    private static Problem binaryProblem(byte subType, int size) {
        if ((subType == 3 || subType == 4 || subType == 5) && size != 16) {
            return new Problem(
                    "binary of sub-type " + subType + " (" + (subType == 5 ? "MD5" : "UUID") + ") holds " + size
                            + " bytes; it must hold 16",
                    "invalid_binary");
        }
        return null;
    }

    /** Why MongoDB would refuse {@code id} as an {@code _id}, or null when it takes it. */
    static String idRefusal(BsonValue id) {
        return switch (id.getBsonType()) {
            case ARRAY -> "an array";
            case REGULAR_EXPRESSION -> "a regular expression";
            case UNDEFINED -> "undefined";
            case DOCUMENT -> hasDollarName(id) ? "a document with '$'-prefixed field names" : null;
            default -> null;
        };
    }

    private static boolean hasDollarName(BsonValue value) {
        if (value.isDocument()) {
            for (var entry : value.asDocument().entrySet()) {
                if (entry.getKey().startsWith("$") || hasDollarName(entry.getValue())) {
                    return true;
                }
            }
        } else if (value.isArray()) {
            for (BsonValue item : value.asArray()) {
                if (hasDollarName(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The size in bytes of a document that is already BSON; -1 for one that would have to be encoded first. */
    static int rawSize(Object document) {
        if (document instanceof RawBsonDocument raw) {
            ByteBuffer buffer = raw.getByteBuffer().asNIO();
            return buffer.remaining();
        }
        return -1;
    }
}
