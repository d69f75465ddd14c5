package io.streamloader.sink.mongo;

import com.mongodb.MongoNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database and collection names from patterns with a {@code {topic}} placeholder. Topic characters MongoDB does not
 * allow in a name are replaced by {@code _}; literal parts are checked once, when the config is read.
 */
final class Namespaces {
    static final String TOPIC = "{topic}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    /** Characters a database name may not contain on any platform. */
    private static final Pattern BAD_DATABASE_CHARS = Pattern.compile("[/\\\\. \"$*<>:|?\\x00]");

    private Namespaces() {}

    static MongoNamespace resolve(String databasePattern, String collectionPattern, String topic) {
        String database =
                databasePattern.replace(TOPIC, BAD_DATABASE_CHARS.matcher(topic).replaceAll("_"));
        String collection = collectionPattern.replace(TOPIC, topic.replace('$', '_'));
        return new MongoNamespace(database, collection);
    }

    static boolean isLiteral(String pattern) {
        return !pattern.contains(TOPIC);
    }

    /** What is wrong with a database pattern, if anything. */
    static Optional<String> databaseProblem(String pattern) {
        return placeholderProblem(pattern).or(() -> {
            String literal = pattern.replace(TOPIC, "");
            if (BAD_DATABASE_CHARS.matcher(literal).find()) {
                return Optional.of("'" + pattern + "' contains a character MongoDB does not allow in database names"
                        + " (/\\. \"$*<>:|?)");
            }
            if (isLiteral(pattern) && pattern.length() > 63) {
                return Optional.of("'" + pattern + "' is longer than 63 characters");
            }
            return Optional.empty();
        });
    }

    /** What is wrong with a collection pattern, if anything. */
    static Optional<String> collectionProblem(String pattern) {
        return placeholderProblem(pattern).or(() -> {
            if (pattern.replace(TOPIC, "").contains("$")) {
                return Optional.of("'" + pattern + "' contains '$', which MongoDB does not allow in collection names");
            }
            if (pattern.startsWith("system.")) {
                return Optional.of("'" + pattern + "' is in the reserved system. namespace");
            }
            return Optional.empty();
        });
    }

    private static Optional<String> placeholderProblem(String pattern) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!m.group().equals(TOPIC)) {
                unknown.add(m.group());
            }
        }
        return unknown.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        "unknown placeholder " + String.join(", ", unknown) + "; only " + TOPIC + " is supported");
    }
}
