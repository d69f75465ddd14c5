package io.streamloader.sink.elasticsearch;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.Transform;
import io.streamloader.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Cancellable;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started elasticsearch sink: splits each batch into NDJSON {@code _bulk} requests by documents and bytes, sends up
 * to {@code bulk.max-in-flight} of them at once, and triages every item of every response. Documents are the events'
 * bytes as they are (no parsing, no re-serialization) unless the timestamp enrichment is on. One worker's writer,
 * confined to its thread; the clients belong to the runner's {@link ElasticsearchSink}, which closes them.
 */
final class ElasticsearchWriter implements SinkWriter {
    /** Bulk item errors that say the store, not the document, refused: full write queues and index/cluster blocks. */
    private static final java.util.regex.Pattern ROUTE = java.util.regex.Pattern.compile("[a-z0-9_]{1,64}");

    private static final java.util.Set<String> STORE_WIDE_ITEM_ERRORS =
            java.util.Set.of("es_rejected_execution_exception", "cluster_block_exception");

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchWriter.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final int MAX_ID_BYTES = 512;
    private static final int PREFIX_CACHE_LIMIT = 10_000;

    private final String name;
    private final ElasticsearchSinkConfig config;
    private final Connections.Clients clients;
    private final Map<String, byte[]> actionPrefixes = new HashMap<>();

