package io.streamloader.sink.postgresminio;

import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.BootstrapServiceRegistry;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts metadata rows through a Hibernate {@link StatelessSession} with JDBC batching, over the runner's connections
 * ({@link ConnectionLanes}), which it shares with the other workers' writers. Called from one worker's thread.
 *
 * <p>A batch of at least {@value #MIN_SLICE} rows per connection is split into contiguous slices, as many as the runner
 * has connections ({@code jdbc.connections}), each written on one of them in its own transaction: PostgreSQL works on
 * one slice while this JVM binds the next, and on a second core when there is one. With several workers, their slices
 * queue for the same connections. A slice is tried first as plain inserts
 * ({@link NewEventRow}, {@link NewBlobEventRow}): nearly every event arrives once, and PostgreSQL inserts a row faster
 * than it upserts one. When that fails on a row (SQLSTATE class 22 or 23: an id stored before, or data the database
 * refuses) the slice is rolled back and written as upserts ({@link EventRow}); when those are refused, it is split in
 * halves until the refused rows are alone; every other row is stored. An error {@link PostgresMinioTriage} does not know is treated
 * like a refused row: narrowed down, never fatal for the runner nor retried for ever. Login, schema and grant errors
 * (SQLSTATE 28, 42, 3D, 3F) throw {@link FatalSinkException}. When a slice fails as a whole (connection lost),
 * the batch fails as retriable; the slices that were committed are written again on the retry, which the upsert makes
 * harmless.
 */
final class RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    /** Fewest rows a slice gets: smaller batches are not split. */
    static final int MIN_SLICE = 100;

    private final String sinkName;
    private final SessionFactory sessions;
    private final int batchSize;
    /** The runner's connections, shared with the other workers' writers. */
    private final ConnectionLanes lanes;

    private RowWriter(String sinkName, SessionFactory sessions, int batchSize, ConnectionLanes lanes) {
        this.sinkName = sinkName;
        this.sessions = sessions;
        this.batchSize = batchSize;
        this.lanes = lanes;
    }

    /**
     * A writer of one worker over the runner's session factory and connections; it holds nothing of its own to close.
     */
    static RowWriter create(String sinkName, SessionFactory sessions, int batchSize, ConnectionLanes lanes) {
        return new RowWriter(sinkName, sessions, batchSize, lanes);
    }

    /**
     * Builds the session factory, once per runner, without touching the database (dialect given, no JDBC metadata at
     * boot). Hibernate finds its services through {@code loader}, the plugin's class loader.
     */
    static SessionFactory sessionFactory(DataSource dataSource, int batchSize, ClassLoader loader) {
        BootstrapServiceRegistry bootstrap =
                new BootstrapServiceRegistryBuilder().applyClassLoader(loader).build();
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder(bootstrap)
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                // the dialect from the product name, without a connection at boot
                .applySetting(AvailableSettings.JAKARTA_HBM2DDL_DB_NAME, "PostgreSQL")
                .applySetting(AvailableSettings.ALLOW_METADATA_ON_BOOT, false)
                .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, batchSize)
                .applySetting(AvailableSettings.JDBC_TIME_ZONE, "UTC")
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
                // no Bean Validation: Hibernate also looks in the system class loader, and a host with the validation
                // API there (a Kafka Connect worker: Jersey brings it) made it activate validation with classes this
                // plugin's loader cannot see (NoClassDefFoundError: jakarta/validation/ValidatorFactory)
                .applySetting(AvailableSettings.JAKARTA_VALIDATION_MODE, "none")
                .build();
        try {
            return new MetadataSources(registry)
                    .addAnnotatedClass(EventRow.class)
                    .addAnnotatedClass(NewEventRow.class)
                    .addAnnotatedClass(NewBlobEventRow.class)
                    .buildMetadata()
                    .buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    /**
     * Upserts the rows.
     *
     * @return id → reason for rows the database refused; every other row is stored
     * @throws RetriableSinkException when the database is unreachable or asked for a retry; slices may have been
     *     committed, which a retry rewrites harmlessly
     * @throws FatalSinkException when the database refuses the login, the schema or the grants (the runner stops)
     */
    Map<String, String> write(List<? extends EventColumns> batch) {
        List<EventColumns> rows = withoutBlobFirst(batch);
        if (rows.isEmpty()) {
            return new LinkedHashMap<>();
        }
        int n = Math.max(1, Math.min(lanes.size(), rows.size() / MIN_SLICE));
        List<Future<Map<String, String>>> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<EventColumns> slice = rows.subList(rows.size() * i / n, rows.size() * (i + 1) / n);
            slices.add(lanes.submit(lane -> writeSlice(lane, slice)));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (Future<Map<String, String>> slice : slices) {
            try {
                refused.putAll(slice.get()); // every slice finishes before the batch is answered
            } catch (ExecutionException e) {
                failure = worse(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = worse(failure, new RetriableSinkException("sink " + sinkName + ": interrupted", e));
            } catch (CancellationException e) {
                failure = worse(failure, new RetriableSinkException("sink " + sinkName + ": closed", e));
            }
        }
        if (failure != null) {
            throw failure;
        }
        return refused;
    }

    /** The failure the batch reports: a fatal one over a retriable one, the first of a kind. */
    private static RuntimeException worse(RuntimeException so, Throwable next) {
        RuntimeException e = next instanceof RuntimeException r ? r : new IllegalStateException(next);
        if (so == null || (so instanceof RetriableSinkException && !(e instanceof RetriableSinkException))) {
            return e;
        }
        return so;
    }

    /**
     * The rows without a blob, then those with one. Hibernate batches consecutive inserts of one entity, so the two
     * kinds interleaved would cut a JDBC batch at every change; the order of plain inserts into one table is free.
     */
    private static List<EventColumns> withoutBlobFirst(List<? extends EventColumns> rows) {
        List<EventColumns> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparing(EventColumns::hasBlob)); // stable, and one pass when no row has a blob
        return ordered;
    }

    private Map<String, String> writeSlice(ConnectionLanes.Lane slot, List<EventColumns> rows) {
        Map<String, String> refused = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return refused;
        }
        try {
            insert(slot, rows); // the common case: none of these ids is stored yet
        } catch (RuntimeException | SQLException e) {
            throwUnlessRowProblem(slot, e);
            // an id stored before (a redelivery) or a row the database refuses: upserts sort out which
            List<EventRow> upserts = new ArrayList<>(rows.size());
            rows.forEach(row -> upserts.add(row.toUpsert()));
            upsert(slot, upserts, refused);
        }
        return refused;
    }

    private void upsert(ConnectionLanes.Lane slot, List<EventRow> rows, Map<String, String> refused) {
        try {
            insert(slot, rows);
        } catch (RuntimeException | SQLException e) {
            throwUnlessRowProblem(slot, e);
            if (rows.size() == 1) {
                refused.put(rows.getFirst().id(), PostgresMinioTriage.sqlReason(e));
            } else {
                int half = rows.size() / 2;
                upsert(slot, rows.subList(0, half), refused);
                upsert(slot, rows.subList(half, rows.size()), refused);
            }
        }
    }

    /** Rethrows a failure of the connection (retriable) or of the database as a whole (fatal) for the batch. */
    private void throwUnlessRowProblem(ConnectionLanes.Lane slot, Exception e) {
        switch (PostgresMinioTriage.sql(e)) {
            case UNAVAILABLE -> {
                slot.discard();
                throw new RetriableSinkException(
                        "PostgreSQL unavailable for sink " + sinkName + ": " + PostgresMinioTriage.sqlReason(e), e);
            }
            case FATAL -> {
                slot.discard();
                throw new FatalSinkException(
                        "PostgreSQL refused the batch of sink " + sinkName + " (schema, grants or login): "
                                + PostgresMinioTriage.sqlReason(e),
                        e);
            }
            case PERMANENT, RETRIABLE -> {
                // the caller isolates it (sql() never answers RETRIABLE)
            }
        }
    }

    private void insert(ConnectionLanes.Lane slot, List<? extends EventColumns> rows) throws SQLException {
        Connection conn = slot.connection();
        try (StatelessSession session =
                sessions.withStatelessOptions().connection(conn).openStatelessSession()) {
            session.setJdbcBatchSize(batchSize);
            Transaction tx = session.beginTransaction();
            try {
                session.insertMultiple(rows);
                tx.commit();
            } catch (RuntimeException e) {
                rollbackQuietly(tx);
                throw e;
            }
        }
    }

    /**
     * Which of the keys a stored row describes ({@code object_key}, through index {@code events_object}): those
     * objects must stay. Asked only after a refusal, on one of the runner's connections.
     *
     * @throws SQLException when the database cannot tell; the caller then keeps the objects
     */
    Set<String> referenced(String bucket, Collection<String> keys) throws SQLException {
        Future<Set<String>> found = lanes.submit(lane -> {
            try {
                return referenced(lane, bucket, keys);
            } catch (SQLException e) {
                lane.discard();
                throw new UncheckedSqlException(e);
            }
        });
        try {
            return found.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedSqlException u) {
                throw u.sql;
            }
            throw new SQLException("sink " + sinkName + ": asking for stored object keys failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("sink " + sinkName + ": interrupted", e);
        }
    }

    private static Set<String> referenced(ConnectionLanes.Lane lane, String bucket, Collection<String> keys)
            throws SQLException {
        Connection conn = lane.connection();
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(true);
        try (PreparedStatement st =
                conn.prepareStatement("select object_key from events where bucket = ? and object_key = any (?)")) {
            st.setString(1, bucket);
            st.setArray(2, conn.createArrayOf("text", keys.toArray()));
            Set<String> found = new HashSet<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    /** Carries a {@link SQLException} out of a lane's thread. */
    private static final class UncheckedSqlException extends RuntimeException {
        private final SQLException sql;

        UncheckedSqlException(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }

    private static void rollbackQuietly(Transaction tx) {
        try {
            if (tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            LOG.debug("rollback after a failed batch failed too", e);
        }
    }
}
