package io.streamloader.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndexPatternTest {
    private static final Instant T = Instant.parse("2025-03-23T23:59:59.999Z");

    @Test
    void topicByDefault() {
        assertThat(IndexPattern.DEFAULT.resolve("Clicks.v1", T)).isEqualTo("clicks.v1");
        assertThat(IndexPattern.DEFAULT.usesTime()).isFalse();
    }

    @Test
    void dailyIndexFromTheEventTimestampInUtc() {
        IndexPattern p = IndexPattern.parse("{topic}-{yyyy.MM.dd}");
        assertThat(p.usesTime()).isTrue();
        assertThat(p.resolve("clicks", T)).isEqualTo("clicks-2025.03.23");
        assertThat(p.resolve("clicks", T.plusMillis(1))).isEqualTo("clicks-2025.03.24");
        assertThat(IndexPattern.parse("archive-{yyyy-MM}").resolve("x", T)).isEqualTo("archive-2025-03");
        assertThat(IndexPattern.parse("click_events").resolve("x", T)).isEqualTo("click_events");
    }

    @Test
    void badPatternsSayWhy() {
        assertThatThrownBy(() -> IndexPattern.parse("{topic")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> IndexPattern.parse("a{}")).hasMessageContaining("empty {}");
        assertThatThrownBy(() -> IndexPattern.parse("{nope-pattern-q}")).hasMessageContaining("date pattern");
        assertThatThrownBy(() -> IndexPattern.parse("_{topic}")).hasMessageContaining("must not start");
        assertThatThrownBy(() -> IndexPattern.parse("a b")).hasMessageContaining("must not contain ' '");
        assertThatThrownBy(() -> IndexPattern.parse("")).hasMessageContaining("empty");
    }
}
