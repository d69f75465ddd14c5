package io.streamloader.sink.postgres;

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
                .hasMessageContaining("value of 'a'")
                .hasMessageContaining("without /");
        assertThatThrownBy(() -> render("{a}/x", Map.of("a", ""))).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> render("{a}/x", Map.of("a", "x\ny"))).hasMessageContaining("control characters");
        assertThatThrownBy(() -> render("{a}/x", Map.of())).hasMessageContaining("needs 'a'");
        assertThatThrownBy(() -> render("{a}", Map.of("a", "x".repeat(1100)))).hasMessageContaining("longer than");
    }
}
