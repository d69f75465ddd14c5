package io.streamloader.sink.postgres;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Upserts metadata rows through a Hibernate {@link StatelessSession} with JDBC batching, over connections that it keeps
 * between batches and replaces after a failure. Called from the sink's worker thread only.
 *
 * <p>A batch of at least {@value #MIN_SLICE} rows per connection is split into contiguous slices written at the same
 * time, each on its own connection ({@code jdbc.connections}) in its own transaction: PostgreSQL works on one slice
 * while this JVM binds the next, and on a second core when there is one. A slice is tried first as plain inserts
 * ({@link NewEventRow}, {@link NewBlobEventRow}): nearly every event arrives once, and PostgreSQL inserts a row faster
 * than it upserts one. When that fails on a row (SQLSTATE class 22 or 23: an id stored before, or data the database
 * refuses) the slice is rolled back and written as upserts ({@link EventRow}); when those are refused, it is split in
 * halves until the refused rows are alone; every other row is stored. An error {@link PostgresMinioTriage} does not know is treated
 * like a refused row: narrowed down, never fatal for the runner nor retried for ever. Login, schema and grant errors
 * (SQLSTATE 28, 42, 3D, 3F) throw {@link FatalSinkException}. When a slice fails as a whole (connection lost),
 * the batch fails as retriable; the slices that were committed are written again on the retry, which the upsert makes
 * harmless.
 */
final class RowWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    /** Fewest rows a slice gets: smaller batches are not split. */
    static final int MIN_SLICE = 100;

    private final String sinkName;
    private final DataSource dataSource;
    private final SessionFactory sessions;
    private final int batchSize;
    /** One per connection; slot i is used by one slice at a time. */
    private final Slot[] slots;
    /** Writes slices 1..n-1 while the calling thread writes slice 0; null with one connection. */
    private final ExecutorService pool;

    private RowWriter(String sinkName, DataSource dataSource, SessionFactory sessions, int batchSize, int connections) {
        this.sinkName = sinkName;
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.batchSize = batchSize;
        this.slots = new Slot[connections];
        for (int i = 0; i < connections; i++) {
            slots[i] = new Slot();
        }
        if (connections == 1) {
            this.pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(connections - 1, r -> {
                Thread t = new Thread(r, "sink-" + sinkName + "-pg-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** A connection kept between batches, replaced after a failure. */
    private final class Slot {
        private Connection connection;

        Connection connection() throws SQLException {
            if (connection == null) {
                connection = dataSource.getConnection();
            }
            return connection;
        }

        void discard() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debug("closing a broken connection of sink {} failed", sinkName, e);
                }
                connection = null;
            }
        }
    }

    /**
     * A writer of one worker over the runner's session factory, with {@code connections} connections of its own.
     * Closing it closes its connections and threads, not the session factory.
     */
    static RowWriter create(
            String sinkName, DataSource dataSource, SessionFactory sessions, int batchSize, int connections) {
        return new RowWriter(sinkName, dataSource, sessions, batchSize, connections);
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
        int n = Math.min(slots.length, rows.size() / MIN_SLICE);
        if (n <= 1) {
            return writeSlice(slots[0], rows);
        }
        List<Future<Map<String, String>>> others = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            Slot slot = slots[i];
            List<EventColumns> slice = rows.subList(rows.size() * i / n, rows.size() * (i + 1) / n);
            others.add(pool.submit(() -> writeSlice(slot, slice)));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        RuntimeException failure = null;
        try {
            refused.putAll(writeSlice(slots[0], rows.subList(0, rows.size() / n)));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<Map<String, String>> other : others) {
            try {
                refused.putAll(other.get()); // every slice finishes before the batch is answered
            } catch (ExecutionException e) {
                failure = worse(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = worse(failure, new RetriableSinkException("sink " + sinkName + ": interrupted", e));
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

    private Map<String, String> writeSlice(Slot slot, List<EventColumns> rows) {
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

    private void upsert(Slot slot, List<EventRow> rows, Map<String, String> refused) {
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
    private void throwUnlessRowProblem(Slot slot, Exception e) {
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

    private void insert(Slot slot, List<? extends EventColumns> rows) throws SQLException {
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
     * objects must stay. Asked only after a refusal, on the first slot's connection.
     *
     * @throws SQLException when the database cannot tell; the caller then keeps the objects
     */
    Set<String> referenced(String bucket, Collection<String> keys) throws SQLException {
        Slot slot = slots[0];
        try {
            Connection conn = slot.connection();
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
        } catch (SQLException e) {
            slot.discard();
            throw e;
        }
    }

    /** Checks the database answers, on a connection of its own (called from the health thread). */
    void check() throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            if (!conn.isValid(5)) {
                throw new SQLException("PostgreSQL connection is not valid");
            }
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

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (Slot slot : slots) {
            slot.discard();
        }
    }
}
