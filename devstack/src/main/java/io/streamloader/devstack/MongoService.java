package io.streamloader.devstack;

/**
 * A MongoDB wire-protocol endpoint: mongo-java-server in this JVM by default, or a real {@code mongod} container in
 * containers mode. The local server lacks transactions, sessions, {@code $text} and the {@code hello} command
 * (so clients must not set {@code serverApi}).
 */
public interface MongoService extends DevService {

    /** {@code mongodb://127.0.0.1:<port>}; stable across restarts once started. */
    String connectionString();

    int port();
}
