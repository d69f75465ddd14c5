package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host's file ({@link ConfigNode}) and a plugin's settings ({@link SinkConfigReader}) read every value the same
 * way: each row goes through both, and both must give the expected value, or both the same problem naming the key.
 */
class OneGrammarTest {

    enum Mode {
        INSERT,
        UPSERT
    }

    /** The same getter on both sides, by name. */
    private static final Map<String, Getter> GETTERS = Map.of(
            "duration",
            new Getter(n -> n.duration("v", Duration.ZERO), r -> r.duration("v", Duration.ZERO)),
            "positive",
            new Getter(n -> n.positiveDuration("v", Duration.ZERO), r -> r.positiveDuration("v", Duration.ZERO)),
            "bytes",
            new Getter(n -> n.bytes("v", 0), r -> r.bytes("v", 0)),
            "bool",
            new Getter(n -> n.bool("v", false), r -> r.bool("v", false)),
            "int",
            new Getter(n -> n.integer("v", 0, 1, 32), r -> r.integer("v", 0, 1, 32)),
            "long",
            new Getter(n -> n.longValue("v", 0, 0, Long.MAX_VALUE), r -> r.longValue("v", 0, 0, Long.MAX_VALUE)),
            "double",
            new Getter(n -> n.doubleValue("v", 0, 0, 1), r -> r.doubleValue("v", 0, 0, 1)),
            "enum",
            new Getter(n -> n.enumValue("v", Mode.INSERT), r -> r.enumValue("v", Mode.INSERT)),
            "url",
            new Getter(n -> n.url("v", URI.create("http://d")), r -> r.url("v", URI.create("http://d"))),
            "list",
            new Getter(n -> n.stringList("v", List.of()), r -> r.list("v", List.of())));

    record Getter(Function<ConfigNode, Object> host, Function<SinkConfigReader, Object> plugin) {}

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "<null>",
            value = {
                "duration | 250ms                 | PT0.25S",
                "duration | ' 30 s '              | PT30S",
                "duration | PT1M                  | PT1M",
                "duration | 2d                    | PT48H",
                "duration | 106751d               | PT2562024H",
                "duration | 200                   | <problem>",
                "duration | ''                    | <problem>",
                "duration | -5s                   | <problem>",
                "duration | PT-1S                 | <problem>",
                "duration | 9223372036854775808ms | <problem>",
                "duration | 12345678901234567890s | <problem>",
                "duration | 106752d               | <problem>",
                "duration | NaN                   | <problem>",
                "duration | ∞                     | <problem>",
                "duration | 10 secs               | <problem>",
                "duration | 1M                    | <problem>",
                "duration | ١٠s                   | <problem>",
                "duration | １０s                  | <problem>",
                "positive | 1ms                   | PT0.001S",
                "positive | 0s                    | <problem>",
                "bytes    | 512                   | 512",
                "bytes    | 64KiB                 | 65536",
                "bytes    | 5 mb                  | 5000000",
                "bytes    | 1TiB                  | 1099511627776",
                "bytes    | 99999999999999999999  | <problem>",
                "bytes    | 9223372036854775807KiB| <problem>",
                "bytes    | -1                    | <problem>",
                "bytes    | 1.5MiB                | <problem>",
                "bytes    | 10MBs                 | <problem>",
                "bytes    | ''                    | <problem>",
                "bytes    | ١٢                    | <problem>",
                "bool     | TRUE                  | true",
                "bool     | false                 | false",
                "bool     | yes                   | <problem>",
                "bool     | on                    | <problem>",
                "bool     | ''                    | <problem>",
                "int      | 32                    | 32",
                "int      | +7                    | 7",
                "int      | 33                    | <problem>",
                "int      | 0                     | <problem>",
                "int      | 99999999999999999999  | <problem>",
                "int      | 1.0                   | <problem>",
                "int      | ٣                     | <problem>",
                "int      | ' '                   | <problem>",
                "long     | 9223372036854775807   | 9223372036854775807",
                "long     | 9223372036854775808   | <problem>",
                "long     | -1                    | <problem>",
                "double   | 0.5                   | 0.5",
                "double   | NaN                   | <problem>",
                "double   | Infinity              | <problem>",
                "double   | 2                     | <problem>",
                "enum     | upsert                | UPSERT",
                "enum     | Insert                | INSERT",
                "enum     | delete                | <problem>",
                "url      | http://es:9200        | http://es:9200",
                "url      | es:9200               | <problem>",
                "url      | http://a b            | <problem>",
                "list     | 'a, b,,c '            | [a, b, c]",
            })
    void bothSidesAgree(String kind, String input, String expected) {
        Getter getter = GETTERS.get(kind);

        ConfigProblems problems = new ConfigProblems();
        ConfigNode node = ConfigNode.root(JsonNodeFactory.instance.objectNode().put("v", input), problems);
        Object hostValue = getter.host().apply(node);
        Optional<String> hostProblem = problems.list().stream().findFirst();

        SinkConfigReader reader = new SinkConfigReader(new SinkContext("s", Map.of("v", input)));
        Object pluginValue = getter.plugin().apply(reader);
        Optional<String> pluginProblem = problemOf(reader);

        if (expected.equals("<problem>")) {
            assertThat(hostProblem).hasValueSatisfying(p -> assertThat(p).startsWith("v: "));
            assertThat(pluginProblem).hasValue("sinks.s.config." + hostProblem.orElseThrow());
        } else {
            assertThat(problems.list()).isEmpty();
            assertThat(pluginProblem).isEmpty();
            assertThat(String.valueOf(hostValue)).isEqualTo(expected);
            assertThat(pluginValue).isEqualTo(hostValue);
        }
    }

    private static Optional<String> problemOf(SinkConfigReader reader) {
        try {
            reader.finish();
            return Optional.empty();
        } catch (SinkConfigException e) {
            assertThat(e.problems()).hasSize(1);
            return Optional.of(e.problems().getFirst());
        }
    }

    /** Both readers mask a URL's password in what they print. */
    @ParameterizedTest
    @CsvSource({"http://u:hunter2@es 9200", "http://es:9200/?password=hunter2&x=%zz"})
    void problemsNeverQuoteAPassword(String input) {
        ConfigProblems problems = new ConfigProblems();
        ConfigNode.root(JsonNodeFactory.instance.objectNode().put("v", input), problems)
                .url("v", null);
        assertThat(problems.list()).singleElement().asString().doesNotContain("hunter2");
        SinkConfigReader reader = new SinkConfigReader(new SinkContext("s", Map.of("v", input)));
        reader.url("v", null);
        assertThatThrownBy(reader::finish).hasMessageNotContaining("hunter2");
    }
}
