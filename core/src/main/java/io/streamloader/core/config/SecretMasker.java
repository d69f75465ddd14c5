package io.streamloader.core.config;

import io.streamloader.sink.support.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks the values of secret keys before a config is printed or logged.
 *
 * <p>A key is secret when it is one of the explicit keys (a {@link io.streamloader.spi.SinkFactory#secretKeys()}), or
 * when its name contains one of the generic {@link #PATTERNS} ignoring case and treating {@code -}, {@code _} and
 * {@code .} alike: {@code sasl.jaas.config}, {@code ssl.key.password}, {@code auth.api-key} are all secret. Masking
 * too much is harmless; missing a secret is not, so the patterns are broad.
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretMasker {

    /** What a masked value prints as. */
    public static final String MASK = "****";

    /** Name fragments that make any key secret. */
    public static final List<String> PATTERNS =
            List.of("password", "passwd", "secret", "token", "apikey", "credential", "jaas", "privatekey");

    private static final SecretMasker GENERIC = new SecretMasker(Set.of());

    private final Set<String> secretKeys;

    private SecretMasker(Set<String> secretKeys) {
        this.secretKeys = Set.copyOf(secretKeys);
    }

    /** Masks keys matching the generic patterns only. */
    public static SecretMasker generic() {
        return GENERIC;
    }

    /** Masks {@code secretKeys} exactly as written, plus the generic patterns. */
    public static SecretMasker withKeys(Set<String> secretKeys) {
        return new SecretMasker(secretKeys);
    }

    /** Whether {@code key}'s value must not be shown. */
    public boolean isSecret(String key) {
        if (secretKeys.contains(key)) {
            return true;
        }
        String squashed = key.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
        return PATTERNS.stream().anyMatch(squashed::contains);
    }

    /**
     * The value to print for {@code key}: {@link #MASK} for a secret, else {@code value} with the secrets of any URL in
     * it masked ({@link Secret#maskUrls}: a JDBC or connection-string password is not a key of its own).
     */
    public String mask(String key, String value) {
        return isSecret(key) ? MASK : Secret.maskUrls(value);
    }

    /** A copy of {@code config} with secret values masked, in the same iteration order. */
    public Map<String, String> mask(Map<String, String> config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, mask(k, v)));
        return out;
    }
}
