package io.streamloader.sink.mongo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.streamloader.spi.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code arrays: split}: an event whose value is a JSON array (what seed 002's footdata producer writes to its topic,
 * one array of matches per record) becomes one document per element. Element i is stored under its {@code
 * arrays.id-field} value, or, when it has none, under {@code <event id>-<i>}: both are the same on every delivery,
 * so a redelivered array replaces its documents instead of adding copies.
 *
 * <p>Per event, all or nothing before the write: if any element cannot be stored (not an object, too large, invalid,
 * ...) the whole event is rejected, with the element's index in the reason, and none of its elements is written. The
 * array is walked without building anything (Jackson's streaming parser skips each element) and refused as soon as it
 * has more than {@code arrays.max-elements} elements, so a hostile 10-million-element array costs one partial scan.
 *
 * <p>Not thread-safe: its converters reuse their buffers, as {@link DocumentConverter}.
 */
final class ArrayElements {
    /** Default read constraints: nesting past 1000 levels is a parse error, so skipping is bounded too. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final String MISSING_ID_FIELD = "missing_id_field";

    private final Optional<DocumentConverter> byIdField;
    private final DocumentConverter byElementId;
    private final int maxElements;

    /**
     * @param idField dotted path of the element field holding its {@code _id}; empty: every element's is {@code
     *     <event id>-<index>}
     * @param maxElements more elements than this reject the event
     */
    ArrayElements(Optional<String> idField, List<String> dateFields, int maxDocumentSize, int maxElements) {
        this.byIdField = idField.map(f -> new DocumentConverter(Optional.of(f), dateFields, maxDocumentSize));
        this.byElementId = new DocumentConverter(Optional.empty(), dateFields, maxDocumentSize);
        this.maxElements = maxElements;
    }

    /** Whether the event's value is JSON starting with {@code [} (after white space and a UTF-8 byte order mark). */
    static boolean isArray(Event event) {
        if (!event.isJson()) {
            return false;
        }
        ByteBuffer value = event.value();
        int i = start(value);
        return i < value.limit() && value.get(i) == '[';
    }

    /** The documents of the array's elements, or the reason the event cannot be stored; never throws. */
    Converted split(Event event) {
        ByteBuffer value = event.value();
        byte[] json = new byte[value.remaining()];
        value.get(value.position(), json);
        for (int i = 0; i < Math.min(4, json.length); i++) {
            if (json[i] == 0) { // Jackson would guess UTF-16 or UTF-32; a raw NUL is never valid JSON
                return invalidJson("a NUL byte at " + i);
            }
        }
        int[] bounds = new int[16];
        int count = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken(); // the '['
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    return invalidJson("the array is not closed");
                }
                if (count == maxElements) {
                    return new Converted.Rejected(
                            "the array has more than " + maxElements
                                    + " elements, the limit set by the sink setting arrays.max-elements",
                            "too_many_elements");
                }
                if (token != JsonToken.START_OBJECT) {
                    return new Converted.Rejected(
                            "array element " + count + " is " + describe(token)
                                    + "; only JSON objects can be stored as documents",
                            "not_json_object");
                }
                if (2 * count + 2 > bounds.length) {
                    bounds = Arrays.copyOf(bounds, 2 * bounds.length);
                }
                bounds[2 * count] = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                bounds[2 * count + 1] = (int) parser.currentLocation().getByteOffset();
                count++;
            }
            int end = (int) parser.currentLocation().getByteOffset();
            if (JsonBytes.skipWhiteSpace(json, end, json.length) != json.length) {
                return invalidJson("there is more after the array's closing ']'");
            }
        } catch (JsonProcessingException e) {
            return invalidJson(e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return invalidJson(e.toString());
        }
        List<Converted.Document> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Converted element = convert(json, bounds[2 * i], bounds[2 * i + 1], event.id() + "-" + i);
            switch (element) {
                case Converted.Document d -> documents.add(d);
                case Converted.Rejected r -> {
                    return new Converted.Rejected("array element " + i + ": " + r.reason(), r.errorClass());
                }
                case Converted.Elements e -> throw new IllegalStateException("an element is one document");
            }
        }
        return new Converted.Elements(documents);
    }

    private Converted convert(byte[] json, int from, int to, String elementId) {
        if (byIdField.isPresent()) {
            Converted converted = byIdField.get().convert(ByteBuffer.wrap(json, from, to - from), elementId);
            if (!(converted instanceof Converted.Rejected r) || !r.errorClass().equals(MISSING_ID_FIELD)) {
                return converted;
            }
        }
        return byElementId.convert(ByteBuffer.wrap(json, from, to - from), elementId);
    }

    /** The index of the first byte after a UTF-8 byte order mark and JSON white space. */
    private static int start(ByteBuffer value) {
        int i = value.position();
        int limit = value.limit();
        if (limit - i >= 3
                && value.get(i) == (byte) 0xEF
                && value.get(i + 1) == (byte) 0xBB
                && value.get(i + 2) == (byte) 0xBF) {
            i += 3;
        }
        while (i < limit) {
            byte b = value.get(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a JSON array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not a JSON object";
        };
    }

    private static Converted invalidJson(String why) {
        return new Converted.Rejected("value is not a valid JSON array: " + why, "invalid_json");
    }
}
