package io.streamloader.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code --since}: an instant or a time back from now; anything else refused with the forms named. */
class SinceTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void anInstantOrATimeBackFromNow() {
        assertThat(Since.parse("2026-12-05T10:00:00Z", clock))
                .isEqualTo(Instant.parse("2026-12-05T10:00:00Z").toEpochMilli());
        assertThat(Since.parse("90s", clock)).isEqualTo(NOW.minusSeconds(90).toEpochMilli());
        assertThat(Since.parse("30m", clock)).isEqualTo(NOW.minusSeconds(1800).toEpochMilli());
        assertThat(Since.parse(" 2H ", clock)).isEqualTo(NOW.minusSeconds(7200).toEpochMilli());
        assertThat(Since.parse("7d", clock))
                .isEqualTo(NOW.minusSeconds(7 * 86400).toEpochMilli());
        assertThat(Since.parse("999999999d", clock)).isZero(); // before the epoch: everything
    }

    @Test
    void otherTextIsRefusedNamingTheForms() {
        for (String bad : new String[] {"", "soon", "-5m", "5w", "2026-12-05", "1e9s", "10000000000s"}) {
            assertThatThrownBy(() -> Since.parse(bad, clock))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ISO-8601 instant")
                    .hasMessageContaining("30m");
        }
    }
}
