package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupProtocolTest {

    private static Map<String, Object> defaults() {
        Map<String, Object> props = new HashMap<>();
        props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        props.put("heartbeat.interval.ms", 1000);
        props.put("max.poll.records", 500);
        return props;
    }

    @Test
    void withoutAProtocolTheDefaultIsSet() {
        Map<String, Object> props = defaults();
        GroupProtocol.applyTo(props, Map.of());
        assertThat(props).containsEntry("group.protocol", GroupProtocol.DEFAULT.configName());
    }

    @Test
    void classicKeepsTheCooperativeAssignorAndHeartbeat() {
        Map<String, Object> props = defaults();
        props.put("group.protocol", "classic");
        GroupProtocol.applyTo(props, Map.of("session.timeout.ms", "6000"));
        assertThat(props)
                .containsEntry("group.protocol", "classic")
                .containsKeys("partition.assignment.strategy", "heartbeat.interval.ms", "max.poll.records");
    }

    @Test
    void consumerDropsWhatAKip848ClientRefuses() {
        Map<String, Object> props = defaults();
        props.put("group.protocol", "consumer");
        props.put("session.timeout.ms", "6000");
        GroupProtocol.applyTo(props, Map.of("session.timeout.ms", "6000"));
        assertThat(props)
                .containsEntry("group.protocol", "consumer")
                .doesNotContainKeys("partition.assignment.strategy", "heartbeat.interval.ms", "session.timeout.ms")
                .containsEntry("max.poll.records", 500);
    }

    @Test
    void configNamesParse() {
        assertThat(GroupProtocol.parse(" Consumer ")).contains(GroupProtocol.CONSUMER);
        assertThat(GroupProtocol.parse("classic")).contains(GroupProtocol.CLASSIC);
        assertThat(GroupProtocol.parse("streams")).isEmpty();
        assertThat(GroupProtocol.parse(null)).isEmpty();
    }
}
