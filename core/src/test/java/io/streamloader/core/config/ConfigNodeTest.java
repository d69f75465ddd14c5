package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

    private final ConfigProblems problems = new ConfigProblems();

    private ConfigNode node(String yaml) {
        return ConfigLoader.readTree(yaml, Map.of(), problems);
    }

    @Test
    void readsEveryTypeWhenWellFormed() {
        ConfigNode n = node("""
                name: search
                workers: 4
                big: 10000000000
                ratio: 0.5
                on: true
                linger: 250ms
                size: 64KiB
                hosts: [a, b]
                url: http://localhost:9200/x
                dir: /var/lib/sl
                """);
        assertThat(n.string("name", "x")).isEqualTo("search");
        assertThat(n.integer("workers", 1, 1, 8)).isEqualTo(4);
        assertThat(n.longValue("big", 0, 0, Long.MAX_VALUE)).isEqualTo(10_000_000_000L);
        assertThat(n.doubleValue("ratio", 0, 0, 1)).isEqualTo(0.5);
        assertThat(n.bool("on", false)).isTrue();
        assertThat(n.duration("linger", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(n.bytes("size", 0)).isEqualTo(65536);
        assertThat(n.stringList("hosts", List.of())).containsExactly("a", "b");
        assertThat(n.uri("url", null)).isEqualTo(URI.create("http://localhost:9200/x"));
        assertThat(n.path("dir", null)).isEqualTo(Path.of("/var/lib/sl"));
        n.finish();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void absentAndNullKeysGiveDefaults() {
        ConfigNode n = node("workers:\nquoted: ''\nanswer: no\n");
        assertThat(n.string("quoted", "d")).isEmpty();
        assertThat(n.string("answer", "d")).isEqualTo("no");
        assertThat(n.integer("workers", 3, 1, 8)).isEqualTo(3);
        assertThat(n.string("name", "d")).isEqualTo("d");
        assertThat(n.optionalString("name")).isEmpty();
        assertThat(n.section("batch").isPresent()).isFalse();
        assertThat(n.flatStringMap("config")).isEmpty();
        n.finish();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void wrongTypesAreAllReportedWithTheirPathAndParsingGoesOnWithDefaults() {
        ConfigNode n = node("""
                workers: lots
                ratio: [1]
                on: maybe
                size: 1.5MiB
                linger: 200
                url: "http://a b"
                hosts: {a: 1}
                nested: {deep: {workers: 0}}
                """);
        assertThat(n.integer("workers", 1, 1, 8)).isEqualTo(1);
        assertThat(n.doubleValue("ratio", 0.2, 0, 1)).isEqualTo(0.2);
        assertThat(n.bool("on", true)).isTrue();
        assertThat(n.bytes("size", 7)).isEqualTo(7);
        assertThat(n.duration("linger", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(n.uri("url", URI.create("x:y"))).isEqualTo(URI.create("x:y"));
        assertThat(n.stringList("hosts", List.of("d"))).containsExactly("d");
        assertThat(n.section("nested").section("deep").integer("workers", 1, 1, 8))
                .isEqualTo(1);

        assertThat(problems.list())
                .containsExactly(
                        "workers: expected a whole number, was \"lots\"",
                        "ratio: expected a number, got a list",
                        "on: expected true or false, was \"maybe\"",
                        "size: expected " + ByteSizes.FORMS + ", was \"1.5MiB\"",
                        "linger: expected " + Durations.FORMS + ", was \"200\" (a bare number has no unit; write"
                                + " 200ms or 200s)",
                        "url: is not a valid URI: \"http://a b\" (Illegal character in authority)",
                        "hosts: expected a list or a comma-separated string, got a mapping",
                        "nested.deep.workers: must be at least 1, was 0");
    }

    @Test
    void rangesAreChecked() {
        ConfigNode n = node("a: 0\nb: 9\nc: 1.5\n");
        n.integer("a", 1, 1, 8);
        n.integer("b", 1, 1, 8);
        n.doubleValue("c", 0, 0, 1);
        assertThat(problems.list())
                .containsExactly(
                        "a: must be at least 1, was 0",
                        "b: must be at most 8, was 9",
                        "c: must be at most 1.0, was 1.5");
    }

    @Test
    void requiredStringNamesTheKey() {
        ConfigNode n = node("sinks: {search: {type: '  '}, docs: {}}");
        n.section("sinks").section("search").requiredString("type");
        n.section("sinks").section("docs").requiredString("type");
        assertThat(problems.list())
                .containsExactly("sinks.search.type: must not be blank", "sinks.docs.type: is required");
    }

    @Test
    void stringListAcceptsAListOrACommaSeparatedString() {
        ConfigNode n = node("a: [x, ' y ', 3]\nb: 'x, y,,z'\nc: single\nd: [x, {k: v}]\n");
        assertThat(n.stringList("a", List.of())).containsExactly("x", "y", "3");
        assertThat(n.stringList("b", List.of())).containsExactly("x", "y", "z");
        assertThat(n.stringList("c", List.of())).containsExactly("single");
        assertThat(n.stringList("d", List.of())).containsExactly("x");
        assertThat(problems.list()).containsExactly("d[1]: expected a string, got a mapping");
    }

    @Test
    void flatStringMapFlattensNestedMappingsAndLists() {
        ConfigNode n = node("""
                config:
                  urls: [http://a:9200, http://b:9200]
                  auth: {username: elastic, password: secret}
                  max.message.bytes: 1048576
                  empty:
                  indexes: [{field: id, unique: true}]
                """);
        assertThat(n.flatStringMap("config"))
                .containsExactly(
                        entry("urls", "http://a:9200,http://b:9200"),
                        entry("auth.username", "elastic"),
                        entry("auth.password", "secret"),
                        entry("max.message.bytes", "1048576"),
                        entry("empty", ""),
                        entry("indexes.0.field", "id"),
                        entry("indexes.0.unique", "true"));
        n.finish();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void flatStringMapReportsAKeyGivenTwice() {
        ConfigNode n = node("config: {auth: {user: a}, auth.user: b}\n");
        assertThat(n.flatStringMap("config")).containsExactly(entry("auth.user", "a"));
        assertThat(problems.list())
                .containsExactly("config.auth.user: is given twice (once nested, once as a dotted key); keep one");
    }

    @Test
    void sectionThatIsNotAMappingIsAProblemAndBindsEmpty() {
        ConfigNode n = node("batch: 5\n");
        assertThat(n.section("batch").integer("max-records", 10, 1, 100)).isEqualTo(10);
        assertThat(problems.list()).containsExactly("batch: expected a mapping, got 5");
    }

    @Test
    void sectionsIterateNamedEntriesInFileOrder() {
        ConfigNode n = node("sinks: {b: {workers: 2}, a: {}, c: }\n");
        Map<String, ConfigNode> sinks = n.section("sinks").sections();
        assertThat(sinks).containsOnlyKeys("b", "a", "c");
        assertThat(sinks.keySet()).containsExactly("b", "a", "c");
        assertThat(sinks.get("b").keyPath()).isEqualTo("sinks.b");
        assertThat(sinks.get("b").integer("workers", 1, 1, 8)).isEqualTo(2);
        n.finish();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void unknownKeysAreReportedWithASuggestionWhenOneIsClose() {
        ConfigNode n = node("kafka: {bootstrap.servers: x, colour: red}\nworker: 2\n");
        n.section("kafka").string("bootstrap-servers", "");
        n.section("kafka").flatStringMap("client");
        n.integer("workers", 1, 1, 8);
        n.finish();
        n.finish();
        assertThat(problems.list())
                .containsExactly(
                        "worker: unknown key; did you mean 'workers'?",
                        "kafka.bootstrap.servers: unknown key; did you mean 'bootstrap-servers'?",
                        "kafka.colour: unknown key; known keys here: bootstrap-servers, client");
    }

    @Test
    void flattenedAndRawSectionsAreNotCheckedForUnknownKeys() {
        ConfigNode n = node("config: {anything: 1}\napi: {whatever: 2}\n");
        n.flatStringMap("config");
        RawSection api = n.raw("api");
        n.finish();
        assertThat(problems.list()).isEmpty();

        ConfigProblems apiProblems = new ConfigProblems();
        ConfigNode bound = api.bind(apiProblems);
        bound.integer("port", 8080, 1, 65535);
        bound.finish();
        assertThat(apiProblems.list()).containsExactly("api.whatever: unknown key; known keys here: port");
    }

    @Test
    void reportsCustomProblemsWithThePath() {
        ConfigNode s = node("sinks: {search: {}}").section("sinks").section("search");
        s.problem("topics", "is required");
        s.problem("is broken");
        assertThat(problems.list()).containsExactly("sinks.search.topics: is required", "sinks.search: is broken");
    }
}