    ElasticsearchWriter(String name, ElasticsearchSinkConfig config, Connections.Clients clients) {
        this.name = name;
        this.config = config;
        this.clients = clients;
    }

    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        Deque<InFlight> inFlight = new ArrayDeque<>();
        byte[] ingestTime = config.timestampFormat().json(Instant.now()).getBytes(StandardCharsets.UTF_8);
        RetriableSinkException retry = null;
        BulkBody body = null;
        try {
            for (Event event : batch) {
                ByteBuffer doc;
                byte[] prefix;
                byte[] id;
                try {
                    doc = document(event, ingestTime, failures);
                    if (doc == null) {
                        continue;
                    }
                    prefix = actionPrefix(event);
                    id = Json.quote(event.id());
                } catch (RuntimeException e) {
                    // whatever this event's bytes, id or timestamp make the conversion throw is this event's failure
                    failures.add(EventFailure.permanent(
                            event,
                            "cannot build the bulk action for this event: " + e,
                            e.getClass().getName()));
                    continue;
                }
                int needed = doc.remaining() + BulkBody.overhead(prefix, id);
                if (body != null
                        && body.docs() > 0
                        && (body.docs() >= config.bulkMaxDocs() || body.size() + needed > config.bulkMaxBytes())) {
                    retry = send(body, inFlight, failures);
                    body = null;
                    if (retry != null) {
                        break; // the whole batch is retried; sending the rest now would only be repeated
                    }
                }
                if (body == null) {
                    body = new BulkBody((int) Math.min(config.bulkMaxBytes(), (long) needed * (batch.size() + 1)));
                }
                if (!body.add(event, prefix, id, doc)) {
                    failures.add(EventFailure.permanent(
                            event, "value is not one JSON object: " + Json.syntaxError(doc), "not_json"));
                }
            }
            if (body != null && body.docs() > 0 && retry == null) {
                retry = send(body, inFlight, failures);
            }
            while (!inFlight.isEmpty()) {
                RetriableSinkException r = complete(inFlight.poll(), failures);
                retry = retry == null ? r : retry;
            }
        } finally {
            inFlight.forEach(f -> f.cancellable().cancel()); // only after a fatal error
        }
        if (retry != null) {
            throw retry;
        }
        if (batch.size() > 1
                && failures.size() == batch.size()
                && failures.stream().allMatch(f -> STORE_WIDE_ITEM_ERRORS.contains(f.errorClass()))) {
            // every document refused for a reason no document causes (a full write queue, a read-only block): the
            // store is the problem, so the pipeline retries the batch for as long as it takes instead of counting
            // each event's own retry bound. Item errors one document can cause (a circuit breaker tripped by a huge
            // document, a 5xx) stay per event, so a few such documents retried together are still dead-lettered.
            throw new RetriableSinkException("Elasticsearch refused all " + batch.size() + " documents ("
                    + failures.getFirst().errorClass() + "), first: "
                    + failures.getFirst().reason());
        }
        return WriteResult.failed(failures);
    }

    /** The document to index, or null after recording why the event cannot be indexed. */
    private ByteBuffer document(Event event, byte[] ingestTime, List<EventFailure> failures) {
        if (!event.isJson()) {
            failures.add(EventFailure.permanent(
                    event, "content type " + event.contentType() + " is not JSON; nothing to index", "not_json"));
            return null;
        }
        if (event.valueSize() == 0) {
            failures.add(EventFailure.permanent(event, "empty value (tombstone); nothing to index", "empty_value"));
            return null;
        }
        if (idBytes(event.id()) > MAX_ID_BYTES) {
            failures.add(EventFailure.permanent(
                    event, "event id is longer than Elasticsearch's 512 bytes for _id", "id_too_long"));
            return null;
        }
        if (!config.positionalFields().isEmpty() && firstByte(event.value()) == '[') {
            byte[] object;
            try {
                object = Json.positionalObject(event.valueBytes(), config.positionalFields());
            } catch (RuntimeException e) {
                failures.add(EventFailure.permanent(
                        event, "positional array cannot be mapped to fields: " + e.getMessage(), "not_json"));
                return null;
            }
            return withTimestamp(event, object, ingestTime, failures);
        }
        if (config.timestampField().isPresent()) {
            return withTimestamp(event, event.valueBytes(), ingestTime, failures);
        }
        ByteBuffer value = event.value();
        // Only the first byte is checked here, which costs nothing on the happy path: Elasticsearch parses the document
        // anyway and names any other defect per item (invalid JSON or UTF-8, NUL bytes, duplicate keys, mapping
        // conflicts); a request it refuses as a whole is split until the refused document stands alone.
        for (int i = value.position(); i < value.limit(); i++) {
            byte b = value.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                if (b == '{') {
                    return value;
                }
                failures.add(EventFailure.permanent(event, notAnObject(b), "not_json"));
                return null;
            }
        }
        failures.add(EventFailure.permanent(event, "value is only whitespace, not a JSON object", "not_json"));
        return null;
    }

    /** {@code doc} with the ingest time in {@code timestamp.field} when that is on; null after recording a failure. */
    private ByteBuffer withTimestamp(Event event, byte[] doc, byte[] ingestTime, List<EventFailure> failures) {
        if (config.timestampField().isEmpty()) {
            return ByteBuffer.wrap(doc);
        }
        try {
            return ByteBuffer.wrap(Json.withField(doc, config.timestampField().get(), ingestTime));
        } catch (RuntimeException e) {
            failures.add(EventFailure.permanent(event, "value is not a JSON object: " + e.getMessage(), "not_json"));
            return null;
        }
    }

    /** The first byte that is not JSON whitespace, or -1. */
    private static int firstByte(ByteBuffer value) {
        for (int i = value.position(); i < value.limit(); i++) {
            byte b = value.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b;
            }
        }
        return -1;
    }

    private static String notAnObject(byte first) {
        if (first == '[') {
            return "value is a JSON array, not a JSON object; Elasticsearch indexes objects only (set"
                    + " positional.fields to map a positional array's elements to fields)";
        }
        if (first == '"'
                || first == '-'
                || (first >= '0' && first <= '9')
                || first == 't'
                || first == 'f'
                || first == 'n') {
            return "value is a JSON scalar or not JSON, not a JSON object; Elasticsearch indexes objects only";
        }
        return "value is not a JSON object (it starts with byte 0x" + String.format("%02x", first & 0xff) + ")";
    }

    private static int idBytes(String id) {
        return id.length() * 3 <= MAX_ID_BYTES ? id.length() : id.getBytes(StandardCharsets.UTF_8).length;
    }

    private byte[] actionPrefix(Event event) {
        String route = event.headers().get(Transform.ROUTE_HEADER);
        if (route == null && !config.index().usesTime()) {
            return actionPrefixes.computeIfAbsent(
                    event.topic(), t -> BulkBody.actionPrefix(config.index().resolve(t, Instant.EPOCH)));
        }
        String index = config.index().resolve(event.topic(), event.timestamp());
        if (route != null) {
            // set by a route transform (the pipeline never takes this header from Kafka); checked again all the same
            if (!ROUTE.matcher(route).matches()) {
                throw new IllegalArgumentException("route '" + route + "' must match [a-z0-9_]{1,64}");
            }
            index = index + "-" + route;
        }
        if (actionPrefixes.size() > PREFIX_CACHE_LIMIT) {
            actionPrefixes.clear();
        }
        // routed indexes are cached apart: without dates the cache is keyed by topic, and a topic may look like one
        String resolved = index;
        String key = route == null ? index : "\u0000" + index;
        return actionPrefixes.computeIfAbsent(key, k -> BulkBody.actionPrefix(resolved));
    }

    /** Sends a request once fewer than {@code bulk.max-in-flight} are outstanding; non-null means retry the batch. */
    private RetriableSinkException send(BulkBody body, Deque<InFlight> inFlight, List<EventFailure> failures) {
        RetriableSinkException retry = null;
        while (inFlight.size() >= config.bulkMaxInFlight()) {
            RetriableSinkException r = complete(inFlight.poll(), failures);
            retry = retry == null ? r : retry;
        }
        if (retry != null) {
            return retry;
        }
        inFlight.add(start(body));
        return null;
    }

    private InFlight start(BulkBody body) {
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", ElasticsearchTriage.FILTER_PATH);
        request.setEntity(new NByteArrayEntity(body.array(), 0, body.size(), NDJSON));
        CompletableFuture<Response> response = new CompletableFuture<>();
        Cancellable cancellable = clients.rest().performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response r) {
                response.complete(r);
            }

            @Override
            public void onFailure(Exception e) {
                response.completeExceptionally(e);
            }
        });
        return new InFlight(body, response, cancellable);
    }

    /** Waits for one request and triages its items; non-null means the request failed as a whole, transiently. */
    private RetriableSinkException complete(InFlight request, List<EventFailure> failures) {
        long waitMillis =
                config.connectTimeout().toMillis() + 2 * config.requestTimeout().toMillis() + 10_000;
        byte[] body;
        try {
            Response response = request.response().get(waitMillis, TimeUnit.MILLISECONDS);
            body = EntityUtils.toByteArray(response.getEntity());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancellable().cancel();
            return new RetriableSinkException("interrupted while waiting for Elasticsearch", e);
        } catch (TimeoutException e) {
            request.cancellable().cancel();
            return new RetriableSinkException("no bulk response from Elasticsearch within " + waitMillis + " ms", e);
        } catch (IOException e) {
            return new RetriableSinkException("reading a bulk response failed: " + e, e);
        } catch (ExecutionException e) {
            return wholeRequestFailure(e.getCause(), request.body(), failures);
        }
        List<EventFailure> items;
        try {
            items = ElasticsearchTriage.failures(body, request.body().events());
        } catch (IllegalStateException e) {
            // Elasticsearch answers a well-framed request (every line is built here) with one item per action; an
            // answer that is not one is about whatever sits between us and it, never about one event.
            throw new FatalSinkException(
                    "the answer to a bulk request is not Elasticsearch's bulk response (is a proxy at " + config.urls()
                            + " rewriting it?): " + e.getMessage(),
                    e);
        }
        if (!items.isEmpty()) {
            log.debug("sink {}: {} of {} documents failed in a bulk request", name, items.size(), request.docs());
        }
        failures.addAll(items);
        return null;
    }

    /**
     * A bulk request that failed as a whole. Transient ones retry the batch. A request refused as malformed (400) or
     * too large (413) is sent again in halves until the refused document stands alone, so one event's fault never
     * costs its neighbours. Refused credentials and any other answer are about the store or the configuration.
     */
    private RetriableSinkException wholeRequestFailure(Throwable cause, BulkBody body, List<EventFailure> failures) {
        if (cause instanceof ResponseException re) {
            int status = re.getResponse().getStatusLine().getStatusCode();
            if (status == 429 || status == 408 || status >= 500) {
                return new RetriableSinkException("Elasticsearch answered " + status + " to a bulk request", re);
            }
            String[] error = ElasticsearchTriage.requestError(entity(re));
            if (status == 400 || status == 413) {
                return split(body, status, error, failures);
            }
            if (status == 401 || status == 403) {
                throw new FatalSinkException(
                        "Elasticsearch refused the sink's credentials with " + status + " " + error[0] + ": " + error[1]
                                + "; check sinks." + name + ".config." + ElasticsearchSinkConfig.USERNAME + "/"
                                + ElasticsearchSinkConfig.PASSWORD + " or " + ElasticsearchSinkConfig.API_KEY
                                + " and the user's index privileges",
                        re);
            }
            throw new FatalSinkException(
                    "Elasticsearch answered " + status + " " + error[0] + " to POST /_bulk: " + error[1]
                            + "; check sinks." + name + ".config." + ElasticsearchSinkConfig.URLS + " (" + config.urls()
                            + ")",
                    re);
        }
        if (cause instanceof IOException io) {
            return new RetriableSinkException("Elasticsearch not reachable at " + config.urls() + ": " + io, io);
        }
        throw new FatalSinkException("bulk request to " + config.urls() + " failed: " + cause, cause);
    }

    private RetriableSinkException split(BulkBody body, int status, String[] error, List<EventFailure> failures) {
        if (body.docs() == 1) {
            Event event = body.events().getFirst();
            failures.add(
                    status == 413
                            ? EventFailure.permanent(
                                    event,
                                    "Elasticsearch refused a request holding only this document (" + event.valueSize()
                                            + " bytes) as too large (413): it is over the cluster's"
                                            + " http.max_content_length",
                                    "request_entity_too_large")
                            : EventFailure.permanent(
                                    event,
                                    "Elasticsearch refused a bulk request holding only this document: " + status + " "
                                            + error[0] + ": " + error[1],
                                    error[0]));
            return null;
        }
        log.warn(
                "sink {}: Elasticsearch refused a bulk request of {} documents ({} bytes) with {} {}: {}; sending it"
                        + " again in halves{}",
                name,
                body.docs(),
                body.size(),
                status,
                error[0],
                error[1],
                status == 413
                        ? "; lower sinks." + name + ".config." + ElasticsearchSinkConfig.BULK_MAX_BYTES
                                + " below the cluster's http.max_content_length"
                        : "");
        int middle = body.docs() / 2;
        RetriableSinkException retry = complete(start(body.slice(0, middle)), failures);
        return retry != null ? retry : complete(start(body.slice(middle, body.docs())), failures);
    }

    private static byte[] entity(ResponseException e) {
        try {
            return e.getResponse().getEntity() == null
                    ? new byte[0]
                    : EntityUtils.toByteArray(e.getResponse().getEntity());
        } catch (IOException | RuntimeException unreadable) {
            return new byte[0];
        }
    }

    private record InFlight(BulkBody body, CompletableFuture<Response> response, Cancellable cancellable) {
        int docs() {
            return body.docs();
        }
    }
}
