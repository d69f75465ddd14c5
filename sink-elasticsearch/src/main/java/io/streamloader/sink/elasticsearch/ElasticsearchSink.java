package io.streamloader.sink.elasticsearch;

import co.elastic.clients.elasticsearch._types.HealthStatus;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * bytes as they are (no parsing, no re-serialization) unless the timestamp enrichment is on. Confined to one worker
 * thread, except {@link #checkHealth()}.
 */
final class ElasticsearchSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(ElasticsearchSink.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final int MAX_ID_BYTES = 512;
    private static final int PREFIX_CACHE_LIMIT = 10_000;

    private final String name;
    private final ElasticsearchSinkConfig config;
    private final Connections.Clients clients;
    private final Map<String, byte[]> actionPrefixes = new HashMap<>();
    private volatile boolean closed;

    ElasticsearchSink(String name, ElasticsearchSinkConfig config, Connections.Clients clients) {
        this.name = name;
        this.config = config;
        this.clients = clients;
    }

    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        Deque<InFlight> inFlight = new ArrayDeque<>();
        String ingestTime = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        RetriableSinkException retry = null;
        BulkBody body = null;
        try {
            for (Event event : batch) {
                ByteBuffer doc = document(event, ingestTime, failures);
                if (doc == null) {
                    continue;
                }
                byte[] prefix = actionPrefix(event);
                byte[] id = Json.quote(event.id());
                int needed = doc.remaining() + BulkBody.overhead(prefix, id);
                if (body != null
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
                body.add(event, prefix, id, doc);
            }
            if (body != null && retry == null) {
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
        return WriteResult.failed(failures);
    }

    /** The document to index, or null after recording why the event cannot be indexed. */
    private ByteBuffer document(Event event, String ingestTime, List<EventFailure> failures) {
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
        if (config.timestampField().isPresent()) {
            try {
                return ByteBuffer.wrap(Json.withStringField(
                        event.value(), config.timestampField().get(), ingestTime));
            } catch (RuntimeException e) {
                failures.add(
                        EventFailure.permanent(event, "value is not a JSON object: " + e.getMessage(), "not_json"));
                return null;
            }
        }
        ByteBuffer value = event.valueBuffer();
        // Only the first byte is checked here: Elasticsearch parses the document anyway and names any other defect.
        for (int i = value.position(); i < value.limit(); i++) {
            byte b = value.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                if (b == '{') {
                    return value;
                }
                break;
            }
        }
        failures.add(EventFailure.permanent(event, "value is not a JSON object", "not_json"));
        return null;
    }

    private static int idBytes(String id) {
        return id.length() * 3 <= MAX_ID_BYTES ? id.length() : id.getBytes(StandardCharsets.UTF_8).length;
    }

    private byte[] actionPrefix(Event event) {
        if (!config.index().usesTime()) {
            return actionPrefixes.computeIfAbsent(
                    event.topic(), t -> BulkBody.actionPrefix(config.index().resolve(t, Instant.EPOCH)));
        }
        String index = config.index().resolve(event.topic(), event.timestamp());
        if (actionPrefixes.size() > PREFIX_CACHE_LIMIT) {
            actionPrefixes.clear();
        }
        return actionPrefixes.computeIfAbsent(index, BulkBody::actionPrefix);
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
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", BulkTriage.FILTER_PATH);
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
        inFlight.add(new InFlight(body.events(), body.size(), response, cancellable));
        return null;
    }

    /** Waits for one request and triages its items; non-null means the request failed as a whole, transiently. */
    private RetriableSinkException complete(InFlight request, List<EventFailure> failures) {
        long waitMillis =
                config.connectTimeout().toMillis() + 2 * config.requestTimeout().toMillis() + 10_000;
        try {
            Response response = request.response().get(waitMillis, TimeUnit.MILLISECONDS);
            byte[] body = EntityUtils.toByteArray(response.getEntity());
            List<EventFailure> items = BulkTriage.failures(body, request.events());
            if (!items.isEmpty()) {
                log.debug("sink {}: {} of {} documents failed in a bulk request", name, items.size(), request.docs());
            }
            failures.addAll(items);
            return null;
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
            return wholeRequestFailure(e.getCause(), request);
        }
    }

    /** A bulk request that failed as a whole: transient ones retry the batch, the rest stop the runner. */
    private RetriableSinkException wholeRequestFailure(Throwable cause, InFlight request) {
        if (cause instanceof ResponseException re) {
            int status = re.getResponse().getStatusLine().getStatusCode();
            if (status == 429 || status == 408 || status >= 500) {
                return new RetriableSinkException("Elasticsearch answered " + status + " to a bulk request", re);
            }
            if (status == 413) {
                throw new IllegalStateException(
                        "Elasticsearch refused a bulk request of " + request.bytes()
                                + " bytes as too large (413); lower sinks." + name + ".config."
                                + ElasticsearchSinkConfig.BULK_MAX_BYTES + " below its http.max_content_length",
                        re);
            }
            throw new IllegalStateException(
                    "Elasticsearch refused a bulk request with " + status + ": " + re.getMessage(), re);
        }
        if (cause instanceof IOException io) {
            return new RetriableSinkException("Elasticsearch not reachable at " + config.urls() + ": " + io, io);
        }
        throw new IllegalStateException("bulk request failed: " + cause, cause);
    }

    /** Healthy when the cluster answers and is not red; safe to call from any thread. */
    @Override
    public void checkHealth() throws Exception {
        HealthStatus status = clients.typed().cluster().health().status();
        if (status == HealthStatus.Red) {
            throw new IllegalStateException("Elasticsearch cluster health is red");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clients.close();
        } catch (IOException | RuntimeException e) {
            log.warn("sink {}: closing the Elasticsearch client failed", name, e);
        }
    }

    private record InFlight(
            List<Event> events, int bytes, CompletableFuture<Response> response, Cancellable cancellable) {
        int docs() {
            return events.size();
        }
    }
}
