package io.streamloader.devstack;

import java.nio.file.Path;
import java.util.Properties;

/** Broker settings for one combined broker+controller node that tests can use immediately. */
final class KafkaSettings {

    private KafkaSettings() {}

    /**
     * Adds a {@code SASL_SSL} listener on {@code saslPort} that takes SCRAM-SHA-256/512 users over TLS with the
     * certificate in {@code tls}; the plaintext listener stays for the broker's own use and test setup.
     */
    static Properties withSaslSsl(Properties p, int port, int saslPort, int controllerPort, KafkaTls tls) {
        p.put(
                "listeners",
                "PLAINTEXT://" + Ports.HOST + ":" + port + ",SASL_SSL://" + Ports.HOST + ":" + saslPort
                        + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.put(
                "advertised.listeners",
                "PLAINTEXT://" + Ports.HOST + ":" + port + ",SASL_SSL://" + Ports.HOST + ":" + saslPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256");
        for (String mechanism : new String[] {"scram-sha-512", "scram-sha-256"}) {
            p.put(
                    "listener.name.sasl_ssl." + mechanism + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", tls.keystore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        return p;
    }

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
