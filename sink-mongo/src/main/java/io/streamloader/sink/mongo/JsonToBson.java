package io.streamloader.sink.mongo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.bson.RawBsonDocument;

/**
 * The fast path of {@link DocumentConverter}: UTF-8 JSON bytes to BSON bytes in one pass of Jackson's streaming parser,
 * the {@code _id} written first, the top-level names noted on the way. It handles plain, strict JSON and gives up
 * (empty) on anything else: extended JSON (an object whose first name starts with {@code $}), integers beyond 64 bits,
 * a NUL in a name, ill-formed UTF-8, a parse error, anything but white space around the object. Those take
 * JsonReader's path, which stores or rejects them exactly as before; so, where this path answers, it answers exactly
 * as that one would, which {@code JsonToBsonDifferentialTest} checks byte for byte. Numbers are typed as JsonReader
 * types them: an integer literal is an int32 when it fits, else an int64; anything with a fraction or an exponent is
 * a double ({@code -0} is int32 0, {@code 1e3} the double 1000).
 *
 * <p>Not thread-safe: it reuses its buffers from one document to the next.
 */
final class JsonToBson {
    /**
     * Thread-safe and shared. Field names stay canonicalized (one String per distinct name, so none is allocated per
     * document); interning them as well would only cost. Default read constraints (nesting depth 1000, numbers of 1000
     * digits, ...): past them Jackson throws, and the value takes JsonReader's path.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final byte DOUBLE = 0x01;
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte ARRAY = 0x04;
    private static final byte BOOLEAN = 0x08;
    private static final byte NULL = 0x0A;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;
    private static final byte[] ID = {'_', 'i', 'd', 0};
    private static final byte[][] INDEX = new byte[1000][];
    private static final int KEEP = 1 << 20;
    /** Names of an object checked for repeats by a scan; past that, by a set. */
    private static final int SCAN = 16;

