package io.streamloader.api;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/** Event ids: UUIDv7 when the client gives none, and the rules a client-given id must follow. */
final class EventIds {

    /** Printable ASCII without spaces, at most 200 characters: safe as a header, a Kafka key and a store id. */
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {}

    /** A time-ordered UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits. */
    static String uuidV7() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextLong();
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0fffL);
        long lsb = (randB & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The id unchanged if a client may use it, else a 400 naming {@code source}. */
    static String checkClientId(String id, String source) {
        if (!CLIENT_ID.matcher(id).matches()) {
            throw ApiProblem.badRequest(source + " must be 1 to 200 printable ASCII characters without spaces")
                    .with("field", source);
        }
        return id;
    }
}
