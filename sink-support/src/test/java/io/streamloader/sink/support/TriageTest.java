package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.FailureKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class TriageTest {

    @Test
    void theTwoPerEventOutcomesAreTheTwoFailureKinds() {
        assertThat(Outcome.RETRIABLE.failureKind()).isEqualTo(FailureKind.RETRIABLE);
        assertThat(Outcome.PERMANENT.failureKind()).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void theTwoStoreOutcomesAreNoEventsFailure() {
        for (Outcome store : new Outcome[] {Outcome.UNAVAILABLE, Outcome.FATAL}) {
            assertThatThrownBy(store::failureKind)
                    .as(store.name())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(store.name())
                    .hasMessageContaining("not one event");
        }
    }

    @Test
    void onlyUnavailableAndRetriablePassWithTime() {
        assertThat(Outcome.values())
                .filteredOn(Outcome::passes)
                .containsExactly(Outcome.UNAVAILABLE, Outcome.RETRIABLE);
    }

    @Test
    void aCauseIsFoundAnywhereInTheChain() {
        Exception wrapped = new IllegalStateException("bulk", new UncheckedIOException(new SocketTimeoutException()));

        assertThat(Triage.hasCause(wrapped, IOException.class)).isTrue();
        assertThat(Triage.hasCause(wrapped, IllegalStateException.class)).isTrue();
        assertThat(Triage.hasCause(wrapped, ArithmeticException.class)).isFalse();
        assertThat(Triage.hasCause(null, IOException.class)).isFalse();
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        Exception a = new IllegalStateException("a");
        Exception b = new IllegalArgumentException("b", a);
        a.initCause(b); // a -> b -> a -> ...

        assertThat(Triage.hasCause(a, IOException.class)).isFalse();
        assertThat(Triage.hasCause(a, IllegalArgumentException.class)).isTrue();
    }
}
