package io.streamloader.sink.mongo;

import java.util.regex.Pattern;

/** Hides secrets in anything that may reach a log. */
final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(mongodb(?:\\+srv)?://)([^@/]*)@");

    private Redaction() {}

    /** {@code mongodb://user:secret@host} → {@code mongodb://user:****@host}. */
    static String maskConnectionString(String connectionString) {
        var m = USER_INFO.matcher(connectionString);
        if (!m.find()) {
            return connectionString;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        String masked = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":****";
        return connectionString.substring(0, m.start(2)) + masked + connectionString.substring(m.end(2));
    }

    /** Removes {@code secret} from a message (driver messages may echo a connection string). */
    static String scrub(String message, String secret) {
        if (message == null) {
            return "";
        }
        return secret == null || secret.isEmpty() ? message : message.replace(secret, "****");
    }
}
