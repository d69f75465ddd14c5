package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "512, 512",
        "512B, 512",
        "64KiB, 65536",
        "4MiB, 4194304",
        "1GiB, 1073741824",
        "1TiB, 1099511627776",
        "' 8 mib ', 8388608",
        "1KB, 1000",
        "5MB, 5000000",
        "2GB, 2000000000",
        "1tb, 1000000000000"
    })
    void parsesBinaryAndDecimalUnits(String text, long expected) {
        assertThat(ByteSizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "1.5MiB", "-1", "MiB", "8 M iB"})
    void rejectsMalformedNamingTheForms(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KiB, MiB");
    }

    @Test
    void rejectsUnknownUnit() {
        assertThatThrownBy(() -> ByteSizes.parse("4MiBs")).hasMessageStartingWith("unknown unit \"MiBs\"");
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> ByteSizes.parse("9999999999TiB")).hasMessageContaining("too large");
    }

    @Test
    void formatsInTheLargestExactBinaryUnit() {
        assertThat(ByteSizes.format(8L << 20)).isEqualTo("8MiB");
        assertThat(ByteSizes.format(1536)).isEqualTo("1536");
        assertThat(ByteSizes.format(3072)).isEqualTo("3KiB");
        assertThat(ByteSizes.format(0)).isEqualTo("0");
    }
}
