package io.streamloader.sink.postgresminio;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postgres-minio sink opened for one runner, after the bucket was made and the migrations ran: the S3 client, the
 * Hibernate session factory and the JDBC connections ({@link ConnectionLanes}, {@code jdbc.connections} in all), shared
 * by the workers. Each worker writes through a {@link PostgresMinioWriter} with its own upload threads.
 */
final class PostgresMinioSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMinioSink.class);

    private final String name;
    private final PostgresMinioSinkConfig config;
    private final BlobStore store;
    private final DataSource dataSource;
    private final SessionFactory sessions;
    private final ConnectionLanes lanes;
    private final EventPreparer preparer;
    private volatile boolean closed;

    PostgresMinioSink(
            String name,
            PostgresMinioSinkConfig config,
            BlobStore store,
            DataSource dataSource,
            SessionFactory sessions) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.lanes = new ConnectionLanes(name, dataSource, config.jdbcConnections());
        this.preparer =
                new EventPreparer(config.bucket(), config.keyTemplate(), config.blobFields(), config.idTemplate());
    }

    @Override
    public SinkWriter newWriter() {
        BlobUploader uploader = new BlobUploader(name, store, config.uploadConcurrency());
        return new PostgresMinioWriter(
                name, preparer, uploader, RowWriter.create(name, sessions, config.jdbcBatchSize(), lanes));
    }

    /** The database answers on a connection of its own and the bucket exists; safe to call from any thread. */
    @Override
    public void checkHealth() throws Exception {
        try (Connection conn = dataSource.getConnection()) {
            if (!conn.isValid(5)) {
                throw new SQLException("PostgreSQL connection is not valid");
            }
        }
        if (!store.bucketExists()) {
            throw new IllegalStateException("bucket " + store.bucket() + " does not exist");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (store) {
            lanes.close();
            sessions.close();
        } catch (RuntimeException e) {
            LOG.warn("sink {}: closing failed", name, e);
        }
    }
}
