package io.streamloader.devstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server with its in-memory backend, inside this JVM. One backend instance outlives every server
 * instance, so a stop drops the port and all client connections (a real outage) while the data survives until
 * the JVM exits. The memory backend is 3-4x faster than the H2 file backend and tests need nothing more durable.
 */
public final class LocalMongoService implements MongoService {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMongoService.class);

    private final MemoryBackend backend = new RestartableMemoryBackend();
    private int port;
    private MongoServer server;

    /** A server on {@code port} (0 = a free port, chosen at the first start). */
    public LocalMongoService(int port) {
        this.port = port;
    }

    @Override
    public String name() {
        return "MongoDB (mongo-java-server)";
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        if (port != 0) {
            Ports.claim(name(), port); // a clear message instead of netty's bind exception
        }
        MongoServer candidate = new MongoServer(backend);
        try {
            candidate.bind(Ports.HOST, port);
            port = candidate.getLocalAddress().getPort();
        } catch (RuntimeException e) {
            // bind() has already shut the server down; the shared backend survives that (see below).
            throw new DevStackException(name() + " failed to bind " + Ports.HOST + ":" + port + ": " + e, e);
        }
        server = candidate;
        LOG.info(
                "{} started on {} in {} ms",
                name(),
                connectionString(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdownNow(); // closes client connections too, as a crashed mongod would
        server = null;
        LOG.info("{} on port {} stopped", name(), port);
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public synchronized String connectionString() {
        return "mongodb://" + Ports.HOST + ":" + port;
    }

    /** MongoServer.shutdown() closes its backend, and closing a MemoryBackend drops every database. */
    private static final class RestartableMemoryBackend extends MemoryBackend {
        @Override
        public void close() {
            // keep the databases: the next server instance serves them
        }
    }
}
