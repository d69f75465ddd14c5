package io.streamloader.core.config;

import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.DeadLetterHeaders;
import io.streamloader.core.pipeline.EventFilter;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SupervisionPolicy;
import io.streamloader.core.pipeline.SupervisionPolicy.OnFailure;
import io.streamloader.core.pipeline.TransformChain;
import io.streamloader.core.pipeline.TransformSpec;
import io.streamloader.core.transform.BuiltinTransforms;
import io.streamloader.spi.TransformConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds one entry under {@code sinks:} to {@link RunnerSettings}.
 *
 * <pre>
 * sinks:
 *   search:
 *     type: elasticsearch            # required: a SinkFactory type
 *     enabled: true                  # false keeps the entry but starts no runner
 *     topics: [events]               # required; each must be listed under topics:
 *     group-id: streamloader.search  # default streamloader.&lt;name&gt;
 *     workers: 1                     # consumer threads, 1..256
 *     batch: { max-records: 1000, max-bytes: 8MiB, max-linger: 200ms }   # max-records: default the sink's
 *     retry: { initial-backoff: 100ms, max-backoff: 30s, multiplier: 2.0, jitter: 0.2, give-up-after: forever,
 *            event-give-up-after: 5m }   # a bound is forever or a positive duration; 0 is refused as ambiguous
 *     dead-letter: { topic: "{topic}.dlq", headers: both }   # headers: streamloader | connect | both
 *     on-failure: restart            # restart | stop | exit (the process, exit code 1)
 *     restart: { initial-backoff: 1s, max-backoff: 1m }
 *     filter: { json-pointer: /vin, exists: true, action: keep }   # which events the sink takes; default all
 *     transforms:                    # ordered steps after filter: filter, insert-field, rename-field, drop-field,
 *       - { type: insert-field, field: timestamp, value: event-time, format: epoch-seconds }   # route, decode, plugins
 *     config: { urls: http://localhost:9200 }   # the sink's own keys, flattened, passed to its factory
 * </pre>
 */
final class SinkSettingsBinder {

    static final int MAX_WORKERS = 256;
    /** The retry bound that never gives up (the default of {@code retry.give-up-after}). */
    static final String FOREVER = "forever";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private SinkSettingsBinder() {}

    /** Whether {@code sinks.<name>} is enabled; read separately so disabled sinks are still validated. */
    static boolean enabled(ConfigNode node) {
        return node.bool("enabled", true);
    }

    /** The settings, or empty when they are invalid (each problem then recorded with its key path). */
    static Optional<RunnerSettings> bind(String name, ConfigNode node, Set<String> knownTopics) {
        int problemsBefore = node.problems().size();
        if (!NAME.matcher(name).matches()) {
            node.problem("sink names may only use a-z, A-Z, 0-9, '.', '_' and '-' (the name is part of the group id)");
        }
        String type = node.requiredString("type");
        List<String> topics = node.stringList("topics", List.of());
        if (topics.isEmpty()) {
            node.problem("topics", "is required: list the topics this sink consumes");
        }
        List<String> unlisted =
                topics.stream().filter(t -> !knownTopics.contains(t)).toList();
        if (!unlisted.isEmpty()) {
            node.problem(
                    "topics",
                    (unlisted.size() == 1 ? "topic " : "topics ") + String.join(", ", unlisted)
                            + " must be listed under topics: (listed: "
                            + String.join(", ", knownTopics.stream().sorted().toList()) + ")");
        }
        String groupId = node.string("group-id", RunnerSettings.defaultGroupId(name));
        int workers = node.integer("workers", 1, 1, MAX_WORKERS);
        BatchPolicy batch = batch(node.section("batch"));
        RetryPolicy retry = retry(node.section("retry"));
        ConfigNode deadLetterNode = node.section("dead-letter");
        String deadLetter = deadLetterTopic(deadLetterNode);
        DeadLetterHeaders headers = deadLetterHeaders(deadLetterNode);
        SupervisionPolicy supervision = supervision(node);
        EventFilter filter = filter(node.section("filter"));
        TransformChain transforms = transforms(node);
        var sinkConfig = node.flatStringMap("config");
        if (node.problems().size() > problemsBefore) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunnerSettings.builder(name)
                    .type(type)
                    .topics(topics)
                    .groupId(groupId)
                    .workers(workers)
                    .batch(batch)
                    .retry(retry)
                    .deadLetterTopic(deadLetter)
                    .sinkConfig(sinkConfig)
                    .supervision(supervision)
                    .deadLetterHeaders(headers)
                    .filter(filter)
                    .transforms(transforms)
                    .build());
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return Optional.empty();
        }
    }

    private static BatchPolicy batch(ConfigNode node) {
        BatchPolicy d = BatchPolicy.DEFAULT;
        // unset: the sink's own default (SinkFactory.defaultBatchRecords), which the runner resolves
        int maxRecords = node.integer("max-records", BatchPolicy.SINK_DEFAULT_RECORDS, 1, Integer.MAX_VALUE);
        long maxBytes = node.bytes("max-bytes", d.maxBytes());
        if (maxBytes < 1) {
            node.problem("max-bytes", "must be at least 1 byte, was " + maxBytes);
            maxBytes = d.maxBytes();
        }
        return new BatchPolicy(maxRecords, maxBytes, node.duration("max-linger", d.maxLinger()));
    }

    private static RetryPolicy retry(ConfigNode node) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        Backoff backoff = backoff(node, d.initialBackoff(), d.maxBackoff());
        Duration initial = backoff.initial();
        Duration max = backoff.max();
        double multiplier = node.doubleValue("multiplier", d.multiplier(), 1.0, 100.0);
        double jitter = node.doubleValue("jitter", d.jitter(), 0.0, 1.0);
        Duration giveUp = bound(node, "give-up-after", d.giveUpAfter());
        Duration eventGiveUp = bound(node, "event-give-up-after", d.eventGiveUpAfter());
        return new RetryPolicy(initial, max, multiplier, jitter, giveUp, eventGiveUp);
    }

    /**
     * A retry bound: {@code forever} ({@link Duration#ZERO} in {@link RetryPolicy}) or a positive duration. {@code 0}
     * is refused: Kafka Connect's {@code errors.retry.timeout: 0} means "never retry", streamloader's {@code 0s} meant
     * "retry for ever", and a config carried from one to the other must not silently mean the opposite.
     */
    private static Duration bound(ConfigNode node, String key, Duration defaultValue) {
        Optional<String> raw = node.optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get().strip();
        if (text.equalsIgnoreCase(FOREVER)) {
            return Duration.ZERO;
        }
        Duration value;
        try {
            value = text.matches("0+") ? Duration.ZERO : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            node.problem(key, e.getMessage().replaceFirst("^expected ", "expected " + FOREVER + " or "));
            return defaultValue;
        }
        if (value.isZero()) {
            node.problem(
                    key,
                    "0 is ambiguous (Kafka Connect's errors.retry.timeout 0 means never retry; here it meant retry for"
                            + " ever): write forever, or a positive duration such as 1ms to dead-letter at the first"
                            + " retriable failure, was " + Durations.quoted(raw.get()));
            return defaultValue;
        }
        return value;
    }

    private static DeadLetterHeaders deadLetterHeaders(ConfigNode node) {
        String value = node.string("headers", DeadLetterHeaders.BOTH.configName());
        return DeadLetterHeaders.of(value).orElseGet(() -> {
            node.problem("headers", "must be one of streamloader, connect, both, was " + Durations.quoted(value));
            return DeadLetterHeaders.BOTH;
        });
    }

    private static SupervisionPolicy supervision(ConfigNode node) {
        SupervisionPolicy d = SupervisionPolicy.DEFAULT;
        String value = node.string("on-failure", d.onFailure().configName());
        OnFailure onFailure = Arrays.stream(OnFailure.values())
                .filter(o -> o.configName().equals(value))
                .findFirst()
                .orElse(null);
        if (onFailure == null) {
            node.problem("on-failure", "must be one of restart, stop, exit, was " + Durations.quoted(value));
            onFailure = d.onFailure();
        }
        Backoff restart = backoff(node.section("restart"), d.initialBackoff(), d.maxBackoff());
        return new SupervisionPolicy(onFailure, restart.initial(), restart.max());
    }

    /**
     * {@code filter}: exactly one of {@code header} (a record header's name) or {@code json-pointer} (a field of the
     * JSON value, RFC 6901); at most one of {@code equals} (a value or a list), {@code matches} (a regex the whole value
     * must match) and {@code exists: true} (the default test); {@code action} keep (default) or drop.
     */
    private static EventFilter filter(ConfigNode node) {
        if (!node.isPresent()) {
            return EventFilter.ALL;
        }
        Optional<String> header = node.optionalString("header");
        Optional<String> pointer = node.optionalString("json-pointer");
        List<String> equals = node.stringList("equals", List.of());
        Optional<String> matches = node.optionalString("matches");
        boolean exists = node.bool("exists", true);
        String action = node.string("action", "keep");
        boolean keep = action.equals("keep");
        if (!keep && !action.equals("drop")) {
            node.problem("action", "must be keep or drop, was " + Durations.quoted(action));
        }
        EventFilter.Selector selector = null;
        if (header.isPresent() == pointer.isPresent()) {
            node.problem("set exactly one of header (a record header) and json-pointer (a field of the JSON value)");
        } else if (header.isPresent()) {
            if (header.get().isBlank()) {
                node.problem("header", "must name a header");
            }
            selector = new EventFilter.Header(header.get());
        } else {
            try {
                selector = new EventFilter.Pointer(pointer.get());
            } catch (IllegalArgumentException e) {
                node.problem("json-pointer", "is not a JSON pointer (such as /type or /a/0/b): " + e.getMessage());
            }
        }
        int tests = (node.has("equals") ? 1 : 0) + (matches.isPresent() ? 1 : 0) + (node.has("exists") ? 1 : 0);
        if (tests > 1) {
            node.problem("set at most one of equals, matches and exists");
        }
        if (node.has("exists") && !exists) {
            node.problem("exists", "may only be true; to take events without the value use action: drop");
        }
        if (node.has("equals") && equals.isEmpty()) {
            node.problem("equals", "must list at least one value");
        }
        EventFilter.Test test = new EventFilter.Exists();
        if (!equals.isEmpty()) {
            test = new EventFilter.Equals(java.util.Set.copyOf(equals));
        } else if (matches.isPresent()) {
            try {
                test = new EventFilter.Matches(Pattern.compile(matches.get()));
            } catch (java.util.regex.PatternSyntaxException e) {
                node.problem("matches", "is not a regular expression: " + e.getDescription());
            }
        }
        return selector == null ? EventFilter.ALL : EventFilter.of(selector, test, keep);
    }

    /**
     * {@code transforms}: a list of steps, each with a {@code type} and that type's keys. Built-in types are created
     * here, so their problems are reported with the rest of the file; other types are left for the launcher to resolve
     * once plugins are loaded.
     */
    private static TransformChain transforms(ConfigNode node) {
        List<Map<String, String>> items = node.flatMappingList("transforms");
        List<TransformSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = node.keyPath("transforms") + "[" + i + "]";
            Map<String, String> item = new java.util.LinkedHashMap<>(items.get(i));
            String type = item.remove("type");
            if (type == null || type.isBlank()) {
                node.problems().add(path + ".type", "is required: a transform type such as filter or insert-field");
                continue;
            }
            specs.add(new TransformSpec(path, type.strip(), item));
        }
        TransformChain chain = TransformChain.of(specs);
        boolean allBuiltin =
                specs.stream().allMatch(s -> BuiltinTransforms.find(s.type()).isPresent());
        try {
            // only the built-in steps; plugin types are checked by the launcher
            TransformChain builtins = TransformChain.of(specs.stream()
                            .filter(s -> BuiltinTransforms.find(s.type()).isPresent())
                            .toList())
                    .resolve(BuiltinTransforms::find);
            return allBuiltin ? builtins : chain;
        } catch (TransformConfigException e) {
            for (String p : e.problems()) {
                int colon = p.indexOf(": ");
                node.problems().add(p.substring(0, Math.max(colon, 0)), p.substring(colon + 2));
            }
            return chain;
        }
    }

    private static String deadLetterTopic(ConfigNode node) {
        String pattern = node.string("topic", RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC);
        if (!TopicSettings.isLegalName(pattern.replace("{topic}", "t"))) {
            node.problem(
                    "topic",
                    "is not a legal Kafka topic name pattern: use a-z, A-Z, 0-9, '.', '_', '-' and {topic}, was "
                            + Durations.quoted(pattern));
            return RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC;
        }
        return pattern;
    }

    /** A positive {@code initial-backoff} and a {@code max-backoff} not below it; problems name the keys. */
    private static Backoff backoff(ConfigNode node, Duration defaultInitial, Duration defaultMax) {
        Duration initial = node.duration("initial-backoff", defaultInitial);
        if (initial.isZero()) {
            node.problem("initial-backoff", "must be positive, was 0s");
            initial = defaultInitial;
        }
        Duration max = node.duration("max-backoff", defaultMax);
        if (max.compareTo(initial) < 0) {
            node.problem(
                    "max-backoff",
                    "must not be below initial-backoff (" + Durations.format(initial) + "), was "
                            + Durations.format(max));
            max = initial;
        }
        return new Backoff(initial, max);
    }

    private record Backoff(Duration initial, Duration max) {}
}
