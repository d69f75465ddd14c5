package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics' {@code max.message.bytes}, asked of the broker when first needed and remembered: the size the dead-letter
 * producer must accept (its sources' largest) and the size a letter must fit (its dead-letter topic's). Asked lazily,
 * on the first letter, so a runner that never dead-letters never asks, and a broker that is down at start delays
 * nothing but the first letter (which is then retried, the runner {@code RETRYING}).
 */
final class TopicLimits {
    /** Kafka's default {@code message.max.bytes}: what a topic without its own setting accepts. */
    static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private final Map<String, Object> adminProperties;
    private final Duration timeout;
    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    TopicLimits(Map<String, Object> adminProperties, Duration timeout) {
        this.adminProperties = Map.copyOf(adminProperties);
        this.timeout = timeout;
    }

    /** The topic's limit; a topic that does not exist (yet) counts as the broker default and is asked again later. */
    int of(String topic) {
        return largest(List.of(topic));
    }

    /**
     * The largest limit among {@code topics}.
     *
     * @throws IllegalStateException when the broker did not answer; the message says so
     */
    int largest(Collection<String> topics) {
        List<String> unknown =
                topics.stream().filter(t -> !known.containsKey(t)).toList();
        if (!unknown.isEmpty()) {
            describe(unknown);
        }
        return topics.stream()
                .mapToInt(t -> known.getOrDefault(t, KAFKA_DEFAULT_MAX_MESSAGE_BYTES))
                .max()
                .orElse(KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }

    private void describe(List<String> topics) {
        Map<String, Object> props = new java.util.HashMap<>(adminProperties);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (Admin admin = Admin.create(props)) {
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                    .toList();
            var futures = admin.describeConfigs(resources).values();
            for (ConfigResource resource : resources) {
                try {
                    Config config = futures.get(resource).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (entry != null && entry.value() != null) {
                        known.put(resource.name(), Integer.parseInt(entry.value()));
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException(
                                "cannot read max.message.bytes of topic " + resource.name() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException(
                            "cannot read max.message.bytes of topic " + resource.name() + ": broker did not answer"
                                    + " within " + timeout,
                            e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading topic limits", e);
                }
            }
        }
    }
}
