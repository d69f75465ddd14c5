package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchTriageTest {
    private static final List<Event> SIX = TestingEvents.events(6);

    private static List<EventFailure> triage(String json, List<Event> events) {
        return ElasticsearchTriage.failures(json.getBytes(UTF_8), events);
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
                        FailureKind.PERMANENT, FailureKind.RETRIABLE, FailureKind.PERMANENT, FailureKind.RETRIABLE);
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
        assertThat(ElasticsearchTriage.classify(429, "circuit_breaking_exception"))
                .isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(500, "internal_server_error")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(503, "http_503")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(408, "http_408")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(400, "es_rejected_execution_exception"))
                .isEqualTo(Outcome.RETRIABLE);
        for (String type : List.of(
                "mapper_parsing_exception",
                "document_parsing_exception",
                "illegal_argument_exception",
                "strict_dynamic_mapping_exception")) {
            assertThat(ElasticsearchTriage.classify(400, type)).as(type).isEqualTo(Outcome.PERMANENT);
        }
        assertThat(ElasticsearchTriage.classify(409, "version_conflict_engine_exception"))
                .isEqualTo(Outcome.PERMANENT);
        assertThat(ElasticsearchTriage.classify(413, "http_413")).isEqualTo(Outcome.PERMANENT);
        assertThat(ElasticsearchTriage.classify(422, "http_422")).isEqualTo(Outcome.PERMANENT);
        // fixable by an operator, and bounded by the pipeline: retried alone, dead-lettered after its retry budget
        assertThat(ElasticsearchTriage.classify(403, "security_exception")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(401, "security_exception")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(404, "index_not_found_exception"))
                .isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(403, "cluster_block_exception")).isEqualTo(Outcome.RETRIABLE);
        assertThat(ElasticsearchTriage.classify(504, "http_504")).isEqualTo(Outcome.RETRIABLE);
    }

    /** Item errors Elasticsearch 8.19 gives hostile documents: every one is a 400, so every one is permanent. */
    @Test
    void hostileDocumentErrorsArePermanent() {
        String response = """
                {"errors":true,"items":[
                  {"index":{"status":400,"error":{"type":"document_parsing_exception","reason":
                    "[1:2] failed to parse: Invalid UTF-8 start byte 0xff"}}},
                  {"index":{"status":400,"error":{"type":"document_parsing_exception","reason":
                    "[1:8] Field [_id] is a metadata field and cannot be added inside a document."}}},
                  {"index":{"status":400,"error":{"type":"illegal_argument_exception","reason":
                    "Limit of total fields [1000] has been exceeded while adding new fields [1]"}}},
                  {"index":{"status":400,"error":{"type":"document_parsing_exception","reason":"[1:2] failed",
                    "caused_by":{"type":"illegal_argument_exception","reason":
                    "Limit of mapping depth [20] has been exceeded due to object field [a.a.a]"}}}},
                  {"index":{"status":400,"error":{"type":"document_parsing_exception","reason":
                    "[1:7] failed to parse: Duplicate field 'a'"}}},
                  {"index":{"status":201}}
                ]}""";
        List<EventFailure> failures = triage(response, SIX);
        assertThat(failures).extracting(f -> f.event().id()).containsExactly("e-0", "e-1", "e-2", "e-3", "e-4");
        assertThat(failures).allSatisfy(f -> assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT));
        assertThat(failures.get(3).reason())
                .endsWith("caused by illegal_argument_exception: Limit of mapping depth"
                        + " [20] has been exceeded due to object field [a.a.a]");
    }

    @Test
    void itemsAreMappedByPositionNotById() {
        List<Event> sameId = List.of(
                TestingEvents.event("dup", "{\"n\":1}"),
                TestingEvents.event("dup", "{\"n\":\"x\"}"),
                TestingEvents.event("dup", "{\"n\":2}"));
        String response = "{\"errors\":true,\"items\":[{\"index\":{\"_id\":\"dup\",\"status\":201}},"
                + "{\"index\":{\"_id\":\"dup\",\"status\":400,\"error\":{\"type\":\"document_parsing_exception\"}}},"
                + "{\"index\":{\"_id\":\"dup\",\"status\":200}}]}";
        assertThat(triage(response, sameId))
                .singleElement()
                .satisfies(f -> assertThat(f.event()).isSameAs(sameId.get(1)));
    }

    @Test
    void aWholeRequestErrorIsReadFromElasticsearchsErrorObjectOrTheRawBody() {
        assertThat(ElasticsearchTriage.requestError(("{\"error\":{\"root_cause\":[{\"type\":\"x\"}],"
                                + "\"type\":\"action_request_validation_exception\",\"reason\":\"Validation Failed: 1:"
                                + " id is too long\"},\"status\":400}")
                        .getBytes(UTF_8)))
                .containsExactly("action_request_validation_exception", "Validation Failed: 1: id is too long");
        assertThat(ElasticsearchTriage.requestError(
                        "{\"error\":\"Incorrect HTTP method\",\"status\":405}".getBytes(UTF_8)))
                .containsExactly("http_error", "Incorrect HTTP method");
        assertThat(ElasticsearchTriage.requestError(("<html>" + "x".repeat(1000) + "</html>").getBytes(UTF_8)))
                .satisfies(e -> assertThat(e[0]).isEqualTo("http_error"))
                .satisfies(e -> assertThat(e[1]).hasSize(500).startsWith("<html>"));
        assertThat(ElasticsearchTriage.requestError(new byte[0])).containsExactly("http_error", "");
    }

    @Test
    void aResponseThatDoesNotMatchTheRequestIsAnError() {
        String two = "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}";
        assertThatThrownBy(() -> triage(two, SIX.subList(0, 3))).hasMessageContaining("2 items for 3 actions");
        assertThatThrownBy(() -> triage(two, SIX.subList(0, 1))).hasMessageContaining("more items");
        assertThatThrownBy(() -> triage("<html>", SIX)).hasMessageContaining("unreadable bulk response");
    }
}
