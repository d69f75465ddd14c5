package io.streamloader.sink.postgres;

import io.streamloader.spi.RetriableSinkException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Upserts metadata rows through a Hibernate {@link StatelessSession} with JDBC batching, over one connection that it
 * keeps between batches and replaces after a failure. Confined to the sink's worker thread.
 *
 * <p>A batch is one transaction, tried first as plain inserts ({@link NewEventRow}): nearly every event arrives once,
 * and PostgreSQL inserts a row faster than it upserts one. When that fails on a row (SQLSTATE class 22 or 23: an id
 * stored before, or data the database refuses) it is rolled back and written as upserts ({@link EventRow}); when
 * those are refused, the batch is split in halves until the refused rows are alone; every other row is stored.
 */
final class RowWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    private final String sinkName;
    private final DataSource dataSource;
    private final SessionFactory sessions;
    private final int batchSize;
    private Connection connection;

    private RowWriter(String sinkName, DataSource dataSource, SessionFactory sessions, int batchSize) {
        this.sinkName = sinkName;
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.batchSize = batchSize;
    }

    /**
     * Builds the session factory without touching the database (dialect given, no JDBC metadata at boot). Hibernate
     * finds its services through {@code loader}, the plugin's class loader.
     */
    static RowWriter create(String sinkName, DataSource dataSource, int batchSize, ClassLoader loader) {
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
                .build();
        try {
            SessionFactory sessions = new MetadataSources(registry)
                    .addAnnotatedClass(EventRow.class)
                    .addAnnotatedClass(NewEventRow.class)
                    .buildMetadata()
                    .buildSessionFactory();
            return new RowWriter(sinkName, dataSource, sessions, batchSize);
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    /**
     * Upserts the rows.
     *
     * @return id → reason for rows the database refused; every other row is stored
     * @throws RetriableSinkException when the database is unreachable or asked for a retry; nothing is committed
     * @throws IllegalStateException for any other database error (the runner stops)
     */
    Map<String, String> write(List<NewEventRow> rows) {
        Map<String, String> refused = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return refused;
        }
        try {
            insert(rows); // the common case: none of these ids is stored yet
        } catch (RuntimeException | SQLException e) {
            throwUnlessRowProblem(e);
            // an id stored before (a redelivery) or a row the database refuses: upserts sort out which
            List<EventRow> upserts = new ArrayList<>(rows.size());
            rows.forEach(row -> upserts.add(new EventRow(row)));
            upsert(upserts, refused);
        }
        return refused;
    }

    private void upsert(List<EventRow> rows, Map<String, String> refused) {
        try {
            insert(rows);
        } catch (RuntimeException | SQLException e) {
            throwUnlessRowProblem(e);
            if (rows.size() == 1) {
                refused.put(rows.getFirst().id(), Triage.sqlReason(e));
            } else {
                int half = rows.size() / 2;
                upsert(rows.subList(0, half), refused);
                upsert(rows.subList(half, rows.size()), refused);
            }
        }
    }

    /** Rethrows a failure of the connection (retryable) or of the database as a whole (fatal) for the batch. */
    private void throwUnlessRowProblem(Exception e) {
        switch (Triage.sql(e)) {
            case RETRY_BATCH -> {
                discardConnection();
                throw new RetriableSinkException(
                        "PostgreSQL unavailable for sink " + sinkName + ": " + Triage.sqlReason(e), e);
            }
            case FATAL -> {
                discardConnection();
                throw new IllegalStateException(
                        "PostgreSQL refused the batch of sink " + sinkName + ": " + Triage.sqlReason(e), e);
            }
            case BAD_ROW -> {
                // the caller isolates it
            }
        }
    }

    private void insert(List<? extends EventColumns> rows) throws SQLException {
        Connection conn = connection();
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

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
        }
        return connection;
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

    private void discardConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a broken connection of sink {} failed", sinkName, e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        discardConnection();
        sessions.close();
    }
}
