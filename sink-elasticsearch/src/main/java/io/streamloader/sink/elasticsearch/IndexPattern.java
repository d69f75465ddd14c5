package io.streamloader.sink.elasticsearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an event goes: a pattern of literal text, {@code {topic}}, and date patterns of the event's Kafka timestamp
 * in UTC ({@code {yyyy.MM.dd}}, {@code {yyyy-MM}}, any {@link DateTimeFormatter} pattern). The result is lower-cased,
 * as Elasticsearch requires. Immutable and thread-safe.
 */
public final class IndexPattern {
    /** {@code {topic}}: one index per topic. */
    public static final IndexPattern DEFAULT = parse("{topic}");

    private static final String FORBIDDEN = "\\/*?\"<>|,# :";

    private final String text;
    private final List<Part> parts;
    private final boolean usesTime;

    private sealed interface Part permits Literal, Topic, Time {}

    private record Literal(String text) implements Part {}

    private record Topic() implements Part {}

    private record Time(DateTimeFormatter format) implements Part {}

    private IndexPattern(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.usesTime = parts.stream().anyMatch(p -> p instanceof Time);
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    public static IndexPattern parse(String pattern) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) {
                parts.add(literal(pattern.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(literal(pattern.substring(i, open)));
            }
            int close = pattern.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + pattern + "' has an unclosed '{'");
            }
            String token = pattern.substring(open + 1, close);
            if (token.equals("topic")) {
                parts.add(new Topic());
            } else if (token.isBlank()) {
                throw new IllegalArgumentException("'" + pattern + "' has an empty {}");
            } else {
                try {
                    parts.add(new Time(
                            DateTimeFormatter.ofPattern(token, Locale.ROOT).withZone(ZoneOffset.UTC)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'{" + token + "}' is neither {topic} nor a date pattern such as"
                            + " {yyyy.MM.dd}: " + e.getMessage());
                }
            }
            i = close + 1;
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("index pattern must not be empty");
        }
        if (parts.getFirst() instanceof Literal l && "-_+".indexOf(l.text().charAt(0)) >= 0) {
            throw new IllegalArgumentException("'" + pattern + "': an index name must not start with '-', '_' or '+'");
        }
        return new IndexPattern(pattern, parts);
    }

    private static Literal literal(String text) {
        for (char c : text.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0 || c == '}') {
                throw new IllegalArgumentException("'" + text + "': an index name must not contain '" + c + "'");
            }
        }
        return new Literal(text);
    }

    /** Whether the index depends on the event timestamp (else it depends on the topic alone, and can be cached). */
    public boolean usesTime() {
        return usesTime;
    }

    /** The index for an event of {@code topic} with Kafka timestamp {@code timestamp}. */
    public String resolve(String topic, Instant timestamp) {
        StringBuilder out = new StringBuilder(32);
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Topic t -> out.append(topic);
                case Time t -> t.format().formatTo(timestamp, out);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
