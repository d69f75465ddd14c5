package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.DeadLetterHeaders;
import io.streamloader.core.pipeline.EventFilter;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SupervisionPolicy;
import io.streamloader.core.pipeline.SupervisionPolicy.OnFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SinkSettingsBinderTest {

    private final ConfigProblems problems = new ConfigProblems();

    private Optional<RunnerSettings> bind(String yaml) {
        ConfigNode root = ConfigLoader.readTree(yaml, Map.of(), problems);
        Optional<RunnerSettings> settings =
                SinkSettingsBinder.bind("search", root.section("sinks").section("search"), Set.of("events", "other"));
        root.finish();
        return settings;
    }

    @Test
    void defaults() {
        assertThat(bind("sinks: {search: {type: elasticsearch, topics: [events]}}"))
                .contains(RunnerSettings.builder("search")
                        .type("elasticsearch")
                        .topics(List.of("events"))
                        .groupId("streamloader.search")
                        .workers(1)
                        .batch(new BatchPolicy(
                                BatchPolicy.SINK_DEFAULT_RECORDS,
                                BatchPolicy.DEFAULT.maxBytes(),
                                BatchPolicy.DEFAULT.maxLinger()))
                        .retry(RetryPolicy.DEFAULT)
                        .deadLetterTopic("{topic}.dlq")
                        .sinkConfig(Map.of())
                        .build());
        assertThat(bind("sinks: {search: {type: elasticsearch, topics: [events]}}")
                        .orElseThrow()
                        .deadLetterHeaders())
                .isEqualTo(DeadLetterHeaders.BOTH);
        assertThat(RetryPolicy.DEFAULT.giveUpAfter()).isZero(); // retries an outage for ever
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void foreverIsTheUnboundedRetryAndZeroIsRefusedAsAmbiguous() {
        var forever = bind("""
                sinks:
                  search:
                    type: elasticsearch
                    topics: [events]
                    retry: {give-up-after: forever, event-give-up-after: FOREVER}
                """);
        assertThat(forever.orElseThrow().retry().giveUpAfter()).isZero();
        assertThat(forever.orElseThrow().retry().eventGiveUpAfter()).isZero();
        assertThat(problems.list()).isEmpty();

        assertThat(bind("""
                        sinks:
                          search:
                            type: elasticsearch
                            topics: [events]
                            retry: {give-up-after: 0s, event-give-up-after: 0}
                        """)).isEmpty();
        String ambiguous = "0 is ambiguous (Kafka Connect's errors.retry.timeout 0 means never retry; here it meant"
                + " retry for ever): write forever, or a positive duration such as 1ms to dead-letter at the first"
                + " retriable failure, was ";
        assertThat(problems.list())
                .containsExactly(
                        "sinks.search.retry.give-up-after: " + ambiguous + "\"0s\"",
                        "sinks.search.retry.event-give-up-after: " + ambiguous + "\"0\"");
    }

    @Test
    void everyKeyMapped() {
        Optional<RunnerSettings> settings = bind("""
                sinks:
                  search:
                    type: elasticsearch
                    topics: [events, other]
                    group-id: custom.group
                    workers: 3
                    batch: {max-records: 10, max-bytes: 64KiB, max-linger: 1s}
                    retry:
                      initial-backoff: 1s
                      max-backoff: 1m
                      multiplier: 3
                      jitter: 0.5
                      give-up-after: 1h
                      event-give-up-after: 10m
                    dead-letter: {topic: "dlq.{topic}", headers: connect}
                    on-failure: exit
                    restart: {initial-backoff: 5s, max-backoff: 10m}
                    config: {urls: "http://es:9200", auth: {username: elastic}}
                """);
        assertThat(settings)
                .contains(RunnerSettings.builder("search")
                        .type("elasticsearch")
                        .topics(List.of("events", "other"))
                        .groupId("custom.group")
                        .workers(3)
                        .batch(new BatchPolicy(10, 65536, Duration.ofSeconds(1)))
                        .retry(new RetryPolicy(
                                Duration.ofSeconds(1),
                                Duration.ofMinutes(1),
                                3.0,
                                0.5,
                                Duration.ofHours(1),
                                Duration.ofMinutes(10)))
                        .deadLetterTopic("dlq.{topic}")
                        .sinkConfig(Map.of("urls", "http://es:9200", "auth.username", "elastic"))
                        .supervision(
                                new SupervisionPolicy(OnFailure.EXIT, Duration.ofSeconds(5), Duration.ofMinutes(10)))
                        .deadLetterHeaders(DeadLetterHeaders.CONNECT)
                        .filter(EventFilter.ALL)
                        .build());
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyBadValueIsAProblemWithItsKeyPath() {
        Optional<RunnerSettings> settings = bind("""
                sinks:
                  search:
                    topics: [events, nope]
                    workers: 0
                    batch: {max-records: 0, max-bytes: 0, max-linger: 5}
                    retry: {initial-backoff: 0s, max-backoff: 50ms, multiplier: 0.5, jitter: 2, event-give-up-after: soon}
                    dead-letter: {topic: "bad topic", headers: kafka}
                    on-failure: reboot
                    restart: {initial-backoff: 0s, max-backoff: 10ms}
                """);
        assertThat(settings).isEmpty();
        assertThat(problems.list())
                .containsExactly(
                        "sinks.search.type: is required",
                        "sinks.search.topics: topic nope must be listed under topics: (listed: events, other)",
                        "sinks.search.workers: must be at least 1, was 0",
                        "sinks.search.batch.max-records: must be at least 1, was 0",
                        "sinks.search.batch.max-bytes: must be at least 1 byte, was 0",
                        "sinks.search.batch.max-linger: expected " + Durations.FORMS
                                + ", was \"5\" (a bare number has no unit; write 5ms or 5s)",
                        "sinks.search.retry.initial-backoff: must be positive, was 0s",
                        "sinks.search.retry.max-backoff: must not be below initial-backoff (100ms), was 50ms",
                        "sinks.search.retry.multiplier: must be at least 1.0, was 0.5",
                        "sinks.search.retry.jitter: must be at most 1.0, was 2",
                        "sinks.search.retry.event-give-up-after: expected forever or " + Durations.FORMS
                                + ", was \"soon\"",
                        "sinks.search.dead-letter.topic: is not a legal Kafka topic name pattern: use a-z, A-Z, 0-9,"
                                + " '.', '_', '-' and {topic}, was \"bad topic\"",
                        "sinks.search.dead-letter.headers: must be one of streamloader, connect, both, was \"kafka\"",
                        "sinks.search.on-failure: must be one of restart, stop, exit, was \"reboot\"",
                        "sinks.search.restart.initial-backoff: must be positive, was 0s",
                        "sinks.search.restart.max-backoff: must not be below initial-backoff (1s), was 10ms");
    }

    @Test
    void missingTopicsIsAProblem() {
        bind("sinks: {search: {type: x}}");
        assertThat(problems.list())
                .containsExactly("sinks.search.topics: is required: list the topics this sink consumes");
    }

    @Test
    void filterBindsEachSelectorAndTest() {
        assertThat(bind("sinks: {search: {type: x, topics: [events], filter: {json-pointer: /vin}}}")
                        .orElseThrow()
                        .filter())
                .isEqualTo(EventFilter.of(new EventFilter.Pointer("/vin"), new EventFilter.Exists(), true));
        assertThat(bind("sinks: {search: {type: x, topics: [events], filter: {header: sl-route, equals: [a, b],"
                                + " action: drop}}}")
                        .orElseThrow()
                        .filter())
                .isEqualTo(EventFilter.of(
                        new EventFilter.Header("sl-route"), new EventFilter.Equals(Set.of("a", "b")), false));
        assertThat(bind("sinks: {search: {type: x, topics: [events], filter: {json-pointer: /type, matches: 't.*'}}}")
                        .orElseThrow()
                        .filter())
                .isEqualTo(EventFilter.of(
                        new EventFilter.Pointer("/type"),
                        new EventFilter.Matches(java.util.regex.Pattern.compile("t.*")),
                        true));
        assertThat(bind("sinks: {search: {type: x, topics: [events]}}")
                        .orElseThrow()
                        .filter())
                .isSameAs(EventFilter.ALL);
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyBadFilterValueIsAProblemWithItsKeyPath() {
        bind("""
                sinks:
                  search:
                    type: x
                    topics: [events]
                    filter: {json-pointer: "vin", equals: [], matches: "(", action: keep-it, typo: 1}
                """);
        assertThat(problems.list())
                .containsExactly(
                        "sinks.search.filter.action: must be keep or drop, was \"keep-it\"",
                        "sinks.search.filter.json-pointer: is not a JSON pointer (such as /type or /a/0/b): Invalid"
                                + " input: JSON Pointer expression must start with '/': \"vin\"",
                        "sinks.search.filter: set at most one of equals, matches and exists",
                        "sinks.search.filter.equals: must list at least one value",
                        "sinks.search.filter.matches: is not a regular expression: Unclosed group",
                        "sinks.search.filter.typo: unknown key; known keys here: header, json-pointer, equals, matches,"
                                + " exists, action");
    }

    @Test
    void filterNeedsExactlyOneSelector() {
        bind("sinks: {search: {type: x, topics: [events], filter: {header: a, json-pointer: /b}}}");
        bind("sinks: {search: {type: x, topics: [events], filter: {equals: a}}}");
        assertThat(problems.list())
                .containsOnly("sinks.search.filter: set exactly one of header (a record header) and json-pointer (a"
                        + " field of the JSON value)");
    }
}
