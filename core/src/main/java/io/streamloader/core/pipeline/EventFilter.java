package io.streamloader.core.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.spi.Event;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events a sink takes ({@code sinks.<name>.filter}): a value selected from the event (a header, or a field of its
 * JSON value by JSON pointer) tested for existence, equality with one of a set of values, or a full regex match; the
 * event is kept or dropped when the test holds. Events a sink does not take are committed, counted in {@code
 * streamloader.sink.events.filtered} and never handed to the sink.
 *
 * <p>Never throws: a value that is not JSON, too deep or too large for the parser has no fields, so a pointer test on it
 * does not hold. Immutable and thread-safe.
 */
public final class EventFilter {
    /** Takes every event: the default. */
    public static final EventFilter ALL = new EventFilter(null, new Exists(), true);

    /** Parses values for pointer tests; Jackson's default limits bound nesting, numbers and strings. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(500)
                    .maxStringLength(16 << 20)
                    .build())
            .build());

    private final Selector selector;
    private final Test test;
    private final boolean keep;

    private EventFilter(Selector selector, Test test, boolean keep) {
        this.selector = selector;
        this.test = Objects.requireNonNull(test, "test");
        this.keep = keep;
    }

    /** Where the tested value comes from. */
    public sealed interface Selector permits Header, Pointer, ContentType {}

    /** A record header's value (UTF-8), such as {@code content-type}. */
    public record Header(String name) implements Selector {
        public Header {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The event's media type without parameters, lower-cased ({@code application/json}, {@code image/png}). */
    public record ContentType() implements Selector {}

    /** A field of the JSON value; scalars compare as their text ({@code 42}, {@code true}, {@code null}). */
    public record Pointer(String expression) implements Selector {
        public Pointer {
            JsonPointer.compile(expression); // IllegalArgumentException names what is wrong
        }
    }

    /** What must hold of the selected value. */
    public sealed interface Test permits Exists, Equals, Matches {}

    /** The value is present (for a pointer: any JSON value, {@code null} included). */
    public record Exists() implements Test {}

    /** The value's text is one of {@code values}. */
    public record Equals(Set<String> values) implements Test {
        public Equals {
            values = Set.copyOf(values);
        }
    }

    /** The value's text matches {@code regex} as a whole. */
    public record Matches(Pattern regex) implements Test {
        public Matches {
            Objects.requireNonNull(regex, "regex");
        }
    }

    /** A filter that keeps ({@code keep}) or drops the events for which {@code test} holds of the selected value. */
    public static EventFilter of(Selector selector, Test test, boolean keep) {
        return new EventFilter(Objects.requireNonNull(selector, "selector"), test, keep);
    }

    /** Whether this filter takes every event. */
    public boolean takesAll() {
        return selector == null;
    }

    /** Whether the sink takes {@code event}. */
    public boolean accepts(Event event) {
        if (selector == null) {
            return true;
        }
        return holds(event) == keep;
    }

    private boolean holds(Event event) {
        Optional<String> text;
        boolean present;
        switch (selector) {
            case Header h -> {
                String value = event.headers().get(h.name());
                present = value != null;
                text = Optional.ofNullable(value);
            }
            case ContentType c -> {
                String type = event.contentType();
                int semicolon = type.indexOf(';');
                text = Optional.of((semicolon < 0 ? type : type.substring(0, semicolon))
                        .strip()
                        .toLowerCase(java.util.Locale.ROOT));
                present = true;
            }
            case Pointer p -> {
                JsonNode node = select(event, p.expression());
                present = node != null;
                text = node == null || node.isContainerNode() ? Optional.empty() : Optional.of(node.asText());
            }
        }
        return switch (test) {
            case Exists e -> present;
            case Equals e -> text.isPresent() && e.values().contains(text.get());
            case Matches m -> text.isPresent() && m.regex().matcher(text.get()).matches();
        };
    }

    private static JsonNode select(Event event, String pointer) {
        if (!event.isJson() || event.valueSize() == 0) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(event.valueAsString());
            if (root == null) {
                return null;
            }
            JsonNode node = root.at(pointer);
            return node.isMissingNode() ? null : node;
        } catch (Exception | StackOverflowError e) {
            return null; // not JSON, or beyond the parser's limits: no fields
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFilter f
                && keep == f.keep
                && Objects.equals(selector, f.selector)
                && describe(test).equals(describe(f.test));
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, describe(test), keep);
    }

    /** Patterns have no equality of their own: compared by their source. */
    private static String describe(Test test) {
        return test instanceof Matches m ? "matches " + m.regex().pattern() : test.toString();
    }

    @Override
    public String toString() {
        if (selector == null) {
            return "EventFilter[all]";
        }
        return "EventFilter[" + (keep ? "keep " : "drop ") + selector + " " + describe(test) + "]";
    }
}
