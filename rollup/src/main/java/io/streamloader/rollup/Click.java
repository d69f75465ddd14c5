package io.streamloader.rollup;

import java.util.Objects;

/**
 * One valid click, reduced to what the rollup needs.
 *
 * @param eventId the producer's event id ({@code sl-event-id}), or {@code topic-partition-offset} without one
 * @param userId the clicking user
 * @param url the page
 * @param country the user's country
 * @param timestampMillis when the click happened (the event's {@code timestamp}, UTC), epoch milliseconds
 */
public record Click(String eventId, String userId, String url, String country, long timestampMillis) {

    /** Separates url and country in the pair key; a country never contains it. */
    public static final char PAIR_SEPARATOR = '|';

    public Click {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(country, "country");
    }

    /** The rollup's key and document id: {@code url|country}. */
    public String pairKey() {
        return pairKey(url, country);
    }

    public static String pairKey(String url, String country) {
        return url + PAIR_SEPARATOR + country;
    }
}
