package io.streamloader.sink.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/** Byte-level JSON helpers built on Jackson's streaming parser: nothing here builds a tree or re-serializes. */
final class Json {
    static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    static JsonParser parser(byte[] bytes, int offset, int length) {
        return FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length);
    }

    /** Null when {@code bytes} is exactly one JSON object, else what is wrong with it. */
    static String syntaxError(byte[] bytes) {
        return syntaxError(java.nio.ByteBuffer.wrap(bytes));
    }

    /** Null when the remaining bytes of {@code doc} are exactly one JSON object, else what is wrong with them. */
    static String syntaxError(java.nio.ByteBuffer doc) {
        byte[] bytes;
        int offset;
        if (doc.hasArray()) {
            bytes = doc.array();
            offset = doc.arrayOffset() + doc.position();
        } else {
            bytes = new byte[doc.remaining()];
            doc.duplicate().get(bytes);
            offset = 0;
        }
        try (JsonParser p = parser(bytes, offset, doc.remaining())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "expected a JSON object";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "unexpected content after the object";
            }
            return null;
        } catch (JacksonException e) {
            return e.getOriginalMessage();
        }
    }

    /** {@link #withField} with {@code value} as a JSON string. */
    static byte[] withStringField(byte[] doc, String field, String value) {
        return withField(doc, field, quote(value));
    }

    /**
     * The JSON object {@code doc} with top-level {@code field} set to {@code rawValue} (JSON text): replaced in place
     * when present, else inserted first. Every other byte is kept as it was.
     *
     * @throws JacksonException when {@code doc} is not one JSON object
     */
    static byte[] withField(byte[] doc, String field, byte[] rawValue) {
        long valueStart = -1;
        long valueEnd = -1;
        long objectStart;
        try (JsonParser p = parser(doc, 0, doc.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("value is not a JSON object");
            }
            objectStart = p.currentTokenLocation().getByteOffset();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                boolean match = p.currentName().equals(field);
                p.nextToken();
                if (match && valueStart < 0) {
                    valueStart = p.currentTokenLocation().getByteOffset();
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        p.getString(); // strings are read lazily; read it to move past its closing quote
                    }
                    p.skipChildren();
                    valueEnd = p.currentLocation().getByteOffset();
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("value is not a single JSON object");
            }
        }
        byte[] quoted = rawValue;
        ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + quoted.length + field.length() + 8);
        if (valueStart >= 0) {
            out.write(doc, 0, (int) valueStart);
            out.writeBytes(quoted);
            out.write(doc, (int) valueEnd, doc.length - (int) valueEnd);
        } else {
            int afterBrace = (int) objectStart + 1;
            out.write(doc, 0, afterBrace);
            out.writeBytes(quote(field));
            out.write(':');
            out.writeBytes(quoted);
            if (!isEmptyObject(doc, afterBrace)) {
                out.write(',');
            }
            out.write(doc, afterBrace, doc.length - afterBrace);
        }
        return out.toByteArray();
    }

    /**
     * The JSON array {@code doc} as an object whose fields are {@code names}, in order, each holding the element at its
     * position exactly as written (seed 001's positional clicks). Every element's bytes are kept as they were.
     *
     * @throws IllegalArgumentException when {@code doc} is not one JSON array of exactly {@code names.size()} elements
     * @throws JacksonException when it is not JSON
     */
    static byte[] positionalObject(byte[] doc, java.util.List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + names.size() * 16 + 2);
        out.write('{');
        int count = 0;
        try (JsonParser p = parser(doc, 0, doc.length)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("value is not a JSON array");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new IllegalArgumentException("the JSON array is not closed");
                }
                long start = p.currentTokenLocation().getByteOffset();
                if (t == JsonToken.VALUE_STRING) {
                    p.getString(); // strings are read lazily; read it to move past its closing quote
                }
                p.skipChildren();
                long end = p.currentLocation().getByteOffset();
                if (count < names.size()) {
                    if (count > 0) {
                        out.write(',');
                    }
                    out.writeBytes(quote(names.get(count)));
                    out.write(':');
                    out.write(doc, (int) start, (int) (end - start));
                }
                count++;
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("unexpected content after the JSON array");
            }
        }
        if (count != names.size()) {
            throw new IllegalArgumentException("positional array has " + count + " element(s); positional.fields names "
                    + names.size() + " (" + String.join(", ", names) + ")");
        }
        out.write('}');
        return out.toByteArray();
    }

    private static boolean isEmptyObject(byte[] doc, int from) {
        for (int i = from; i < doc.length; i++) {
            byte b = doc[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '}';
            }
        }
        return false;
    }

    /** {@code s} as a JSON string literal in UTF-8, quotes included. */
    static byte[] quote(String s) {
        return quoteToString(s).getBytes(StandardCharsets.UTF_8);
    }

    static String quoteToString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
