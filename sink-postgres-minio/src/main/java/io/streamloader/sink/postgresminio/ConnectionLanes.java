package io.streamloader.sink.postgresminio;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's JDBC connections ({@code jdbc.connections}), shared by all its workers' writers: each connection belongs
 * to one thread of this pool, which writes the slices that writers hand it, in the order they come. However many
 * workers a runner has, at most {@link #size()} connections write to PostgreSQL at once. More concurrent inserters
 * into one table do not make it faster: PostgreSQL serialises them on the table's extension lock (measured: 3 workers
 * with 2 connections each kept 1.6–2.1 backends waiting on {@code Lock:extend}, against 0.1–0.2 with 2 in all), and a
 * shared connection fed by several workers does not sit idle between one worker's batches.
 *
 * <p>A connection is opened on first use, kept between slices and replaced after a failure of any lane's ({@link
 * Lane#discard}).
 * Thread-safe; closed by the runner's sink after its writers.
 */
final class ConnectionLanes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLanes.class);

    private final String sinkName;
    private final DataSource dataSource;
    private final int size;
    private final ExecutorService threads;
    /** Connection failures seen by any lane; a lane's connection opened before the last one is replaced. */
    private final AtomicLong failures = new AtomicLong();
    /** Every lane a thread has made, for {@link #close}. */
    private final List<Lane> lanes = new ArrayList<>();

    private final ThreadLocal<Lane> lane = ThreadLocal.withInitial(this::newLane);

    ConnectionLanes(String sinkName, DataSource dataSource, int size) {
        this.sinkName = sinkName;
        this.dataSource = dataSource;
        this.size = size;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "sink-" + sinkName + "-pg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How many connections the runner writes through at most. */
    int size() {
        return size;
    }

    /** Runs {@code work} on the next free lane's thread, with that lane's connection. */
    <T> Future<T> submit(Function<Lane, T> work) {
        return threads.submit(() -> work.apply(lane.get()));
    }

    private Lane newLane() {
        Lane l = new Lane();
        synchronized (lanes) {
            lanes.add(l);
        }
        return l;
    }

    /** One connection, used by one thread of the pool. */
    final class Lane {
        private Connection connection;
        /** {@link #failures} when the connection was opened. */
        private long openedAfter;

        Connection connection() throws SQLException {
            if (connection != null && openedAfter != failures.get()) {
                close(); // opened before another lane's connection broke: most likely broken too
            }
            if (connection == null) {
                openedAfter = failures.get();
                connection = dataSource.getConnection();
            }
            return connection;
        }

        /**
         * Closes the connection after a failure; the next slice opens a new one. The other lanes replace theirs before
         * their next slice: what breaks one connection (a restarted server, a cut network) has most likely broken all,
         * and a connection kept idle through an outage would fail the first batch after it.
         */
        void discard() {
            failures.incrementAndGet();
            close();
        }

        private void close() {
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a broken connection of sink {} failed", sinkName, e);
                }
            }
        }
    }

    /** Stops the threads (a slice still running is interrupted) and closes every connection. */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("sink {}: a PostgreSQL write did not stop within 5 s; closing its connection", sinkName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lanes) {
            lanes.forEach(Lane::close);
            lanes.clear();
        }
    }
}
