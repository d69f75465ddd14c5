package io.streamloader.bench.rollup;

import io.streamloader.bench.Table;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.rollup.ClickRollupConfig;
import io.streamloader.rollup.ClickRollupProcessor;
import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Clickstream rollup throughput: a backlog of seed-001-shaped clicks (5 % re-posted with the same id) is rolled up
 * from the start, once per processing guarantee; the clock runs from the streams client reaching RUNNING until the
 * output topic's latest documents account for every distinct click. The broker runs in this JVM, as do the rollup's
 * stream threads.
 */
@Command(
        name = "rollup",
        mixinStandardHelpOptions = true,
        description = "Clickstream rollup: clicks/s from a backlog, exactly-once and at-least-once.")
public final class RollupBench implements Callable<Integer> {

    private static final Pattern CLICKS = Pattern.compile("\"clicks\":(\\d+)");

    @Option(
            names = "--clicks",
            defaultValue = "300000",
            description = "Clicks to produce and roll up (default ${DEFAULT-VALUE}).")
    int clicks;

    @Option(names = "--partitions", defaultValue = "3", description = "Input partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--threads", defaultValue = "2", description = "Stream threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--pairs",
            defaultValue = "100x30",
            description = "urls x countries (default ${DEFAULT-VALUE}, as seed 001's pools).")
    String pairs;

    @Option(
            names = "--latency-samples",
            defaultValue = "200",
            description = "POST-to-document delays to measure through producer-api and Elasticsearch; 0 skips"
                    + " (default ${DEFAULT-VALUE}).")
    int latencySamples;

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String input = "bench-rollup-" + System.currentTimeMillis();
        createTopic(kafka, input, partitions, false);
        createTopic(kafka, input + ".dlq", 1, false);
        long produceStart = System.nanoTime();
        long distinct = produce(kafka.bootstrapServers(), input);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        Table table =
                new Table("run", "commit interval", "threads", "clicks", "distinct", "pairs", "seconds", "clicks/s");
        table.row(
                "producer (setup)",
                "-",
                "-",
                clicks,
                distinct,
                "-",
                Table.seconds(produceSeconds),
                Table.rate(clicks, produceSeconds));
        List<Duration> intervals = List.of(ClickRollupConfig.DEFAULT_COMMIT_INTERVAL, Duration.ofSeconds(1));
        for (int run = 0; run < 3; run++) {
            boolean exactlyOnce = run < 2;
            Duration commitInterval = intervals.get(run == 1 ? 1 : 0);
            String label = (exactlyOnce ? "exactly-once" : "at-least-once") + "-" + commitInterval.toMillis();
            String output = input + "." + label;
            createTopic(kafka, output, partitions, true);
            ClickRollupConfig config = new ClickRollupConfig(
                    "bench",
                    input,
                    output,
                    input + ".dlq",
                    output + ".app",
                    Path.of(System.getProperty("java.io.tmpdir"), "rollup-bench", label),
                    threads,
                    exactlyOnce,
                    commitInterval,
                    ClickRollupConfig.DEFAULT_CACHE_MAX_BYTES,
                    ClickRollupConfig.DEFAULT_DEDUP_RETENTION,
                    Map.of());
            Result r = run(kafka.bootstrapServers(), config, distinct);
            table.row(
                    (exactlyOnce ? "exactly-once" : "at-least-once") + " rollup",
                    commitInterval.toMillis() + " ms",
                    threads,
                    clicks,
                    distinct,
                    r.pairs,
                    Table.seconds(r.seconds),
                    Table.rate(clicks, r.seconds));
        }
        System.out.println();
        System.out.printf(
                "Clickstream rollup from a backlog: %d clicks (%d distinct ids), %s pairs, %d partitions%n",
                clicks, distinct, pairs, partitions);
        System.out.print(table);
        if (latencySamples > 0) {
            Table latency = new Table("path", "commit interval", "samples", "p50 ms", "p99 ms", "max ms");
            for (Duration interval : List.of(ClickRollupConfig.DEFAULT_COMMIT_INTERVAL, Duration.ofSeconds(1))) {
                double[] delays = new RollupLatency().measure(latencySamples, 10, interval);
                latency.row(
                        "POST → rollup → Elasticsearch doc",
                        interval.toMillis() + " ms",
                        delays.length,
                        String.format("%.0f", RollupLatency.percentile(delays, 50)),
                        String.format("%.0f", RollupLatency.percentile(delays, 99)),
                        String.format("%.0f", delays[delays.length - 1]));
            }
            System.out.println();
            System.out.println("End-to-end delay, one click at a time (exactly-once rollup, sink reads committed):");
            System.out.print(latency);
        }
        System.out.printf(
                "clicks/s counts every input record (re-posts included); load average at the end: %.1f on %d cores%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private record Result(double seconds, int pairs) {}

    private Result run(String bootstrap, ClickRollupConfig config, long distinct) {
        try (ClickRollupProcessor processor = new ClickRollupProcessor(config, Map.of("bootstrap.servers", bootstrap));
                KafkaConsumer<String, String> reader = reader(bootstrap, config.output())) {
            processor.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (processor.health().state() != RunnerHealth.State.RUNNING) {
                check(processor, deadline);
                Thread.onSpinWait();
                reader.poll(Duration.ofMillis(10));
            }
            long start = System.nanoTime();
            Map<String, Long> latest = new HashMap<>();
            long counted = 0;
            while (counted < distinct) {
                check(processor, deadline);
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                    Matcher m = CLICKS.matcher(r.value());
                    if (m.find()) {
                        long now = Long.parseLong(m.group(1));
                        Long before = latest.put(r.key(), now);
                        counted += now - (before == null ? 0 : before);
                    }
                }
            }
            return new Result((System.nanoTime() - start) / 1e9, latest.size());
        }
    }

