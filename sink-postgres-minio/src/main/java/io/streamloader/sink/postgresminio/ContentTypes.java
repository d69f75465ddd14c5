package io.streamloader.sink.postgresminio;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes an event's content type safe to send as an object's {@code Content-Type}: the S3 client refuses anything that
 * is not a well-formed RFC 2045 media type (a parameter without a value, {@code image/png; x}, control characters,
 * non-ASCII), and such an event must not be refused for it: its bytes are still worth storing.
 */
final class ContentTypes {
    static final String FALLBACK = "application/octet-stream";
    private static final int MAX_LENGTH = 256;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN);
    private static final Pattern PARAMETER =
            Pattern.compile(TOKEN + "=(?:" + TOKEN + "|\"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*\")");

    private ContentTypes() {}

    /**
     * The type and subtype, lower-cased, followed by the parameters that are well-formed ({@code name=token} or {@code
     * name="quoted"} without escapes); others are dropped. {@value #FALLBACK} when the type itself is unusable.
     */
    static String forObject(String contentType) {
        if (contentType == null || contentType.length() > MAX_LENGTH) {
            return FALLBACK;
        }
        String[] parts = contentType.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE.matcher(type).matches()) {
            return FALLBACK;
        }
        if (parts.length == 1) {
            return type;
        }
        StringBuilder out = new StringBuilder(type);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (PARAMETER.matcher(parameter).matches()) {
                out.append("; ").append(parameter);
            }
        }
        return out.toString();
    }
}
