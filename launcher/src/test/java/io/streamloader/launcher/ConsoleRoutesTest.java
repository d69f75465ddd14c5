package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.launcher.console.Replayer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunnerSettings ONE_TOPIC = sink(List.of("a"));
    private static final RunnerSettings TWO_TOPICS = sink(List.of("a", "b"));

    @Test
    void aReplayNeedsAReasonOrAPartitionAndNamesTheFieldOfEachMistake() {
        assertField("{}", ONE_TOPIC, "reason");
        assertField("{\"reason\":\"\"}", ONE_TOPIC, "reason");
        assertField("{\"reason\":7}", ONE_TOPIC, "reason");
        assertField("{\"partition\":-1}", ONE_TOPIC, "partition");
        assertField("{\"partition\":\"0\"}", ONE_TOPIC, "partition");
        assertField("{\"partition\":1.5}", ONE_TOPIC, "partition");
        assertField("{\"partition\":0,\"from\":-5}", ONE_TOPIC, "from");
        assertField("{\"partition\":0,\"from\":1.5}", ONE_TOPIC, "from");
        assertField("{\"partition\":0,\"from\":9,\"to\":3}", ONE_TOPIC, "to");
        assertField("{\"partition\":0,\"topic\":\"elsewhere\"}", ONE_TOPIC, "topic");
        assertField("{\"partition\":0}", TWO_TOPICS, "topic");
        assertField("{\"reason\":\"x\",\"limit\":0}", ONE_TOPIC, "limit");
        assertField("{\"reason\":\"x\",\"limit\":10001}", ONE_TOPIC, "limit");
        assertField("{\"reason\":\"" + "x".repeat(1001) + "\"}", ONE_TOPIC, "reason");
    }

    @Test
    void aValidSelectionKeepsWhatWasAsked() throws Exception {
        Replayer.Selection s = ConsoleRoutes.selection(
                JSON.readTree(
                        "{\"topic\":\"b.dlq\",\"partition\":2,\"from\":10,\"to\":20,\"reason\":\"bad\",\"limit\":5}"),
                TWO_TOPICS);

        assertThat(s.topic()).contains("b.dlq");
        assertThat(s.partition()).hasValue(2);
        assertThat(s.from()).isEqualTo(10);
        assertThat(s.to()).isEqualTo(20);
        assertThat(s.reason()).contains("bad");
        assertThat(s.limit()).isEqualTo(5);
        assertThat(ConsoleRoutes.selection(JSON.readTree("{\"reason\":\"bad\"}"), ONE_TOPIC)
                        .to())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void onlyTheEndpointsOwnOriginMayReplay() {
        assertThat(ConsoleRoutes.sameHost("http://127.0.0.1:8081", "127.0.0.1:8081"))
                .isTrue();
        assertThat(ConsoleRoutes.sameHost("https://evil.example", "127.0.0.1:8081"))
                .isFalse();
        assertThat(ConsoleRoutes.sameHost("null", "127.0.0.1:8081")).isFalse();
        assertThat(ConsoleRoutes.sameHost("http://[bad", "127.0.0.1:8081")).isFalse();
    }

    @Test
    void theQueryIsDecodedAndItsFirstValueOfANameCounts() {
        assertThat(ConsoleRoutes.query(URI.create("/x?sink=a%20b&limit=5&sink=ignored")))
                .isEqualTo(Map.of("sink", "a b", "limit", "5"));
        assertThat(ConsoleRoutes.query(URI.create("/x?sink=%E9&x"))).isEqualTo(Map.of("sink", "\uFFFD", "x", ""));
    }

    private static void assertField(String body, RunnerSettings sink, String field) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> ConsoleRoutes.selection(node, sink))
                .as(body)
                .isInstanceOfSatisfying(
                        ConsoleRoutes.BadRequest.class, e -> assertThat(e.field).isEqualTo(field));
    }

    private static RunnerSettings sink(List<String> topics) {
        return RunnerSettings.builder("s")
                .type("jsonl")
                .topics(topics)
                .groupId("g")
                .build();
    }
}
