package io.streamloader.api;

import io.streamloader.core.config.KeySecret;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key ({@code api.keys.<name>}): what its holder may write and how fast.
 *
 * @param name the entry's name: logged and used as the rate-limit bucket, never the secret
 * @param secret the key's digest
 * @param topics topics it may write, {@code *} for every topic the API serves
 * @param pins blob-key variables fixed by this identity ({@code api.keys.<name>.pin.<variable>}), e.g. {@code
 *     customer_id: acme}: a request carrying another value is refused, one without gets this value
 * @param rate requests per second this key may make on average; 0: unlimited ({@code .rate})
 * @param burst requests it may make at once above the rate ({@code .burst}; default the rate)
 */
public record ApiKey(
        String name, KeySecret secret, Set<String> topics, Map<String, String> pins, long rate, long burst) {

    /** The names {@link Blobs} accepts for metadata, so a pin can name any blob-key variable. */
    static final Pattern VARIABLE = Pattern.compile("[a-z0-9_.-]{1,64}");

    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        topics = Set.copyOf(topics);
        pins = Map.copyOf(pins);
        // every check runs, so that the binder reports all of them at once, each under its own key
        String at = "api.keys." + name;
        var p = new ApiConfigProblems();
        p.require(!topics.isEmpty(), at + ".topics", at + ".topics is empty; use [\"*\"] for all");
        pins.forEach((variable, value) -> {
            String key = at + ".pin." + variable;
            p.require(
                    VARIABLE.matcher(variable).matches(),
                    key,
                    key + " must be a variable name matching [a-z0-9_.-]{1,64}");
            p.require(
                    !value.isEmpty() && value.length() <= 1024 && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f),
                    key,
                    key + " must be 1 to 1024 characters without control characters");
        });
        p.require(rate >= 0, at + ".rate", at + ".rate must not be negative, got " + rate);
        p.require(
                burst >= 0 && (rate <= 0 || burst >= 1), at + ".burst", at + ".burst must be at least 1, got " + burst);
        p.throwIfAny();
    }

    /** Whether this key may write {@code topic}. */
    public boolean allows(String topic) {
        return topics.contains("*") || topics.contains(topic);
    }

    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", topics=" + topics + ", pins=" + pins + ", rate=" + rate + ", burst=" + burst
                + "]";
    }
}
