package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.TransformSpec;
import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code sinks.<name>.transforms}: bound in order, built-ins created at config check, problems by key path. */
class TransformsConfigTest {

    private final ConfigProblems problems = new ConfigProblems();

    private Optional<RunnerSettings> bind(String yaml) {
        ConfigNode root = ConfigLoader.readTree(yaml, Map.of(), problems);
        Optional<RunnerSettings> settings =
                SinkSettingsBinder.bind("fleet", root.section("sinks").section("fleet"), Set.of("events"));
        root.finish();
        return settings;
    }

    @Test
    void noTransformsByDefault() {
        RunnerSettings s =
                bind("sinks: {fleet: {type: mongo, topics: [events]}}").orElseThrow();
        assertThat(s.transforms().isEmpty()).isTrue();
        assertThat(s.transforms().isResolved()).isTrue();
    }

    @Test
    void builtInStepsAreBoundInOrderAndResolved() throws Exception {
        RunnerSettings s = bind("""
                        sinks:
                          fleet:
                            type: mongo
                            topics: [events]
                            transforms:
                              - { type: filter, json-pointer: /vin }
                              - { type: insert-field, field: timestamp, value: event-time, format: epoch-seconds }
                              - { type: drop-field, fields: [secret, /nested/x] }
                        """).orElseThrow();
        assertThat(problems.list()).isEmpty();
        assertThat(s.transforms().specs())
                .containsExactly(
                        new TransformSpec("sinks.fleet.transforms[0]", "filter", Map.of("json-pointer", "/vin")),
                        new TransformSpec(
                                "sinks.fleet.transforms[1]",
                                "insert-field",
                                Map.of("field", "timestamp", "value", "event-time", "format", "epoch-seconds")),
                        new TransformSpec(
                                "sinks.fleet.transforms[2]", "drop-field", Map.of("fields", "secret,/nested/x")));
        assertThat(s.transforms().isResolved()).isTrue();
        Event telemetry = Event.builder()
                .id("i")
                .topic("events")
                .partition(0)
                .offset(1)
                .timestamp(Instant.ofEpochSecond(1_700_000_000))
                .value("{\"vin\":\"V1\",\"secret\":1}".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThat(s.transforms().apply(telemetry).valueAsString())
                .isEqualTo("{\"vin\":\"V1\",\"timestamp\":1700000000}");
        Event other = Event.builder()
                .id("j")
                .topic("events")
                .partition(0)
                .offset(2)
                .timestamp(Instant.EPOCH)
                .value("{\"page\":1}".getBytes())
                .build();
        assertThat(s.transforms().apply(other)).isNull();
    }

    @Test
    void everyStepsProblemsAreReportedWithTheirKeyPaths() {
        assertThat(bind("""
                        sinks:
                          fleet:
                            type: mongo
                            topics: [events]
                            transforms:
                              - { type: filter, json-pointer: vin }
                              - { type: insert-field, feild: ts }
                              - { json-pointer: /a }
                              - just-a-string
                        """)).isEmpty();
        assertThat(problems.list())
                .anyMatch(p -> p.startsWith("sinks.fleet.transforms[0].json-pointer: is not a JSON pointer"))
                .contains(
                        "sinks.fleet.transforms[2].type: is required: a transform type such as filter or"
                                + " insert-field",
                        "sinks.fleet.transforms[3]: expected a mapping, got \"just-a-string\"")
                .anyMatch(p -> p.startsWith("sinks.fleet.transforms[1].field: is required"))
                .anyMatch(p -> p.startsWith("sinks.fleet.transforms[1].feild: unknown key"));
    }

    @Test
    void aPluginTypeIsLeftUnresolvedForTheLauncher() {
        RunnerSettings s = bind("""
                        sinks:
                          fleet:
                            type: mongo
                            topics: [events]
                            transforms:
                              - { type: mask, field: ssn }
                              - { type: filter, header: tenant }
                        """).orElseThrow();
        assertThat(problems.list()).isEmpty();
        assertThat(s.transforms().isResolved()).isFalse();
        assertThat(s.transforms().specs()).extracting(TransformSpec::type).containsExactly("mask", "filter");
    }

    @Test
    void transformsMustBeAList() {
        assertThat(bind("sinks: {fleet: {type: mongo, topics: [events], transforms: {type: filter}}}"))
                .isEmpty();
        assertThat(problems.list())
                .containsExactly("sinks.fleet.transforms: expected a list of mappings, got a mapping");
    }
}
