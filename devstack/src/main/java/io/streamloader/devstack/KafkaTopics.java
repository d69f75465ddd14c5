package io.streamloader.devstack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Waits for a freshly created topic to be usable: metadata propagation is asynchronous even on one node. */
final class KafkaTopics {

    private KafkaTopics() {}

    static void awaitLeaders(Admin admin, String topic, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic);
                if (description.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ExecutionException(new IllegalStateException(
                        "topic " + topic + " has partitions without a leader after " + timeout));
            }
            Thread.sleep(20); // polling a local broker; there is no notification for "leader elected"
        }
    }
}