    static {
        for (int i = 0; i < INDEX.length; i++) {
            INDEX[i] = (i + "\0").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * One JSON object as BSON, and what the pass saw at its top level.
     *
     * @param document the document to insert
     * @param idAdded whether {@code document} starts with an {@code _id} that is not part of the value
     * @param valueSize the BSON size of the value alone, without an added {@code _id}
     * @param dollarName the first top-level name starting with {@code $}, or null
     * @param hasId whether the value has a top-level {@code _id}
     * @param idFieldType BSON type of the id-field's (first) value; 0 when absent or when the event id is the {@code _id}
     */
    record Parsed(
            RawBsonDocument document,
            boolean idAdded,
            int valueSize,
            String dollarName,
            boolean hasId,
            byte idFieldType) {}

    private final String idField; // null: the event id is the _id
    private final BsonBuffer out = new BsonBuffer();
    private byte[] input = new byte[4096];
    private int length; // of the JSON in input
    private String dollarName;
    private boolean hasId;
    private int idTypeAt;
    private int idValueFrom;
    private int idValueTo;
    private int depth; // of the object or array being written, the top-level object being 1
    private String[] names = new String[64]; // of the objects being written, innermost last
    private int nameCount;

    /** @param idField a top-level field whose value is the {@code _id}, or empty for the event id */
    JsonToBson(Optional<String> idField) {
        this.idField = idField.orElse(null);
    }

    /** The value as BSON, or empty when it must take JsonReader's path. */
    Optional<Parsed> parse(ByteBuffer value, String eventId) {
        length = value.remaining();
        byte[] json = input(length);
        value.get(value.position(), json, 0, length);
        int start = JsonBytes.skipWhiteSpace(json, 0, length);
        // a NUL among the first four bytes would make Jackson guess UTF-16 or UTF-32
        if (start == length || json[start] != '{' || hasNul(json, Math.min(4, length))) {
            return Optional.empty();
        }
        if (!JsonBytes.isWellFormedUtf8(json, start, length)) {
            return Optional.empty();
        }
        out.reset();
        dollarName = null;
        hasId = false;
        idTypeAt = -1;
        depth = 0;
        nameCount = 0;
        int idElement = 0;
        try (JsonParser parser = JSON.createParser(json, 0, length)) {
            parser.nextToken(); // the '{'
            int documentAt = out.reserveInt();
            if (idField == null) {
                out.put(STRING);
                out.put(ID, 0, ID.length);
                out.putString(eventId);
                idElement = out.size() - 4;
            }
            writeElements(parser, true);
            out.putIntAt(documentAt, out.size());
            int end = (int) parser.currentLocation().getByteOffset();
            if (JsonBytes.skipWhiteSpace(json, end, length) != length) {
                return Optional.empty(); // JsonReader decides: its white space is Java's, wider than JSON's
            }
        } catch (IOException | NotPlain e) {
            return Optional.empty();
        }
        return result(idElement);
    }

    private Optional<Parsed> result(int idElement) {
        byte[] bytes = out.array();
        int size = out.size();
        if (idField == null) {
            RawBsonDocument document = new RawBsonDocument(Arrays.copyOf(bytes, size));
            return Optional.of(new Parsed(document, true, size - idElement, dollarName, hasId, (byte) 0));
        }
        byte type = idTypeAt < 0 ? 0 : bytes[idTypeAt];
        if (type == 0 || type == NULL || type == ARRAY || hasId) { // rejected, or stored under its own _id
            RawBsonDocument document = new RawBsonDocument(Arrays.copyOf(bytes, size));
            return Optional.of(new Parsed(document, false, size, dollarName, hasId, type));
        }
        if (type == STRING && !JsonBytes.isWellFormedUtf8(bytes, idValueFrom + 4, idValueTo - 1)) {
            // an unpaired surrogate: the other path's _id is the string decoded and encoded again, U+FFFD for it
            return Optional.empty();
        }
        // the id-field's type and value bytes as the _id element, in front of the value's elements
        int valueLength = idValueTo - idValueFrom;
        byte[] document = new byte[size + 1 + ID.length + valueLength];
        document[4] = type;
        System.arraycopy(ID, 0, document, 5, ID.length);
        System.arraycopy(bytes, idValueFrom, document, 5 + ID.length, valueLength);
        System.arraycopy(bytes, 4, document, 5 + ID.length + valueLength, size - 4);
        ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN).putInt(0, document.length);
        return Optional.of(new Parsed(new RawBsonDocument(document), true, size, dollarName, hasId, type));
    }

    /** The elements of the object the parser is in, and its closing 0. */
    private void writeElements(JsonParser parser, boolean topLevel) throws IOException {
        enter();
        String name = parser.nextFieldName();
        if (name != null && name.startsWith("$")) {
            throw NotPlain.INSTANCE; // extended JSON such as {"$date": ...}, or a $ name the other path names
        }
        int from = nameCount;
        Set<String> many = null; // an object's names beyond the first SCAN ones
        while (name != null) {
            if (many != null) {
                if (!many.add(name)) {
                    throw NotPlain.INSTANCE;
                }
            } else if (nameCount - from < SCAN) {
                noteName(name, from);
            } else {
                many = new HashSet<>(Arrays.asList(names).subList(from, nameCount));
                if (!many.add(name)) {
                    throw NotPlain.INSTANCE;
                }
            }
            JsonToken token = parser.nextToken();
            byte type = typeOf(parser, token);
            int typeAt = out.size();
            out.put(type);
            if (!out.putCString(name)) {
                throw NotPlain.INSTANCE;
            }
            int valueAt = out.size();
            writeValue(parser, token, type);
            if (topLevel) {
                noteTopLevel(name, typeAt, valueAt);
            }
            name = parser.nextFieldName();
        }
        out.put((byte) 0);
        nameCount = from;
        depth--;
    }

    /**
     * A name repeated in one object leaves this path, for the other to reject the value with its reason: MongoDB does
     * not support duplicate names. A scan of the object's names so far (no allocation): the few of a typical object.
     */
    private void noteName(String name, int from) {
        for (int i = from; i < nameCount; i++) {
            if (names[i].equals(name)) {
                throw NotPlain.INSTANCE;
            }
        }
        if (nameCount == names.length) {
            names = Arrays.copyOf(names, 2 * nameCount);
        }
        names[nameCount++] = name;
    }

    /** Past MongoDB's nesting limit the other path rejects the value, with its reason. */
    private void enter() {
        if (++depth > DocumentLimits.MAX_DEPTH) {
            throw NotPlain.INSTANCE;
        }
    }

    private void noteTopLevel(String name, int typeAt, int valueAt) {
        if (dollarName == null && name.startsWith("$")) {
            dollarName = name;
        }
        hasId |= name.equals("_id");
        if (idTypeAt < 0 && name.equals(idField)) {
            idTypeAt = typeAt;
            idValueFrom = valueAt;
            idValueTo = out.size();
        }
    }

    private static byte typeOf(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> DOCUMENT;
            case START_ARRAY -> ARRAY;
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER_FLOAT -> DOUBLE;
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT -> INT32;
                    case LONG -> INT64;
                    default -> throw NotPlain.INSTANCE; // JsonReader rejects integers beyond 64 bits, with its reason
                };
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            default -> throw NotPlain.INSTANCE;
        };
    }

    private void writeValue(JsonParser parser, JsonToken token, byte type) throws IOException {
        switch (type) {
            case DOCUMENT -> {
                int at = out.reserveInt();
                writeElements(parser, false);
                out.putIntAt(at, out.size() - at);
            }
            case ARRAY -> writeArray(parser);
            case STRING -> writeString(parser);
            case DOUBLE -> out.putLong(Double.doubleToRawLongBits(parser.getDoubleValue()));
            case INT32 -> out.putInt(parser.getIntValue());
            case INT64 -> out.putLong(parser.getLongValue());
            case BOOLEAN -> out.put(token == JsonToken.VALUE_TRUE ? (byte) 1 : (byte) 0);
            default -> {} // null has no value bytes
        }
    }

    /**
     * A string without escapes is copied as it is: the input is well-formed UTF-8, which is what decoding and encoding
     * it again would give. Jackson has not read it yet (it reads strings lazily) and checks it when skipping it.
     */
    private void writeString(JsonParser parser) throws IOException {
        int from = (int) parser.currentTokenLocation().getByteOffset() + 1;
        int end = JsonBytes.quoteOrBackslash(input, from, length);
        if (end < length && input[end] == '"') {
            out.putString(input, from, end - from);
        } else {
            out.putString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        }
    }

    private void writeArray(JsonParser parser) throws IOException {
        enter();
        int at = out.reserveInt();
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            byte type = typeOf(parser, token);
            out.put(type);
            if (index < INDEX.length) {
                out.put(INDEX[index], 0, INDEX[index].length);
            } else {
                out.putCString(Integer.toString(index));
            }
            index++;
            writeValue(parser, token, type);
        }
        out.put((byte) 0);
        out.putIntAt(at, out.size() - at);
        depth--;
    }

    private byte[] input(int length) {
        if (input.length < length || input.length > Math.max(KEEP, length)) {
            input = new byte[Math.max(length, 4096)];
        }
        return input;
    }

    private static boolean hasNul(byte[] bytes, int to) {
        for (int i = 0; i < to; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Thrown to leave the fast path; carries no stack trace, as it is control flow. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }
}
