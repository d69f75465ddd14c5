package io.streamloader.sink.elasticsearch;

import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads a {@code _bulk} response and turns every failed item into an {@link EventFailure} for the event at the same
 * position of the request (Elasticsearch answers items in request order, one per action). Stateless.
 */
final class ElasticsearchTriage {
    /** What Elasticsearch needs to answer for triage; keeps responses small ({@code filter_path}). */
    static final String FILTER_PATH = "errors,items.*.status,items.*.error";

    /** Error types that mean "try again later" whatever the status says. */
    private static final Set<String> RETRIABLE_TYPES = Set.of(
            "es_rejected_execution_exception",
            "circuit_breaking_exception",
            "unavailable_shards_exception",
            "no_shard_available_action_exception",
            "node_not_connected_exception",
            "node_disconnected_exception",
            "node_closed_exception",
            "connect_transport_exception",
            "receive_timeout_transport_exception",
            "process_cluster_event_timeout_exception",
            "timeout_exception",
            "cluster_block_exception");

    private ElasticsearchTriage() {}

    /**
     * The failed items of a bulk response, each mapped to the event sent at its position.
     *
     * @param body the response body (JSON, possibly filtered with {@link #FILTER_PATH})
     * @param events the events of the request, in the order their actions were written
     * @throws IllegalStateException when the response is not a bulk response for {@code events}
     */
    static List<EventFailure> failures(byte[] body, List<Event> events) {
        List<EventFailure> failures = new ArrayList<>();
        try (JsonParser p = Json.parser(body, 0, body.length)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("errors") && value == JsonToken.VALUE_FALSE) {
                    return List.of(); // the usual case: no need to read thousands of items
                } else if (name.equals("items")) {
                    expect(value, JsonToken.START_ARRAY);
                    int position = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        if (position >= events.size()) {
                            throw new IllegalStateException(
                                    "bulk response has more items than the " + events.size() + " actions sent");
                        }
                        expect(p.nextToken(), JsonToken.PROPERTY_NAME); // the action: index
                        expect(p.nextToken(), JsonToken.START_OBJECT);
                        EventFailure failure = item(p, events.get(position));
                        if (failure != null) {
                            failures.add(failure);
                        }
                        expect(p.nextToken(), JsonToken.END_OBJECT);
                        position++;
                    }
                    if (position != events.size()) {
                        throw new IllegalStateException(
                                "bulk response has " + position + " items for " + events.size() + " actions sent");
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new IllegalStateException("unreadable bulk response: " + e.getOriginalMessage(), e);
        }
        return failures;
    }

    /** Reads one item's object (after its START_OBJECT, through its END_OBJECT); null when it succeeded. */
    private static EventFailure item(JsonParser p, Event event) {
        int status = 0;
        String type = null;
        String reason = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
                status = p.getIntValue();
            } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
                String[] error = error(p);
                type = error[0];
                reason = error[1];
            } else if (name.equals("error") && value == JsonToken.VALUE_STRING) {
                reason = p.getString();
            } else {
                p.skipChildren();
            }
        }
        if (type == null && reason == null && status >= 200 && status < 300) {
            return null;
        }
        String errorClass = type == null ? "http_" + status : type;
        String message = "Elasticsearch " + status + " " + errorClass + ": " + (reason == null ? "" : reason);
        return new EventFailure(event, classify(status, errorClass).failureKind(), message, errorClass);
    }

    /**
     * {type, reason} of an error answer to a whole request ({@code {"error":{...},"status":400}}); {"http_error", the
     * body's first 500 characters} when it is not one (a proxy's page, plain text).
     */
    static String[] requestError(byte[] body) {
        try (JsonParser p = Json.parser(body, 0, body.length)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("error") && value == JsonToken.START_OBJECT) {
                        String[] error = error(p);
                        return new String[] {error[0] == null ? "http_error" : error[0], error[1]};
                    } else if (name.equals("error") && value == JsonToken.VALUE_STRING) {
                        return new String[] {"http_error", p.getString()};
                    }
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            // not JSON: fall through to the raw text
        }
        String text = new String(body, 0, Math.min(body.length, 500), java.nio.charset.StandardCharsets.UTF_8);
        return new String[] {"http_error", text.strip()};
    }

    /** {type, "reason; caused by: type: reason ..."} of an error object, read through its END_OBJECT. */
    private static String[] error(JsonParser p) {
        String type = null;
        StringBuilder reason = new StringBuilder();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                type = p.getString();
            } else if (name.equals("reason") && value == JsonToken.VALUE_STRING) {
                reason.insert(0, p.getString());
            } else if (name.equals("caused_by") && value == JsonToken.START_OBJECT) {
                String[] cause = error(p);
                reason.append("; caused by ").append(cause[0]).append(": ").append(cause[1]);
            } else {
                p.skipChildren();
            }
        }
        return new String[] {type, reason.toString()};
    }

    /**
     * Per item: throttling (429), timeouts (408), server-side trouble (5xx), rejected executions and blocks (a flood-
     * stage disk, an index set read-only) pass; so may a missing privilege (401/403) or a missing index with
     * auto-creation off (404) once an operator acts. Those are retried alone, and the pipeline bounds how long an event
     * may keep failing, so a 5xx that some document causes every time ends in the dead-letter topic too. Everything
     * else, 400 above all (mapping conflicts, unparseable documents, refused field names, field and depth limits,
     * strict-mapping violations) and any other 4xx, fails again the same way, so it is permanent.
     */
    static Outcome classify(int status, String type) {
        if (status == 429
                || status == 408
                || status >= 500
                || status == 401
                || status == 403
                || status == 404
                || RETRIABLE_TYPES.contains(type)) {
            return Outcome.RETRIABLE;
        }
        return Outcome.PERMANENT;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("unexpected bulk response: " + actual + " where " + expected + " belongs");
        }
    }
}
