package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {
    private static String render(String pattern, Map<String, String> values) {
        return KeyTemplate.parse(pattern).render(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void rendersVariablesBetweenLiterals() {
        assertThat(render("{topic}/{id}", Map.of("topic", "images", "id", "e-1")))
                .isEqualTo("images/e-1");
        assertThat(render("{customer_id}/{uuid}", Map.of("customer_id", "1", "uuid", "3f2b")))
                .isEqualTo("1/3f2b");
        assertThat(render("raw/{topic}-{offset}.bin", Map.of("topic", "t", "offset", "7")))
                .isEqualTo("raw/t-7.bin");
        assertThat(KeyTemplate.parse("{a}/{b}/{a}").variables()).containsExactly("a", "b");
    }

    @Test
    void refusesPatternsThatCannotWork() {
        assertThatThrownBy(() -> KeyTemplate.parse("fixed")).hasMessageContaining("no {variable}");
        assertThatThrownBy(() -> KeyTemplate.parse("{topic")).hasMessageContaining("unbalanced brace");
        assertThatThrownBy(() -> KeyTemplate.parse("{to pic}")).hasMessageContaining("unbalanced brace");
        assertThatThrownBy(() -> KeyTemplate.parse("/{id}")).hasMessageContaining("must not start with /");
        assertThatThrownBy(() -> KeyTemplate.parse("{a}//{id}")).hasMessageContaining("//");
        assertThatThrownBy(() -> KeyTemplate.parse("../{id}")).hasMessageContaining("not safe");
        assertThatThrownBy(() -> KeyTemplate.parse("a b/{id}")).hasMessageContaining("not safe");
    }

    @Test
    void refusesValuesThatWouldEscapeTheirSegment() {
        assertThatThrownBy(() -> render("{a}/x", Map.of("a", "../etc")))
                .hasMessageContaining("variable 'a'")
                .hasMessageContaining("contains /");
        assertThatThrownBy(() -> render("{a}/x", Map.of("a", ""))).hasMessageContaining("is empty");
        assertThatThrownBy(() -> render("{a}/x", Map.of("a", "x\ny"))).hasMessageContaining("control character");
        assertThatThrownBy(() -> render("{a}/x", Map.of())).hasMessageContaining("needs variable 'a'");
        assertThatThrownBy(() -> render("{a}", Map.of("a", "x".repeat(1100))))
                .hasMessageContaining("longer than S3's 1024");
    }

    /** Each value names variable 'v' in the refusal; none of them may reach a key. */
    @Test
    void refusesEveryHostileValueNamingTheVariable() {
        String[] hostile = {
            "..",
            ".",
            "",
            "a/b",
            "/",
            "a\\b",
            "\\",
            "..\\..",
            "x/../../etc",
            "...",
            "a..b",
            "%2e%2e",
            "%2E%2e",
            "%2f",
            "%5C",
            "a%2Fb", // percent-encoded traversal
            "\uFF0E\uFF0E",
            "\u2025",
            "\u2024\u2024",
            "a\uFF0Fb",
            "\uFF3C",
            "\uFE68", // fullwidth and leader dots
            "a\u2044b",
            "a\u2215b",
            "a\u29F8b",
            "a\u2216b", // slash lookalikes NFKC keeps
            "a\u0000b",
            "a\u001fb",
            "\u007f",
            "a\u0085b",
            "a\u2028b",
            "a\u2029b", // controls, line separators
            "a\u200Bb",
            "\u202Eevil",
            "a\uFEFFb", // invisible format characters
            "\uD800",
            "a\uDC00b", // unpaired surrogates
            "a\uE000b",
            "a\u0378b", // private use, unassigned
            "\u00e9".repeat(600) // 1200 UTF-8 bytes
        };
        for (String value : hostile) {
            assertThatThrownBy(() -> render("p/{v}.bin", Map.of("v", value)))
                    .as("'%s'", value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'v'");
        }
    }

    @Test
    void keepsValuesThatAreOneSafeSegment() {
        assertThat(render("p/{v}", Map.of("v", "50%off"))).isEqualTo("p/50%off");
        assertThat(render("p/{v}", Map.of("v", ".hidden"))).isEqualTo("p/.hidden");
        assertThat(render("p/{v}", Map.of("v", "caf\u00e9-\u6771\u4eac"))).isEqualTo("p/caf\u00e9-\u6771\u4eac");
        assertThat(render("p/{v}", Map.of("v", "a b+c=d"))).isEqualTo("p/a b+c=d");
        assertThat(render("{v}", Map.of("v", "x".repeat(1024)))).hasSize(1024);
    }

    @Test
    void refusesADotSegmentMadeOfALiteralAndAValue() {
        assertThat(render("p/.{v}/x", Map.of("v", ".x"))).isEqualTo("p/..x/x"); // '..x' is a name, not a parent
        assertThatThrownBy(() -> render("p/{v}./x", Map.of("v", "."))).hasMessageContaining("'v'");
        assertThatThrownBy(() -> KeyTemplate.parse("p/./{v}").render(n -> Optional.of("x")))
                .hasMessageContaining("'.'");
    }
}
