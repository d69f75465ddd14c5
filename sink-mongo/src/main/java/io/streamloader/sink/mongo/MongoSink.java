package io.streamloader.sink.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

/**
 * A mongo sink opened for one runner: one client (thread-safe, one connection pool) and the indexes of every
 * collection known at start, created once. Each worker writes through a {@link MongoWriter} of its own; a collection
 * first met by a write (a pattern or route) gets its indexes from the first writer that meets it.
 */
final class MongoSink implements Sink {
    private static final BsonDocument PING = new BsonDocument("ping", new BsonInt32(1));

    private final MongoSinkConfig config;
    private final MongoClient client;
    private final IndexInstaller indexes;
    private final Set<MongoNamespace> prepared = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MongoSink(MongoSinkConfig config, MongoClient client) {
        this.config = config;
        this.client = client;
        this.indexes = new IndexInstaller(config, client);
    }

    /** Pings the server and creates the indexes of every collection already known; the factory closes on failure. */
    void start() {
        try {
            client.getDatabase("admin").runCommand(PING);
            for (MongoNamespace namespace : indexes.knownNamespaces()) {
                indexes.ensure(namespace);
                prepared.add(namespace);
            }
        } catch (MongoException e) {
            if (MongoTriage.of(e) == Outcome.UNAVAILABLE) {
                throw new RetriableSinkException(
                        "MongoDB at " + config.maskedConnectionString() + " is not reachable: " + e.getMessage(), e);
            }
            throw new FatalSinkException(
                    "MongoDB at " + config.maskedConnectionString() + " refused the sink at start: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public SinkWriter newWriter() {
        return new MongoWriter(config, client, indexes, prepared);
    }

    @Override
    public void checkHealth() {
        client.getDatabase("admin").runCommand(PING);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
