package io.streamloader.api;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Reply bodies as JSON bytes, written with {@link BodyParser#MAPPER}. */
final class Json {

    private Json() {}

    /** {@code value} (maps, lists, records of plain values) as JSON; a value Jackson cannot write is a bug here. */
    static byte[] bytes(Object value) {
        try {
            return BodyParser.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
