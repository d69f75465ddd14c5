package io.streamloader.bench.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the bench names and averages what PostgreSQL's backends were doing. */
class PgActivityTest {

    @Test
    void activeBackendsAreNamedByTheirWaitAndIdleOnesByState() {
        assertThat(PgActivity.label("active", null, null)).isEqualTo("active CPU");
        assertThat(PgActivity.label("active", "Lock", "transactionid")).isEqualTo("active Lock:transactionid");
        assertThat(PgActivity.label("idle in transaction", "Client", "ClientRead"))
                .isEqualTo("idle in transaction");
        assertThat(PgActivity.label(null, null, null)).isEqualTo("?");
    }

    @Test
    void summaryIsTheAveragePerSampleLargestFirstWithoutRareStates() {
        // 10 samples: 3 backends idle each time, 14 active on a CPU in all, one lock wait in one sample (0.1)
        // and a WAL wait in none worth printing (< 0.05)
        assertThat(PgActivity.summarise(
                        Map.of("idle", 30, "active CPU", 14, "active Lock:tuple", 1, "active LWLock:WALWrite", 0), 10))
                .isEqualTo("idle 3.0, active CPU 1.4, active Lock:tuple 0.1");
        assertThat(PgActivity.summarise(Map.of(), 0)).isEqualTo("-");
    }
}
