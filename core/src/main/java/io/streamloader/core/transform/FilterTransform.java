package io.streamloader.core.transform;

import io.streamloader.core.pipeline.EventFilter;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code filter}: keeps ({@code action: keep}, the default) or drops the events for which a test holds. Select exactly
 * one of {@code header} (a record header's name), {@code json-pointer} (a field of the JSON value) or {@code
 * content-type} (a list of media types, compared without parameters and case); test with at most one of {@code equals}
 * (a list), {@code matches} (a regex over the whole text) or {@code exists: true} (the default). Dropped events are
 * committed unwritten. Never fails: a value that is not JSON has no fields.
 */
final class FilterTransform implements Transform {
    static final String TYPE = "filter";

    private final EventFilter filter;

    FilterTransform(EventFilter filter) {
        this.filter = filter;
    }

    @Override
    public Event apply(Event event) {
        return filter.accepts(event) ? event : null;
    }

    static final class Factory implements TransformFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Transform create(Map<String, String> config) {
            StepConfig c = new StepConfig(config);
            Optional<String> header = c.optional("header");
            Optional<String> pointer = c.optional("json-pointer");
            List<String> contentTypes = c.list("content-type");
            List<String> equals = c.list("equals");
            Optional<String> matches = c.optional("matches");
            boolean exists = c.bool("exists", true);
            boolean keep = c.oneOf("action", "keep", "drop").equals("keep");
            int selectors =
                    (header.isPresent() ? 1 : 0) + (pointer.isPresent() ? 1 : 0) + (c.has("content-type") ? 1 : 0);
            EventFilter.Selector selector = null;
            EventFilter.Test test = new EventFilter.Exists();
            if (selectors != 1) {
                c.problem(
                        "header",
                        "set exactly one of header (a record header), json-pointer (a field of the JSON value) and"
                                + " content-type (media types)");
            } else if (header.isPresent()) {
                if (header.get().isBlank()) {
                    c.problem("header", "must name a header");
                }
                selector = new EventFilter.Header(header.get());
            } else if (pointer.isPresent()) {
                try {
                    selector = new EventFilter.Pointer(pointer.get());
                } catch (IllegalArgumentException e) {
                    c.problem("json-pointer", "is not a JSON pointer (such as /type or /a/0/b): " + e.getMessage());
                }
            } else {
                if (contentTypes.isEmpty()) {
                    c.problem("content-type", "must list at least one media type, such as application/json");
                }
                if (c.has("equals") || c.has("matches") || c.has("exists")) {
                    c.problem("content-type", "is its own test: drop equals, matches and exists");
                }
                selector = new EventFilter.ContentType();
                test = new EventFilter.Equals(Set.copyOf(contentTypes.stream()
                        .map(t -> t.toLowerCase(Locale.ROOT))
                        .toList()));
            }
            if (!(selector instanceof EventFilter.ContentType)) {
                int tests = (c.has("equals") ? 1 : 0) + (matches.isPresent() ? 1 : 0) + (c.has("exists") ? 1 : 0);
                if (tests > 1) {
                    c.problem("equals", "set at most one of equals, matches and exists");
                }
                if (c.has("exists") && !exists) {
                    c.problem("exists", "may only be true; to take events without the value use action: drop");
                }
                if (c.has("equals") && equals.isEmpty()) {
                    c.problem("equals", "must list at least one value");
                }
                if (!equals.isEmpty()) {
                    test = new EventFilter.Equals(Set.copyOf(equals));
                } else if (matches.isPresent()) {
                    try {
                        test = new EventFilter.Matches(Pattern.compile(matches.get()));
                    } catch (PatternSyntaxException e) {
                        c.problem("matches", "is not a regular expression: " + e.getDescription());
                    }
                }
            }
            c.finish();
            return new FilterTransform(EventFilter.of(selector, test, keep));
        }
    }
}
