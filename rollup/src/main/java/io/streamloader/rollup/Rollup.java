package io.streamloader.rollup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * The running totals of one (url, country) pair. Order-independent: adding the same clicks in any order gives the same
 * rollup, which is what makes late and out-of-order clicks harmless.
 *
 * @param url the page
 * @param country the country
 * @param clicks clicks counted (duplicates excluded)
 * @param uniqueUsers distinct users among them
 * @param firstClickMillis the earliest click's timestamp, epoch milliseconds
 * @param lastClickMillis the latest click's timestamp, epoch milliseconds
 */
public record Rollup(
        String url, String country, long clicks, long uniqueUsers, long firstClickMillis, long lastClickMillis) {

    private static final JsonFactory JSON = new JsonFactory();

    public Rollup {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(country, "country");
    }

    /** The rollup of no clicks, before the first one is added. */
    public static Rollup empty() {
        return new Rollup("", "", 0, 0, Long.MAX_VALUE, Long.MIN_VALUE);
    }

    /** This rollup with one more click, from a user not seen before on this pair if {@code newUser}. */
    public Rollup add(Click click, boolean newUser) {
        return new Rollup(
                click.url(),
                click.country(),
                clicks + 1,
                uniqueUsers + (newUser ? 1 : 0),
                Math.min(firstClickMillis, click.timestampMillis()),
                Math.max(lastClickMillis, click.timestampMillis()));
    }

    /** Whole seconds from the first click to the last. */
    public long timeSpentSeconds() {
        return clicks == 0 ? 0 : Math.floorDiv(lastClickMillis - firstClickMillis, 1000);
    }

    /** {@link #timeSpentSeconds()} per unique user, to the millisecond. */
    public BigDecimal averageTimeSeconds() {
        if (uniqueUsers == 0) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(timeSpentSeconds())
                .divide(BigDecimal.valueOf(uniqueUsers), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }

    /** {@link #averageTimeSeconds()} as {@code [d.]HH:mm:ss}, whole seconds truncated; days never wrap. */
    public String averageTime() {
        return AverageTime.format(uniqueUsers == 0 ? 0 : timeSpentSeconds() / uniqueUsers);
    }

    /**
     * The {@code click_events} document: {@code url}, {@code country}, {@code clicks}, {@code unique_users}, {@code
     * first_click} and {@code last_click} (ISO-8601 UTC), {@code time_spent_sec}, {@code average_time_sec} (a number)
     * and {@code average_time} ({@code [d.]HH:mm:ss}).
     */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + url.length() + country.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("url", url);
            g.writeStringField("country", country);
            g.writeNumberField("clicks", clicks);
            g.writeNumberField("unique_users", uniqueUsers);
            g.writeStringField(
                    "first_click", Instant.ofEpochMilli(firstClickMillis).toString());
            g.writeStringField(
                    "last_click", Instant.ofEpochMilli(lastClickMillis).toString());
            g.writeNumberField("time_spent_sec", timeSpentSeconds());
            g.writeFieldName("average_time_sec");
            g.writeNumber(averageTimeSeconds().toPlainString());
            g.writeStringField("average_time", averageTime());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
