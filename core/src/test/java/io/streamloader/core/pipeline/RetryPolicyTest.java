package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffGrowsExponentiallyUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, Duration.ZERO);
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(500)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterStaysWithinItsFraction() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(1000), Duration.ofSeconds(10), 2.0, 0.5, Duration.ZERO);
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
    }

    @Test
    void zeroGiveUpAfterRetriesForEver() {
        assertThat(RetryPolicy.DEFAULT.exhausted(Duration.ofDays(365))).isFalse();
        RetryPolicy bounded =
                new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ofSeconds(5));
        assertThat(bounded.exhausted(Duration.ofSeconds(4))).isFalse();
        assertThat(bounded.exhausted(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anEventFailingOnItsOwnIsBoundedByDefaultInMinutesAndZeroSwitchesTheBoundOff() {
        assertThat(RetryPolicy.DEFAULT.eventGiveUpAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RetryPolicy.DEFAULT.eventExhausted(Duration.ofMinutes(4))).isFalse();
        assertThat(RetryPolicy.DEFAULT.eventExhausted(Duration.ofMinutes(5))).isTrue();
        assertThat(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO)
                        .eventGiveUpAfter())
                .as("the five-argument form keeps the default bound")
                .isEqualTo(Duration.ofMinutes(5));
        RetryPolicy unbounded =
                new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ZERO);
        assertThat(unbounded.eventExhausted(Duration.ofDays(365))).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(
                        Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0, Duration.ZERO, Duration.ofSeconds(-1)))
                .hasMessageContaining("eventGiveUpAfter");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 2, 0, Duration.ZERO))
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0, Duration.ZERO))
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0, Duration.ZERO))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5, Duration.ZERO))
                .hasMessageContaining("jitter");
    }
}
