package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.core.pipeline.SupervisionPolicy.OnFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisionPolicyTest {

    @Test
    void backoffDoublesPerConsecutiveFailureUpToTheCap() {
        SupervisionPolicy policy =
                new SupervisionPolicy(OnFailure.RESTART, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(1_000_000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsRestartAfterOneSecondUpToAMinute() {
        assertThat(SupervisionPolicy.DEFAULT)
                .isEqualTo(new SupervisionPolicy(OnFailure.RESTART, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        assertThat(OnFailure.EXIT.configName()).isEqualTo("exit");
    }

    @Test
    void invalidBackoffsAreRefused() {
        assertThatThrownBy(() -> new SupervisionPolicy(OnFailure.STOP, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> new SupervisionPolicy(OnFailure.STOP, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }
}
