package io.streamloader.sink.elasticsearch;

import co.elastic.clients.elasticsearch._types.HealthStatus;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An elasticsearch sink opened for one runner: the clients (thread-safe, one connection pool for all workers), with
 * the templates installed by {@link ElasticsearchSinkFactory#open}. Each worker writes through an {@link
 * ElasticsearchWriter} of its own over these clients.
 */
final class ElasticsearchSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(ElasticsearchSink.class);

    private final String name;
    private final ElasticsearchSinkConfig config;
    private final Connections.Clients clients;
    private volatile boolean closed;

    ElasticsearchSink(String name, ElasticsearchSinkConfig config, Connections.Clients clients) {
        this.name = name;
        this.config = config;
        this.clients = clients;
    }

    @Override
    public SinkWriter newWriter() {
        return new ElasticsearchWriter(name, config, clients);
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
}
