package io.streamloader.devstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits for a freshly created topic to be usable. Metadata propagation is asynchronous even on one node: the
 * partitions get a leader in the metadata first and only then become leaders in the broker's replica manager.
 * Listing offsets goes to the partition leader, so it succeeds only once a produce would.
 */
final class KafkaTopics {

    private KafkaTopics() {}

    static void awaitReady(Admin admin, String topic, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic);
                Map<TopicPartition, OffsetSpec> partitions = description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new ExecutionException(
                            "topic " + topic + " not ready after " + timeout.toSeconds() + " s", e.getCause());
                }
            }
            Thread.sleep(20); // polling a local broker; there is no notification for "partition ready"
        }
    }
}
