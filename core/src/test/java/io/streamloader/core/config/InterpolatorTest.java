package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {

    private final ConfigProblems problems = new ConfigProblems();

    private ConfigNode read(String yaml, Map<String, String> env) {
        return ConfigLoader.readTree(yaml, env, problems);
    }

    @Test
    void replacesSetVariables() {
        ConfigNode n = read("url: http://${HOST}:${PORT}/x\n", Map.of("HOST", "es", "PORT", "9200"));
        assertThat(n.string("url", "")).isEqualTo("http://es:9200/x");
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void usesTheDefaultWhenUnsetOrEmpty() {
        ConfigNode n = read("a: ${A:-localhost:9092}\nb: ${B:-x}\nc: '${C:-}'\n", Map.of("B", ""));
        assertThat(n.string("a", "")).isEqualTo("localhost:9092");
        assertThat(n.string("b", "")).isEqualTo("x");
        assertThat(n.string("c", "?")).isEqualTo("");
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void theVariableWinsOverTheDefault() {
        assertThat(read("a: ${A:-d}\n", Map.of("A", "set")).string("a", "")).isEqualTo("set");
    }

    @Test
    void aMissingVariableWithoutDefaultIsAProblemNamingTheKey() {
        ConfigNode n = read("kafka:\n  client:\n    sasl.jaas.config: ${JAAS}\n", Map.of());
        assertThat(n.section("kafka").flatStringMap("client")).containsEntry("sasl.jaas.config", "");
        assertThat(problems.list())
                .containsExactly("kafka.client.sasl.jaas.config: environment variable JAAS is not set and has no"
                        + " default; set it or write ${JAAS:-default}");
    }

    @Test
    void doubleDollarEscapes() {
        ConfigNode n = read("a: '$${HOME} costs $$5 and ${X}'\n", Map.of("X", "y", "HOME", "no"));
        assertThat(n.string("a", "")).isEqualTo("${HOME} costs $$5 and y");
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void valuesCannotInjectYaml() {
        ConfigNode n = read("a: ${EVIL}\n", Map.of("EVIL", "x\nworkers: 99\nb: [1]"));
        assertThat(n.string("a", "")).isEqualTo("x\nworkers: 99\nb: [1]");
        n.finish();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void interpolatesListElementsAndTypedValues() {
        ConfigNode n = read("topics: ['${T1}', b]\nworkers: ${W:-3}\n", Map.of("T1", "a"));
        assertThat(n.stringList("topics", List.of())).containsExactly("a", "b");
        assertThat(n.integer("workers", 1, 1, 8)).isEqualTo(3);
    }

    @Test
    void keysAreNotInterpolated() {
        ConfigNode n = read("'${K}': v\n", Map.of("K", "k"));
        assertThat(n.string("${K}", "")).isEqualTo("v");
    }

    @Test
    void malformedReferencesAreProblems() {
        read("a: ${oops\nb: ${1BAD}\nlist: [ok, '${NOPE}']\n", Map.of());
        assertThat(problems.list())
                .containsExactly(
                        "a: unclosed ${ in \"${oops\"; write $${ for a literal ${",
                        "b: invalid variable name \"1BAD\" in ${1BAD}",
                        "list[1]: environment variable NOPE is not set and has no default; set it or write"
                                + " ${NOPE:-default}");
    }
}
