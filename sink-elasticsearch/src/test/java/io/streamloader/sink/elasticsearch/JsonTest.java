package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static String with(String doc) {
        return new String(Json.withStringField(doc.getBytes(UTF_8), "timestamp", "2025-03-23T10:00:00Z"), UTF_8);
    }

    @Test
    void insertsTheFieldFirstAndKeepsEveryOtherByte() {
        assertThat(with("{\"user\":\"alice\", \"n\": 2.50}"))
                .isEqualTo("{\"timestamp\":\"2025-03-23T10:00:00Z\",\"user\":\"alice\", \"n\": 2.50}");
        assertThat(with(" { } ")).isEqualTo(" {\"timestamp\":\"2025-03-23T10:00:00Z\" } ");
    }

    @Test
    void overwritesAnExistingTopLevelFieldOfAnyType() {
        assertThat(with("{\"user\":\"alice\",\"timestamp\":1234567890,\"x\":1}"))
                .isEqualTo("{\"user\":\"alice\",\"timestamp\":\"2025-03-23T10:00:00Z\",\"x\":1}");
        assertThat(with("{\"timestamp\":null}")).isEqualTo("{\"timestamp\":\"2025-03-23T10:00:00Z\"}");
        assertThat(with("{\"timestamp\":\"caf\u00e9 \\\" old\" , \"y\":[1]}"))
                .isEqualTo("{\"timestamp\":\"2025-03-23T10:00:00Z\" , \"y\":[1]}");
        assertThat(with("{\"timestamp\":{\"a\":[1,{\"b\":2}]},\"z\":0}"))
                .isEqualTo("{\"timestamp\":\"2025-03-23T10:00:00Z\",\"z\":0}");
    }

    @Test
    void nestedFieldsOfTheSameNameAreLeftAlone() {
        assertThat(with("{\"inner\":{\"timestamp\":1}}"))
                .isEqualTo("{\"timestamp\":\"2025-03-23T10:00:00Z\",\"inner\":{\"timestamp\":1}}");
    }

    @Test
    void rejectsWhatIsNotOneObject() {
        assertThatThrownBy(() -> with("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> with("{\"a\":")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> with("{} {}")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> with("not json")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void syntaxCheckAndQuoting() {
        assertThat(Json.syntaxError("{\"a\":[1,2]}".getBytes(UTF_8))).isNull();
        assertThat(Json.syntaxError("[1]".getBytes(UTF_8))).isEqualTo("expected a JSON object");
        assertThat(Json.syntaxError("{\"a\":".getBytes(UTF_8))).isNotNull();
        assertThat(Json.quoteToString("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
    }

    private static final java.util.List<String> CLICK = java.util.List.of("user_id", "timestamp", "url");

    private static String positional(String doc) {
        return new String(Json.positionalObject(doc.getBytes(UTF_8), CLICK), UTF_8);
    }

    @Test
    void positionalArrayBecomesAnObjectKeepingEveryElementsBytes() {
        assertThat(positional("[\"u1\", \"2023-07-10T22:04:43\" ,\"http://a/\\\"q\"]"))
                .isEqualTo("{\"user_id\":\"u1\",\"timestamp\":\"2023-07-10T22:04:43\",\"url\":\"http://a/\\\"q\"}");
        assertThat(positional(" [1.50, null, {\"a\":[1,2]}] "))
                .isEqualTo("{\"user_id\":1.50,\"timestamp\":null,\"url\":{\"a\":[1,2]}}");
    }

    @Test
    void positionalArrayOfAnotherArityOrNotAnArrayIsRefused() {
        assertThatThrownBy(() -> positional("[\"u1\",\"t\"]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 element(s); positional.fields names 3");
        assertThatThrownBy(() -> positional("[1,2,3,4]")).hasMessageContaining("4 element(s)");
        assertThatThrownBy(() -> positional("{\"a\":1}")).hasMessageContaining("not a JSON array");
        assertThatThrownBy(() -> positional("[1,2,3] [4]")).hasMessageContaining("unexpected content");
        assertThatThrownBy(() -> positional("[1,2,"));
        assertThatThrownBy(() -> positional("[1,2,3"));
        assertThatThrownBy(() -> positional("[\"a\" \"b\" 1]"));
    }

    @Test
    void rawFieldValuesAreWrittenAsGiven() {
        assertThat(new String(
                        Json.withField(
                                "{\"timestamp\":\"x\",\"a\":1}".getBytes(UTF_8),
                                "timestamp",
                                "1742700000".getBytes(UTF_8)),
                        UTF_8))
                .isEqualTo("{\"timestamp\":1742700000,\"a\":1}");
    }
}
