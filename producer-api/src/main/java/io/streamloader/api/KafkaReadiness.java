package io.streamloader.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/** Ready when the broker answers within the timeout and every configured topic exists. */
final class KafkaReadiness implements ReadinessProbe {

    private final Admin admin;
    private final Set<String> topics;
    private final Duration timeout;

    KafkaReadiness(Admin admin, Set<String> topics, Duration timeout) {
        this.admin = admin;
        this.topics = Set.copyOf(topics);
        this.timeout = timeout;
    }

    @Override
    public Result check() {
        try {
            var existing = admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .names()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            var missing = new TreeSet<>(topics);
            missing.removeAll(existing);
            if (missing.isEmpty()) {
                return Result.up();
            }
            var problems = new ArrayList<String>();
            missing.forEach(t -> problems.add("topic '" + t + "' does not exist"));
            return new Result(false, problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.down("interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Result.down("Kafka unreachable: " + e);
        }
    }
}
