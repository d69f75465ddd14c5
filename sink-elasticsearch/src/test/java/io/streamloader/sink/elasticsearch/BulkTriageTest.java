package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTriageTest {
    private static final List<Event> SIX = TestingEvents.events(6);

    private static List<EventFailure> triage(String json, List<Event> events) {
        return BulkTriage.failures(json.getBytes(UTF_8), events);
    }

    @Test
    void noErrorsMeansNoFailuresWithoutReadingItems() {
        assertThat(triage("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}", SIX))
                .isEmpty();
    }

    /** Item errors as Elasticsearch 8.19 reports them, mapped to the event at the same position. */
    @Test
    void everyFailedItemIsMappedToTheEventAtItsPosition() {
        String response = """
                {"took":12,"errors":true,"items":[
                  {"index":{"_index":"clicks","_id":"e-0","status":201,"result":"created"}},
                  {"index":{"_index":"clicks","_id":"e-1","status":400,"error":{"type":"document_parsing_exception",
                    "reason":"[1:12] failed to parse field [clicks] of type [long] in document with id 'e-1'.",
                    "caused_by":{"type":"illegal_argument_exception","reason":"For input string: \\"many\\""}}}},
                  {"index":{"_index":"clicks","_id":"e-2","status":429,"error":{"type":"es_rejected_execution_exception",
                    "reason":"rejected execution of coordinating operation"}}},
                  {"index":{"_index":"clicks","_id":"e-3","status":200,"result":"updated"}},
                  {"index":{"_index":"clicks","_id":"e-4","status":400,"error":{
                    "type":"strict_dynamic_mapping_exception",
                    "reason":"[1:9] mapping set to strict, dynamic introduction of [colour] within [_doc] is not allowed"}}},
                  {"index":{"_index":"clicks","_id":"e-5","status":503,"error":{"type":"unavailable_shards_exception",
                    "reason":"primary shard is not active"}}}
                ]}""";
        List<EventFailure> failures = triage(response, SIX);
        assertThat(failures).extracting(f -> f.event().id()).containsExactly("e-1", "e-2", "e-4", "e-5");
        assertThat(failures)
                .extracting(EventFailure::kind)
                .containsExactly(
                        FailureKind.PERMANENT, FailureKind.RETRYABLE, FailureKind.PERMANENT, FailureKind.RETRYABLE);
        assertThat(failures.get(0).errorClass()).isEqualTo("document_parsing_exception");
        assertThat(failures.get(0).reason())
                .isEqualTo("Elasticsearch 400 document_parsing_exception: [1:12] failed to parse field [clicks] of type"
                        + " [long] in document with id 'e-1'.; caused by illegal_argument_exception: For input string:"
                        + " \"many\"");
        assertThat(failures.get(2).reason()).contains("mapping set to strict");
    }

    @Test
    void filteredResponseShapeIsReadToo() {
        String filtered = "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":400,"
                + "\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse\"}}}]}";
        assertThat(triage(filtered, SIX.subList(0, 2))).singleElement().satisfies(f -> {
            assertThat(f.event().id()).isEqualTo("e-1");
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.errorClass()).isEqualTo("mapper_parsing_exception");
        });
    }

    @Test
    void classification() {
        assertThat(BulkTriage.classify(429, "circuit_breaking_exception")).isEqualTo(FailureKind.RETRYABLE);
        assertThat(BulkTriage.classify(500, "internal_server_error")).isEqualTo(FailureKind.RETRYABLE);
        assertThat(BulkTriage.classify(503, "http_503")).isEqualTo(FailureKind.RETRYABLE);
        assertThat(BulkTriage.classify(408, "http_408")).isEqualTo(FailureKind.RETRYABLE);
        assertThat(BulkTriage.classify(400, "es_rejected_execution_exception")).isEqualTo(FailureKind.RETRYABLE);
        for (String type : List.of(
                "mapper_parsing_exception",
                "document_parsing_exception",
                "illegal_argument_exception",
                "strict_dynamic_mapping_exception")) {
            assertThat(BulkTriage.classify(400, type)).as(type).isEqualTo(FailureKind.PERMANENT);
        }
    }

    @Test
    void aResponseThatDoesNotMatchTheRequestIsAnError() {
        String two = "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}";
        assertThatThrownBy(() -> triage(two, SIX.subList(0, 3))).hasMessageContaining("2 items for 3 actions");
        assertThatThrownBy(() -> triage(two, SIX.subList(0, 1))).hasMessageContaining("more items");
        assertThatThrownBy(() -> triage("<html>", SIX)).hasMessageContaining("unreadable bulk response");
    }
}
