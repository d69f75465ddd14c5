package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigGrammarTest {

    @ParameterizedTest
    @CsvSource({
        "100ms, PT0.1S",
        "0s, PT0S",
        "' 30s ', PT30S",
        "7 s, PT7S",
        "5m, PT5M",
        "2d, PT48H",
        "pt1.5s, PT1.5S",
        "P1DT2H, PT26H",
        "106751d, PT2562024H"
    })
    void durations(String text, String expected) {
        assertThat(ConfigGrammar.duration(text)).isEqualTo(Duration.parse(expected));
    }

    /** Every hostile duration is an IllegalArgumentException with a message, never another exception. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "200",
                "-1s",
                "PT-1S",
                "1.5s",
                "10 sec",
                "10sec",
                "1M",
                "NaN",
                "Infinity",
                "∞s",
                "9223372036854775808ms",
                "99999999999999999999d",
                "99999999999999999999999999999999999999ms",
                "9223372036854775807d",
                "106752d",
                "PT99999999999999999999S",
                "P9999999999999999D",
                "\u0661\u0662s",
                "１２s",
                "10\u0000s",
                "s",
                "PT"
            })
    void hostileDurationsAreProblems(String text) {
        assertThatThrownBy(() -> ConfigGrammar.duration(text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\u0000");
    }

    @Test
    void theLongestDurationStillConvertsToNanos() {
        assertThat(ConfigGrammar.duration("106751d").toNanos()).isPositive();
        assertThat(TimeUnit.NANOSECONDS.toDays(ConfigGrammar.MAX_DURATION.toNanos()))
                .isEqualTo(106751);
    }

    @Test
    void positiveDurationRejectsZero() {
        assertThatThrownBy(() -> ConfigGrammar.positiveDuration("0ms")).hasMessage("must be positive, was \"0ms\"");
        assertThat(ConfigGrammar.positiveDuration("1ms")).isEqualTo(Duration.ofMillis(1));
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "64KiB, 65536", "8 mib, 8388608", "2KB, 2000", "1TiB, 1099511627776", "0, 0"})
    void sizes(String text, long expected) {
        assertThat(ConfigGrammar.bytes(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-1",
                "1.5MiB",
                "10MBs",
                "10 megabytes",
                "9223372036854775808",
                "99999999999999999999",
                "8388608TiB",
                "NaN",
                "\u0661\u0662",
                "12\u00a0KiB"
            })
    void hostileSizesAreProblems(String text) {
        assertThatThrownBy(() -> ConfigGrammar.bytes(text)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wholeNumbersOfAnyLengthAreRangeProblemsNotOverflows() {
        assertThat(ConfigGrammar.whole("+42", 0, 100)).isEqualTo(42);
        assertThat(ConfigGrammar.integer("-3", -5, 5)).isEqualTo(-3);
        assertThatThrownBy(() -> ConfigGrammar.integer("99999999999999999999", 1, 32))
                .hasMessage("must be at most 32, was 99999999999999999999");
        assertThatThrownBy(() -> ConfigGrammar.whole("9223372036854775808", 0, Long.MAX_VALUE))
                .hasMessage("must be at most 9223372036854775807, was 9223372036854775808");
        for (String bad : List.of("", "1.0", "1e3", "0x10", "\u0661", "NaN", "4 2", "--1")) {
            assertThatThrownBy(() -> ConfigGrammar.integer(bad, 0, 100))
                    .as(bad)
                    .isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void numbersAreFinite() {
        assertThat(ConfigGrammar.number("0.25", 0, 1)).isEqualTo(0.25);
        assertThat(ConfigGrammar.number("1e-3", 0, 1)).isEqualTo(0.001);
        for (String bad : List.of("NaN", "Infinity", "-Infinity", ".nan", "1e99999", "0x1p3", "", "1,5")) {
            assertThatThrownBy(() -> ConfigGrammar.number(bad, 0, 1))
                    .as(bad)
                    .isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertThat(ConfigGrammar.bool(" TRUE ")).isTrue();
        assertThat(ConfigGrammar.bool("false")).isFalse();
        for (String bad : List.of("yes", "on", "1", "", "tru")) {
            assertThatThrownBy(() -> ConfigGrammar.bool(bad)).as(bad).hasMessageStartingWith("expected true or false");
        }
    }

    enum Mode {
        INSERT,
        UPSERT_ALL
    }

    @Test
    void enumsAndChoicesIgnoreCase() {
        assertThat(ConfigGrammar.enumValue("upsert-all", Mode.class)).isEqualTo(Mode.UPSERT_ALL);
        assertThat(ConfigGrammar.enumValue("UPSERT_ALL", Mode.class)).isEqualTo(Mode.UPSERT_ALL);
        assertThat(ConfigGrammar.oneOf("Restart", List.of("restart", "stop"))).isEqualTo("restart");
        assertThatThrownBy(() -> ConfigGrammar.enumValue("delete", Mode.class))
                .hasMessage("must be one of insert, upsert-all, was \"delete\"");
    }

    @Test
    void urlsAndPaths() {
        assertThat(ConfigGrammar.url(" http://es:9200 ")).isEqualTo(URI.create("http://es:9200"));
        assertThatThrownBy(() -> ConfigGrammar.url("es:9200")).hasMessageStartingWith("expected an absolute URL");
        assertThatThrownBy(() -> ConfigGrammar.url("http://u:hunter2@es 9200"))
                .hasMessageContaining("is not a valid URL")
                .hasMessageNotContaining("hunter2");
        assertThat(ConfigGrammar.path("out/x")).isEqualTo(Path.of("out/x"));
        assertThatThrownBy(() -> ConfigGrammar.path("a\u0000b")).hasMessageContaining("is not a valid path");
        assertThat(ConfigGrammar.list(" a, ,b ,")).containsExactly("a", "b");
    }

    @Test
    void quotedValuesAreShortEscapedAndMasked() {
        String huge = "x".repeat(1_000_000);
        assertThatThrownBy(() -> ConfigGrammar.bool(huge)).message().hasSizeLessThan(120);
        assertThat(ConfigGrammar.quoted("a\nb\u0007")).isEqualTo("\"a\\u000ab\\u0007\"");
        assertThat(ConfigGrammar.quoted("jdbc:postgresql://u:hunter2@h/db")).doesNotContain("hunter2");
    }
}
