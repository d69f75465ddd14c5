package io.streamloader.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.streamloader.core.config.GroupProtocol;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many instances, one group per sink: two {@code streamloader run} processes of the distribution's code (the mongo
 * sink from {@code target/streamloader/plugins}) share a 4-partition topic while events keep arriving, under each
 * {@code kafka.group-protocol}. Both get partitions; one leaving with SIGTERM, and later one killed with SIGKILL, hands
 * its partitions to the other; every event is stored once, the dead-letter topic stays empty and the group commits
 * to the end. The takeover time (from the signal to the survivor committing past where every moved partition stood) is
 * printed as {@code REBALANCE protocol=... leave_ms=... kill_ms=...} and appended to {@code
 * target/scale-out-rebalance.txt}.
 */
@SuppressWarnings({"unchecked", "rawtypes"}) // a one-element array of maps, written from the await's lambda
class ScaleOutIT {
    private static final int PARTITIONS = 4;
    private static final Pattern OWNERSHIP = Pattern.compile("(assigned|revoked) \\[([^\\]]*)\\]");

    private final Path dir =
            Path.of("target", "scale-out-it", Long.toString(System.nanoTime())).toAbsolutePath();
    private final KafkaService kafka = DevStack.kafka();
    private final MongoService mongo = DevStack.mongo();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final List<Process> processes = new ArrayList<>();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicInteger produced = new AtomicInteger();

