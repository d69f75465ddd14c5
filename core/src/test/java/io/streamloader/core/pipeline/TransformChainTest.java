package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransformChainTest {
    private static final Event EVENT = Event.builder()
            .id("id")
            .topic("t")
            .partition(3)
            .offset(7)
            .timestamp(Instant.EPOCH)
            .value("{\"a\":1}".getBytes())
            .build();

    private static TransformChain chain(Transform... steps) {
        List<TransformSpec> specs = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            specs.add(new TransformSpec("sinks.s.transforms[" + i + "]", "step" + i, Map.of()));
        }
        return TransformChain.of(specs).resolve(type -> {
            Transform t = steps[Integer.parseInt(type.substring(4))];
            return Optional.of(new TransformFactory() {
                @Override
                public String type() {
                    return type;
                }

                @Override
                public Transform create(Map<String, String> config) {
                    return t;
                }
            });
        });
    }

    @Test
    void stepsThatChangeNothingHandOnTheSameInstance() {
        assertThat(chain(e -> e, e -> e).apply(EVENT)).isSameAs(EVENT);
        assertThat(TransformChain.NONE.isEmpty()).isTrue();
    }

    @Test
    void aDropStopsTheChain() {
        List<String> ran = new ArrayList<>();
        assertThat(chain(e -> null, e -> {
                            ran.add("second");
                            return e;
                        })
                        .apply(EVENT))
                .isNull();
        assertThat(ran).isEmpty();
    }

    @Test
    void aStepMayNotMoveTheEventToOtherCoordinates() {
        Transform moves = e -> e.toBuilder().topic("other").build();
        assertThatThrownBy(() -> chain(e -> e, moves).apply(EVENT))
                .isInstanceOf(TransformChain.StepFailed.class)
                .hasMessageContaining("sinks.s.transforms[1] (step1)")
                .hasMessageContaining("must not change an event's topic, partition or offset");
    }

    @Test
    void errorsThatAreTheEventsFaultAreStepFailures() {
        assertThatThrownBy(() -> chain(e -> {
                            throw new StackOverflowError();
                        })
                        .apply(EVENT))
                .isInstanceOf(TransformChain.StepFailed.class)
                .hasMessageContaining("java.lang.StackOverflowError");
        assertThatThrownBy(() -> chain(e -> {
                            throw new java.io.IOException("checked");
                        })
                        .apply(EVENT))
                .hasMessageContaining("java.io.IOException: checked");
    }

    @Test
    void anUnresolvedChainSaysSo() {
        TransformChain c = TransformChain.of(List.of(new TransformSpec("p", "x", Map.of())));
        assertThat(c.isResolved()).isFalse();
        assertThat(c).isEqualTo(TransformChain.of(List.of(new TransformSpec("p", "x", Map.of()))));
    }
}
