package io.streamloader.bench.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What PostgreSQL's client backends were doing in a row's timed window: {@code pg_stat_activity} sampled every
 * {@value #PERIOD_MILLIS} ms from a connection of its own, summarised as the average number of backends per state and
 * wait event. A backend {@code idle} or {@code idle in transaction} waits for its client (this JVM); {@code active}
 * with no wait event is on a CPU or in the run queue; {@code Lock} waits are row or table locks between writers,
 * {@code LWLock}/{@code IO} waits are WAL and buffer contention.
 */
final class PgActivity implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;
    private static final String SQL = "select state, wait_event_type, wait_event from pg_stat_activity"
            + " where backend_type = 'client backend' and pid <> pg_backend_pid() and datname = current_database()";

    private record Sample(long nanos, List<String> backends) {}

    private final Connection connection;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    PgActivity(Connection connection) {
        this.connection = connection;
        this.thread = Thread.ofPlatform().daemon().name("pg-activity").start(this::loop);
    }

    private void loop() {
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            while (running) {
                List<String> backends = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        backends.add(label(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                synchronized (samples) {
                    samples.add(new Sample(System.nanoTime(), backends));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
            }
        } catch (SQLException e) {
            if (running) {
                System.err.println("pg_stat_activity sampling stopped: " + e);
            }
        }
    }

    static String label(String state, String waitType, String wait) {
        String s = state == null ? "?" : state;
        if (!"active".equals(s)) {
            return s; // idle / idle in transaction: the wait event is ClientRead, the client's turn
        }
        return waitType == null ? "active CPU" : "active " + waitType + ":" + wait;
    }

    /** Average backends per label in the window, largest first, e.g. {@code active CPU 1.4, idle 2.9}; "-" if none. */
    String summary(long fromNanos, long toNanos) {
        Map<String, Integer> counts = new TreeMap<>();
        int n = 0;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.nanos() >= fromNanos && s.nanos() <= toNanos) {
                    n++;
                    s.backends().forEach(b -> counts.merge(b, 1, Integer::sum));
                }
            }
        }
        return summarise(counts, n);
    }

    static String summarise(Map<String, Integer> counts, int samples) {
        if (samples == 0) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .filter(e -> (double) e.getValue() / samples >= 0.05)
                .forEach(e ->
                        parts.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), (double) e.getValue() / samples)));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        running = false;
        thread.join(1000);
        connection.close();
    }
}