    @AfterEach
    void stopLeftovers() {
        producing.set(false);
        processes.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void twoInstancesSharePartitionsAndTakeOverFromEachOther(GroupProtocol protocol) throws Exception {
        Files.createDirectories(dir);
        String topic = "scale" + protocol.configName() + System.nanoTime();
        String group = "scale." + topic;
        kafka.createTopic(topic, PARTITIONS);
        kafka.createTopic(topic + ".dlq", 1);
        Path config = writeConfig(topic, group, protocol);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(topic));

        Process a = start(config, "a");
        Process b = start(config, "b");
        awaitOwning("a", "b");
        awaitCommittedEverywhere(group, topic);
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get()
                            .type())
                    .as("the group's protocol on the broker")
                    .isEqualTo(protocol == GroupProtocol.CONSUMER ? GroupType.CONSUMER : GroupType.CLASSIC);
        }

        // a leaves gracefully: its partitions move to b
        Set<TopicPartition> moved = owned("a");
        long leaveMs = takeover(group, moved, a, "b", a::destroy);
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).as("a stops on SIGTERM").isTrue();
        assertThat(owned("b")).hasSize(PARTITIONS);

        // a fresh instance joins and gets a share; then b dies without a word
        Process c = start(config, "c");
        awaitOwning("b", "c");
        awaitCommittedEverywhere(group, topic);
        Set<TopicPartition> lost = owned("b");
        long killMs = takeover(group, lost, b, "c", b::destroyForcibly);
        assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();

        producing.set(false);
        producer.join();
        int total = produced.get();
        String line = "REBALANCE protocol=" + protocol.configName() + " leave_ms=" + leaveMs + " kill_ms=" + killMs
                + " moved_on_leave=" + moved.size() + " moved_on_kill=" + lost.size() + " events=" + total;
        System.out.println(line);
        Files.writeString(
                Path.of("target", "scale-out-rebalance.txt"),
                line + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);

        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("scale").getCollection(topic);
            await().atMost(Duration.ofMinutes(3)).until(() -> docs.countDocuments() >= total);
            Set<String> ids = new HashSet<>();
            docs.find().forEach(d -> ids.add(String.valueOf(d.get("_id"))));
            Set<String> expected = new HashSet<>();
            for (int n = 0; n < total; n++) {
                expected.add("e-" + n);
            }
            assertThat(ids).isEqualTo(expected);
            assertThat(docs.countDocuments()).isEqualTo(total);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> testing.committedTotal(group, topic) == total);
        assertThat(testing.endTotal(topic)).isEqualTo(total);
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
        assertThat(c.isAlive()).isTrue();
        c.destroy();
        assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Sends the signal to {@code leaving} and measures until {@code survivor} owns every moved partition and has
     * committed on each past where it stood once {@code leaving} was gone (a leaving process commits what it wrote
     * on its way out; that commit is not a takeover). With events arriving every few milliseconds and commits at most
     * every 100 ms, the survivor's first commit after that point adds up to ~0.1 s.
     */
    private long takeover(String group, Set<TopicPartition> moved, Process leaving, String survivor, Runnable signal)
            throws Exception {
        assertThat(moved).isNotEmpty();
        try (Admin admin = kafka.admin()) {
            long start = System.nanoTime();
            signal.run();
            Map<TopicPartition, Long>[] gone = new Map[1];
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (gone[0] == null) {
                            if (leaving.isAlive()) {
                                return false;
                            }
                            gone[0] = committed(admin, group);
                        }
                        Map<TopicPartition, Long> now = committed(admin, group);
                        return owned(survivor).containsAll(moved)
                                && moved.stream()
                                        .allMatch(tp -> now.getOrDefault(tp, -1L) > gone[0].getOrDefault(tp, -1L));
                    });
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, o) -> offsets.put(tp, o == null ? -1L : o.offset()));
        return offsets;
    }

    private void awaitCommittedEverywhere(String group, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, Long> first = committed(admin, group);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<TopicPartition, Long> now = committed(admin, group);
                        for (int p = 0; p < PARTITIONS; p++) {
                            TopicPartition tp = new TopicPartition(topic, p);
                            if (now.getOrDefault(tp, -1L) <= first.getOrDefault(tp, -1L)) {
                                return false;
                            }
                        }
                        return true;
                    });
        }
    }

    /** Waits until each named instance owns partitions and together they own all of them. */
    private void awaitOwning(String... names) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Set<TopicPartition> all = new HashSet<>();
                    for (String name : names) {
                        Set<TopicPartition> owned = owned(name);
                        if (owned.isEmpty()) {
                            return false;
                        }
                        all.addAll(owned);
                    }
                    return all.size() == PARTITIONS;
                });
    }

    /** The partitions an instance owns now, from its log's assigned/revoked lines. */
    private Set<TopicPartition> owned(String name) throws IOException {
        Set<TopicPartition> owned = new HashSet<>();
        Matcher m = OWNERSHIP.matcher(Files.readString(dir.resolve(name + ".log")));
        while (m.find()) {
            for (String tp : m.group(2).split(",")) {
                String t = tp.trim();
                if (t.isEmpty()) {
                    continue;
                }
                int dash = t.lastIndexOf('-');
                TopicPartition partition =
                        new TopicPartition(t.substring(0, dash), Integer.parseInt(t.substring(dash + 1)));
                if (m.group(1).equals("assigned")) {
                    owned.add(partition);
                } else {
                    owned.remove(partition);
                }
            }
        }
        return owned;
    }

    /** About 500 events a second, ids e-0, e-1, ... until told to stop. */
    private void produce(String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            while (producing.get()) {
                for (int i = 0; i < 10; i++) {
                    int n = produced.get();
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                            topic, ("k" + n).getBytes(UTF_8), ("{\"n\":" + n + "}").getBytes(UTF_8));
                    r.headers().add("sl-event-id", ("e-" + n).getBytes(UTF_8));
                    producer.send(r).get();
                    produced.incrementAndGet();
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("producing failed", e);
        }
    }

    private Path writeConfig(String topic, String group, GroupProtocol protocol) throws IOException {
        Path config = dir.resolve(topic + ".yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                  group-protocol: %2$s
                topics:
                  %3$s: { partitions: %4$d }
                plugins:
                  dir: %5$s
                admin: { enabled: false }
                sinks:
                  docs:
                    type: mongo
                    topics: [%3$s]
                    group-id: %6$s
                    config: { connection-string: "%7$s", database: scale }
                """.formatted(
                        kafka.bootstrapServers(),
                        protocol.configName(),
                        topic,
                        PARTITIONS,
                        Path.of("target", "streamloader", "plugins").toAbsolutePath(),
                        group,
                        mongo.connectionString()));
        return config;
    }

    private Process start(Path config, String name) throws IOException {
        Process process = TestingRunProcess.start(
                config, dir.resolve(name + ".log"), "256m", Map.of("STREAMLOADER_LOG_FORMAT", "text"));
        processes.add(process);
        return process;
    }
}
