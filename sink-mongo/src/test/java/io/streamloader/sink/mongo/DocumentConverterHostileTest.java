package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.sink.mongo.TestingHostileEvents.Fate;
import io.streamloader.sink.mongo.TestingHostileEvents.Sample;
import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample of the hostile corpus, through each converter set-up: it comes back as a document or a rejection with
 * a reason (never an exception or an error), and as what MongoDB itself would make of it.
 */
class DocumentConverterHostileTest {
    private static final int MAX = 16 << 20;

    static Stream<Sample> samples() {
        return TestingHostileEvents.all().stream();
    }

    private static Event event(Sample sample) {
        return Event.builder()
                .id("h-000001")
                .topic("somedata")
                .partition(0)
                .offset(7)
                .timestamp(Instant.EPOCH)
                .value(sample.value())
                .build();
    }

    private static void check(DocumentConverter converter, Sample sample) {
        check(converter, sample, true);
    }

    private static void check(DocumentConverter converter, Sample sample, boolean mayStore) {
        Converted converted = converter.convert(event(sample));
        switch (converted) {
            case Converted.Rejected r -> {
                if (mayStore) {
                    assertThat(sample.fate())
                            .as("%s rejected: %s", sample, r.reason())
                            .isNotEqualTo(Fate.STORED);
                }
                assertThat(r.reason()).isNotBlank();
                assertThat(r.errorClass()).isNotBlank();
            }
            case Converted.Elements e -> throw new AssertionError("only arrays: split makes elements");
            case Converted.Document d -> {
                assertThat(sample.fate()).as("%s stored", sample).isNotEqualTo(Fate.REFUSED);
                assertThat(d.withId().containsKey("_id")).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void underTheEventId(Sample sample) {
        check(new DocumentConverter(Optional.empty(), List.of(), MAX), sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void withDateFieldsConfigured(Sample sample) {
        check(new DocumentConverter(Optional.empty(), List.of("a", "a.b"), MAX), sample);
    }

    /** With {@code id-field: _id} most samples lack their id; none may be stored that MongoDB would refuse. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void underTheirOwnId(Sample sample) {
        check(new DocumentConverter(Optional.of("_id"), List.of(), MAX), sample, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void underANestedIdField(Sample sample) {
        check(new DocumentConverter(Optional.of("a.b"), List.of(), MAX), sample, false);
    }
}
