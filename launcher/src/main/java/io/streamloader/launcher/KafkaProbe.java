package io.streamloader.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Whether the brokers answer, cached briefly so a probe storm does not become a broker load. Empty when they do. */
final class KafkaProbe implements Supplier<String>, AutoCloseable {
    private static final Duration CACHE = Duration.ofSeconds(2);
    private final Admin admin;
    private String last = "not checked yet";
    private long checkedAt;

    KafkaProbe(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sl-health");
        admin = Admin.create(props);
    }

    @Override
    public synchronized String get() {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < CACHE.toNanos()) {
            return last;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                    .nodes()
                    .get(4, TimeUnit.SECONDS);
            last = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = "interrupted";
        } catch (Exception e) {
            last = "Kafka unreachable: " + e.getMessage();
        }
        checkedAt = System.nanoTime();
        return last;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
