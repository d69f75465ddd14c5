package io.streamloader.examples.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void appendsOneCompactLinePerEventToItsPartitionsFile() throws IOException {
        try (SinkWriter sink = new JsonlSink("files", new JsonlSinkConfig(dir, true)).newWriter()) {
            assertThat(sink.write(List.of(
                                    event("a", 0, 10, "{\n  \"n\": 1,\n  \"s\": \"x\\ny\"\n}"),
                                    event("b", 1, 20, "[1, 2]"),
                                    event("c", 0, 11, "\"text\"")))
                            .isSuccess())
                    .isTrue();
            assertThat(sink.write(List.of(event("d", 0, 12, "null"))).isSuccess())
                    .isTrue();
        }
        List<String> p0 = Files.readAllLines(dir.resolve("clicks/0.jsonl"));
        assertThat(p0)
                .containsExactly(
                        "{\"id\":\"a\",\"topic\":\"clicks\",\"partition\":0,\"offset\":10,"
                                + "\"timestamp\":\"2025-01-02T03:04:05Z\",\"value\":{\"n\":1,\"s\":\"x\\ny\"}}",
                        "{\"id\":\"c\",\"topic\":\"clicks\",\"partition\":0,\"offset\":11,"
                                + "\"timestamp\":\"2025-01-02T03:04:05Z\",\"value\":\"text\"}",
                        "{\"id\":\"d\",\"topic\":\"clicks\",\"partition\":0,\"offset\":12,"
                                + "\"timestamp\":\"2025-01-02T03:04:05Z\",\"value\":null}");
        JsonNode b = MAPPER.readTree(Files.readString(dir.resolve("clicks/1.jsonl")));
        assertThat(b.get("id").asText()).isEqualTo("b");
        assertThat(b.get("value")).isEqualTo(MAPPER.readTree("[1,2]"));
    }

    @Test
    void aTombstoneIsWrittenWithANullValue() throws IOException {
        try (SinkWriter sink = new JsonlSink("files", new JsonlSinkConfig(dir, false)).newWriter()) {
            sink.write(List.of(event("gone", 0, 1, "")));
        }
        JsonNode line = MAPPER.readTree(Files.readString(dir.resolve("clicks/0.jsonl")));
        assertThat(line.get("value").isNull()).isTrue();
    }

    @Test
    void badValuesFailPermanentlyAndTheRestIsStored() throws IOException {
        Event broken = event("broken", 0, 1, "{\"n\": ");
        Event twoValues = event("two", 0, 2, "{} {}");
        Event binary = Event.builder()
                .id("png")
                .topic("clicks")
                .partition(0)
                .offset(3)
                .timestamp(Instant.EPOCH)
                .value(new byte[] {(byte) 0x89, 'P'})
                .contentType("image/png")
                .build();
        WriteResult result;
        try (SinkWriter sink = new JsonlSink("files", new JsonlSinkConfig(dir, true)).newWriter()) {
            result = sink.write(List.of(broken, event("ok", 0, 4, "{}"), twoValues, binary));
        }
        assertThat(result.failures()).extracting(EventFailure::event).containsExactly(broken, twoValues, binary);
        assertThat(result.failures()).allSatisfy(f -> assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT));
        assertThat(result.failures().get(1).reason()).contains("more than one JSON value");
        assertThat(result.failures().get(2).reason()).isEqualTo("value is not JSON: its content type is image/png");
        assertThat(Files.readAllLines(dir.resolve("clicks/0.jsonl")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("\"id\":\"ok\""));
    }

    @Test
    void aFileThatCannotBeWrittenMakesTheBatchRetriable() throws IOException {
        Files.writeString(dir.resolve("clicks"), "a file where the topic directory should be");
        try (SinkWriter sink = new JsonlSink("files", new JsonlSinkConfig(dir, true)).newWriter()) {
            assertThatThrownBy(() -> sink.write(List.of(event("a", 0, 1, "{}"))))
                    .isInstanceOf(RetriableSinkException.class)
                    .hasMessageContaining("sink files: appending to");
        }
    }

    @Test
    void aWriterKeepsAPartitionsFileOpenUntilThePartitionIsRevokedAndAnotherWorkerMayAppendThen() throws Exception {
        JsonlSink sink = new JsonlSink("files", new JsonlSinkConfig(dir, false));
        JsonlSink.Writer first = (JsonlSink.Writer) sink.newWriter();
        JsonlSink.Writer second = (JsonlSink.Writer) sink.newWriter();
        SourcePartition p0 = new SourcePartition("clicks", 0);
        SourcePartition p1 = new SourcePartition("clicks", 1);

        first.write(List.of(event("a", 0, 1, "{}"), event("b", 1, 1, "{}")));
        assertThat(first.files()).containsOnlyKeys(p0, p1);
        first.partitionsRevoked(List.of(p0));
        assertThat(first.files()).as("the revoked partition's file is closed").containsOnlyKeys(p1);

        second.partitionsAssigned(List.of(p0)); // the partition's new owner
        second.write(List.of(event("c", 0, 2, "{}")));
        second.partitionsRevoked(List.of(p0));
        first.write(List.of(event("d", 0, 3, "{}"))); // assigned back: reopened, appended after the other's line
        first.partitionsRevoked(List.of(p0, p1));

        assertThat(first.files()).isEmpty();
        assertThat(second.files()).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("clicks/0.jsonl")))
                .extracting(line -> MAPPER.readTree(line).get("id").asText())
                .containsExactly("a", "c", "d");
    }

    @Test
    void healthFollowsTheDirectory() throws Exception {
        JsonlSink sink = new JsonlSink("files", new JsonlSinkConfig(dir.resolve("missing"), true));
        assertThatThrownBy(sink::checkHealth).hasMessageContaining("is not a writable directory");
        Files.createDirectories(dir.resolve("missing"));
        sink.checkHealth();
        sink.close();
        sink.close(); // idempotent
    }

    private static Event event(String id, int partition, long offset, String json) {
        return Event.builder()
                .id(id)
                .topic("clicks")
                .partition(partition)
                .offset(offset)
                .timestamp(Instant.parse("2025-01-02T03:04:05Z"))
                .value(json.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
