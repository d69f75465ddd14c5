package io.streamloader.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AverageTimeTest {

    @Test
    void formatsHoursMinutesAndSeconds() {
        assertThat(AverageTime.format(0)).isEqualTo("00:00:00");
        assertThat(AverageTime.format(8312)).isEqualTo("02:18:32");
        assertThat(AverageTime.format(86_399)).isEqualTo("23:59:59");
    }

    @Test
    void putsWholeDaysInFrontInsteadOfWrapping() {
        assertThat(AverageTime.format(86_400)).isEqualTo("1.00:00:00");
        // seed 001's example: 526,712 s was shown as 02:18:32
        assertThat(AverageTime.format(526_712)).isEqualTo("6.02:18:32");
        assertThat(AverageTime.format(100L * 86_400 + 1)).isEqualTo("100.00:00:01");
    }

    @Test
    void rejectsNegativeSeconds() {
        assertThatThrownBy(() -> AverageTime.format(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