    private static void check(ClickRollupProcessor processor, long deadline) {
        if (processor.health().state() == RunnerHealth.State.FAILED) {
            throw new IllegalStateException(
                    "rollup failed: " + processor.health().detail());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("rollup did not finish within 10 minutes");
        }
    }

    private static KafkaConsumer<String, String> reader(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    /** Produces the clicks; returns how many distinct event ids they have. */
    private long produce(String bootstrap, String topic) throws Exception {
        String[] dims = pairs.split("x");
        int urls = Integer.parseInt(dims[0].strip());
        int countries = Integer.parseInt(dims[1].strip());
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024);
        Random random = new Random(42);
        LocalDateTime monthStart = LocalDateTime.of(2023, 7, 1, 0, 0);
        long distinct = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> window = new ArrayList<>();
            for (int i = 0; i < clicks; i++) {
                boolean repost = i > 0 && random.nextInt(20) == 0;
                int id = repost ? random.nextInt(i) : i;
                distinct += repost ? 0 : 1;
                Random fields = new Random(id); // a re-post carries the same body as the original
                String value =
                        "[\"user-%d\",\"%s\",\"http://site-%d.example/\",\"country-%d\",\"Brandonstad\",\"Mozilla/5.0 (X11; Linux x86_64)\",\"X11; Linux x86_64\",\"fire\"]"
                                .formatted(
                                        fields.nextInt(100),
                                        monthStart.plusSeconds(fields.nextInt(24 * 86_400)),
                                        fields.nextInt(urls),
                                        fields.nextInt(countries));
                byte[] key = ("click-" + id).getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
                record.headers().add(Event.ID_HEADER, key);
                window.add(producer.send(record));
                if (window.size() == 50_000) {
                    for (Future<?> f : window) {
                        f.get();
                    }
                    window.clear();
                }
            }
            for (Future<?> f : window) {
                f.get();
            }
        }
        return distinct;
    }

    private static void createTopic(KafkaService kafka, String topic, int partitions, boolean compacted)
            throws Exception {
        try (Admin admin = kafka.admin()) {
            NewTopic t = new NewTopic(topic, partitions, (short) 1);
            if (compacted) {
                t.configs(Map.of("cleanup.policy", "compact"));
            }
            admin.createTopics(List.of(t)).all().get();
        }
    }
}
