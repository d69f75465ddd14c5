package io.streamloader.devstack;

import java.nio.file.Path;
import java.util.Properties;

/** Broker settings for one combined broker+controller node that tests can use immediately. */
final class KafkaSettings {

    private KafkaSettings() {}

    static Properties broker(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put(
                "listeners",
                "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must accept replication factor 1 and min.isr 1.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Consumers join a group without the default 3 s wait.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The project never creates topics implicitly; a typo in a topic name must fail, not create a topic.
        p.put("auto.create.topics.enable", "false");
        // Small segments and indexes keep a test broker's disk and memory footprint low.
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("num.partitions", "1");
        return p;
    }
}
