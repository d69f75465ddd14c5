package io.streamloader.sink.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config value that must never be printed: a password, an API key, a token. {@link #toString()} gives {@link #MASK}
 * (or {@code ""} when empty), so a config record holding one can be logged as a whole; only {@link #reveal()} gives
 * the value, at the one place that hands it to a client.
 *
 * <p>Also masks secrets written inside URLs ({@link #maskUrls}), wherever a URL or a message quoting one is printed.
 *
 * <p>Immutable and thread-safe.
 */
public final class Secret {

    /** What a secret prints as. */
    public static final String MASK = "****";

    /** No secret: {@link #isEmpty()}, prints as {@code ""}. */
    public static final Secret NONE = new Secret("");

    /** Name fragments (lower case, without {@code -_.}) that make a key or a URL parameter secret. */
    public static final List<String> NAME_FRAGMENTS = List.of(
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "apikey",
            "credential",
            "jaas",
            "privatekey",
            "signature",
            "sig");

    // the authority's user-info: greedy up to the last '@' before the path, so a raw '@' in a password is covered
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^/?#\\s]*)@");
    private static final Pattern PARAMETER = Pattern.compile("(?<=[?&;])([^=&;#\\s]+)=([^&;#\\s]*)");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** A secret holding {@code value}; an empty value gives {@link #NONE}. */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    /** The value itself: hand it to the client that needs it, never to a log or a message. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Whether a key or parameter named {@code name} holds a secret, by {@link #NAME_FRAGMENTS}. */
    public static boolean isSecretName(String name) {
        String squashed = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
        return NAME_FRAGMENTS.stream().anyMatch(squashed::contains);
    }

    /**
     * {@code text} with the secrets of every URL in it masked: the password of a user-info ({@code
     * scheme://user:****@host}, a user-info without a password is kept) and the value of each parameter with a secret
     * name ({@code ?user=a&password=****}). Works on any text (a JDBC or MongoDB URL, a message quoting one), and
     * masks too much rather than too little.
     */
    public static String maskUrls(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        Matcher user = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (user.find()) {
            String info = user.group(1);
            int colon = info.indexOf(':');
            String masked = colon < 0 ? info : info.substring(0, colon) + ":" + MASK;
            user.appendReplacement(out, Matcher.quoteReplacement(masked + "@"));
        }
        user.appendTail(out);
        Matcher parameter = PARAMETER.matcher(out.toString());
        StringBuilder result = new StringBuilder();
        while (parameter.find()) {
            String name = parameter.group(1);
            String replacement = isSecretName(name) ? name + "=" + MASK : parameter.group();
            parameter.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        parameter.appendTail(result);
        return result.toString();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "" : MASK;
    }

    /** Compares in constant time, so that equality checks leak nothing through timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the value would be a hint about it; secrets are not map keys
    }
}
