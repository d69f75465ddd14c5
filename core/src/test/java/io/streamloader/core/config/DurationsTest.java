package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "100ms, PT0.1S",
        "0s, PT0S",
        "30s, PT30S",
        "5m, PT5M",
        "1h, PT1H",
        "2d, PT48H",
        "' 7 s ', PT7S",
        "PT1S, PT1S",
        "pt1.5s, PT1.5S",
        "P1DT2H, PT26H"
    })
    void parsesUnitsAndIso(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void bareNumberIsRejectedNamingTheUnits() {
        assertThatThrownBy(() -> Durations.parse("200"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ms, s, m, h or d")
                .hasMessageContaining("write 200ms or 200s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "1.5s", "-1s", "10 sec", "1M", "PTxS"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeIso() {
        assertThatThrownBy(() -> Durations.parse("PT-1S")).hasMessageContaining("must not be negative");
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("9999999999999999d")).hasMessageContaining("too large");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(5))).isEqualTo("PT0.000000005S");
    }
}
