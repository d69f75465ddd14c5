package io.streamloader.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hostile-value rules of the flows views that need no broker (the views themselves: {@code ConsoleIT}). */
class FlowViewsTest {

    @Test
    void textIsCutAndInvisibleOrMisleadingCharactersAreEscaped() {
        assertThat(FlowViews.safe("OGC Nice")).isEqualTo("OGC Nice");
        assertThat(FlowViews.safe("x".repeat(5000)))
                .hasSize(FlowViews.MAX_TEXT + 1)
                .endsWith("…");
        assertThat(FlowViews.safe("evil\u202etxt.exe")).doesNotContain("\u202e").contains("evil");
        assertThat(FlowViews.safe("a\u0000b")).doesNotContain("\u0000");
    }

    @Test
    void onlySmallWellFormedJsonIsParsed() {
        assertThat(FlowViews.parse(null)).isNull();
        assertThat(FlowViews.parse(new byte[0])).isNull();
        assertThat(FlowViews.parse("{broken".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(FlowViews.parse(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isNull();
        String big = "{\"a\":\"" + "x".repeat(FlowViews.MAX_JSON_BYTES) + "\"}";
        assertThat(FlowViews.parse(big.getBytes(StandardCharsets.UTF_8))).isNull();
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(FlowViews.parse(deep.getBytes(StandardCharsets.UTF_8))).isNull(); // nesting limit, no stack overflow
        assertThat(FlowViews.parse("{\"vin\":\"V1\"}".getBytes(StandardCharsets.UTF_8))
                        .get("vin")
                        .asText())
                .isEqualTo("V1");
    }
}
