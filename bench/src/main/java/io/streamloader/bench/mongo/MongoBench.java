package io.streamloader.bench.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.PeerRatios;
import io.streamloader.bench.Table;
import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.bench.connect.ConnectWorker.Measured;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Kafka → mongo sink next to raw single-client writes of the same JSON documents into the same MongoDB server, same
 * run. Writers run in child JVMs with the same heap limit; Kafka and the MongoDB server run in this JVM. Each run
 * writes a fresh collection, dropped afterwards.
 */
@Command(
        name = "mongo",
        mixinStandardHelpOptions = true,
        description = "Mongo sink vs raw insertMany/bulkWrite, 1 KB JSON documents.")
public final class MongoBench implements Callable<Integer> {

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Documents per run (default ${DEFAULT-VALUE}, as the issue measured; shorter runs mostly time"
                    + " the JIT compiler).")
    int events;

    @Option(names = "--size", defaultValue = "1024", description = "Bytes per JSON event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--partitions", defaultValue = "3", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--heap",
            defaultValue = "512m",
            description = "-Xmx of each writer JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of every writer (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--connect",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Also run the MongoDB Kafka sink connector in a Connect standalone worker (default on; --no-connect skips it).")
    boolean connect;

    @Option(names = "--mongo", description = "Connection string of an existing MongoDB instead of the devstack server.")
    String mongoUri;

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String uri = mongoUri != null ? mongoUri : devstackMongo().connectionString();
        String topic = "bench-mongo-" + System.currentTimeMillis();
        String database = "bench";
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
        produce(kafka.bootstrapServers(), topic);

        Table table = new Table(
                "writer",
                "workers",
                "documents",
                "seconds",
                "docs/s",
                "MB/s",
                "peak RSS MiB",
                "writer CPU µs/doc",
                "server CPU µs/doc",
                "machine busy %");
        double bestRaw = 0;
        double bestRawWithIds = 0; // the documents the sink stores: with a string _id each
        double bestSink1 = 0;
        double bestSinkN = 0;
        double bestLoop = 0;
        double bestConnect1 = 0;
        double bestConnectN = 0;
        PeerRatios ratios = new PeerRatios("mongo-kafka-connect " + ConnectWorker.MONGO_VERSION);
        int run = 0;
        try (MongoClient admin = MongoClients.create(uri)) {
            for (int round = 1; round <= rounds; round++) {
                for (String mode : List.of("raw-insert", "raw-insert-id", "raw-upsert")) {
                    for (int clients : mode.equals("raw-upsert") ? List.of(1) : List.of(1, partitions)) {
                        String collection = "c" + run++;
                        Map<String, String> r = ChildJvm.run(
                                heap,
                                MongoProbe.class,
                                mode,
                                uri,
                                database,
                                collection,
                                str(events),
                                str(size),
                                str(clients));
                        double rate =
                                row(table, mode + " (" + clients + " client" + (clients == 1 ? ")" : "s)"), "-", r);
                        bestRaw = Math.max(bestRaw, rate);
                        if (!mode.equals("raw-insert")) {
                            bestRawWithIds = Math.max(bestRawWithIds, rate);
                        }
                        admin.getDatabase(database).getCollection(collection).drop();
                    }
                }
                {
                    String collection = "c" + run++;
                    Map<String, String> r = ChildJvm.run(
                            heap, MongoProbe.class, "sink-direct", uri, database, collection, str(events), str(size));
                    row(table, "mongo sink, Sink.write called directly (no Kafka)", "-", r);
                    admin.getDatabase(database).getCollection(collection).drop();
                }
                for (int workers : List.of(1, partitions)) {
                    String collection = "c" + run++;
                    Map<String, String> r = ChildJvm.run(
                            heap,
                            MongoProbe.class,
                            "sink",
                            uri,
                            database,
                            collection,
                            str(events),
                            str(size),
                            kafka.bootstrapServers(),
                            topic,
                            str(workers));
                    double rate = row(table, "Kafka → mongo sink", str(workers), r);
                    ratios.pipeline(workers, rate);
                    if (workers == 1) {
                        bestSink1 = Math.max(bestSink1, rate);
                    } else {
                        bestSinkN = Math.max(bestSinkN, rate);
                    }
                    admin.getDatabase(database).getCollection(collection).drop();
                }
                for (int threads = 1; threads <= partitions; threads++) {
                    String collection = "c" + run++;
                    Map<String, String> r = ChildJvm.run(
                            heap,
                            MongoProbe.class,
                            "loop",
                            uri,
                            database,
                            collection,
                            str(events),
                            str(size),
                            kafka.bootstrapServers(),
                            topic,
                            str(threads),
                            str(partitions));
                    double rate = row(
                            table,
                            "hand-written loop: poll → BsonDocument.parse → upsert bulk → commitSync",
                            str(threads),
                            r);
                    ratios.loop(rate);
                    bestLoop = Math.max(bestLoop, rate);
                    admin.getDatabase(database).getCollection(collection).drop();
                }
                for (int tasks : connect ? List.of(1, partitions) : List.<Integer>of()) {
                    String collection = "c" + run++;
                    double rate =
                            connectRow(table, kafka.bootstrapServers(), topic, uri, database, collection, tasks, admin);
                    ratios.peer(tasks == 1, rate);
                    if (tasks == 1) {
                        bestConnect1 = Math.max(bestConnect1, rate);
                    } else {
                        bestConnectN = Math.max(bestConnectN, rate);
                    }
                    admin.getDatabase(database).getCollection(collection).drop();
                }
                ratios.endRound();
            }
        }
        System.out.println();
        System.out.printf(
                "Mongo sink vs raw writes: %d × %d B JSON documents, %d partitions, server %s%n",
                events, size, partitions, mongoUri != null ? "external" : "devstack (mongo-java-server, in-JVM)");
        System.out.print(table);
        System.out.println("CPU in each row's timed window (Linux /proc): writer = the writing JVM (probe, or Connect"
                + " worker); server = this JVM, which runs the MongoDB server and the Kafka broker; machine busy = share"
                + " of all cores busy, every process included");
        System.out.printf(
                "best sink (1 worker) / best raw = %.0f / %.0f docs/s = %.1f %%; with %d workers %.0f docs/s = %.1f %%"
                        + " (target ≥ 90 %%)%n",
                bestSink1, bestRaw, 100 * bestSink1 / bestRaw, partitions, bestSinkN, 100 * bestSinkN / bestRaw);
        double bestSink = Math.max(bestSink1, bestSinkN);
        System.out.printf(
                "best sink / best raw write of the same documents (string _id: raw-insert-id, raw-upsert) = %.0f / %.0f"
                        + " docs/s = %.1f %%%n",
                bestSink, bestRawWithIds, 100 * bestSink / bestRawWithIds);
        System.out.printf(
                "best pipeline / best hand-written Kafka → MongoDB loop (1..%d threads) = %.0f / %.0f docs/s = %.1f %%"
                        + " (target ≥ 100 %%)%n",
                partitions, bestSink, bestLoop, 100 * bestSink / bestLoop);
        if (connect) {
            System.out.printf(
                    "best of the run, ours / mongo-kafka-connect %s: defaults (tasks.max=1) %.0f / %.0f docs/s = %.2f×;"
                            + " %d workers vs tasks.max=%d %.0f / %.0f docs/s = %.2f× (targets: per round,"
                            + " below)%n",
                    ConnectWorker.MONGO_VERSION,
                    bestSink1,
                    bestConnect1,
                    bestSink1 / bestConnect1,
                    partitions,
                    partitions,
                    bestSinkN,
                    bestConnectN,
                    bestSinkN / bestConnectN);
        }
        System.out.println("Within each round (issue 21: the lead must hold in every round):");
        ratios.lines().forEach(System.out::println);
        if (connect) {
            System.out.println("connector: Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " standalone worker (-Xmx"
                    + heap + "), StringConverter (raw JSON strings), KafkaMetaDataStrategy _id (topic-partition-offset)"
                    + " + ReplaceOneDefaultStrategy (upsert by _id), other settings default; rate = documents between"
                    + " the first and the last poll of estimatedDocumentCount (100 ms near the start and the end)");
        }
        return 0;
    }

    /**
     * The official MongoDB Kafka sink connector on the same topic into a fresh collection: a standalone Connect worker
     * in a child JVM with the writers' heap limit, its own consumer group reading from the earliest offset.
     */
    private double connectRow(
            Table table,
            String bootstrap,
            String topic,
            String uri,
            String database,
            String collection,
            int tasks,
            MongoClient admin)
            throws Exception {
        Map<String, String> connector = connectorConfig(tasks, topic, uri, database, collection);
        String name = "mongo-sink-" + collection + "-" + System.currentTimeMillis();
        MongoCollection<Document> target = admin.getDatabase(database).getCollection(collection);
        try (ConnectWorker worker =
                        ConnectWorker.start(name, bootstrap, ConnectWorker.MONGO_PLUGIN, heap, Map.of(), connector);
                CpuSampler cpu = CpuSampler.start(Map.of(
                        "writer", CpuSampler.process(worker.process()),
                        "server", CpuSampler.process(ProcessHandle.current())))) {
            Measured m = worker.measure(target::estimatedDocumentCount, events, 100);
            Map<String, String> cpuFields = cpu == null
                    ? Map.of()
                    : CpuSampler.parse(cpu.resultFields(m.firstNanos(), m.lastNanos(), m.records()));
            long stored = target.countDocuments();
            if (stored != events) {
                throw new IllegalStateException(name + ": " + stored + " documents, expected " + events);
            }
            table.row(
                    "mongo-kafka-connect " + ConnectWorker.MONGO_VERSION + (tasks == 1 ? " (defaults)" : ""),
                    "tasks.max=" + tasks,
                    m.records(),
                    String.format("%.2f", m.seconds()),
                    String.format("%.0f", m.perSecond()),
                    String.format("%.1f", m.perSecond() * size / 1e6),
                    m.rssMib(),
                    cpuFields.getOrDefault("writerCpuUs", "-"),
                    cpuFields.getOrDefault("serverCpuUs", "-"),
                    cpuFields.getOrDefault("busyPct", "-"));
            return m.perSecond();
        }
    }

    /**
     * The mongo-kafka-connect connector settings of this bench's Connect rows (also {@code bench/run scale}'s): records
     * of {@code topic} into {@code database.collection}, {@code tasks.max=tasks}, everything else the connector's
     * default but the id and write model.
     */
    public static Map<String, String> connectorConfig(
            int tasks, String topic, String uri, String database, String collection) {
        return Map.of(
                "connector.class",
                "com.mongodb.kafka.connect.MongoSinkConnector",
                "tasks.max",
                str(tasks),
                "topics",
                topic,
                "connection.uri",
                uri,
                "database",
                database,
                "collection",
                collection,
                // closest to our sink: _id from the record's coordinates, ReplaceOne upsert by _id (idempotent replay)
                "document.id.strategy",
                "com.mongodb.kafka.connect.sink.processor.id.strategy.KafkaMetaDataStrategy",
                "writemodel.strategy",
                "com.mongodb.kafka.connect.sink.writemodel.strategy.ReplaceOneDefaultStrategy");
    }

    private static MongoService devstackMongo() {
        return DevStack.mongo();
    }

    private double row(Table table, String writer, String workers, Map<String, String> r) {
        double seconds = Double.parseDouble(r.get("seconds"));
        long n = Long.parseLong(r.get("records"));
        double perSecond = n / seconds;
        table.row(
                writer,
                workers,
                n,
                String.format("%.2f", seconds),
                String.format("%.0f", perSecond),
                String.format("%.1f", n * (double) size / seconds / 1e6),
                r.get("rssMib"),
                r.getOrDefault("writerCpuUs", "-"),
                r.getOrDefault("serverCpuUs", "-"),
                r.getOrDefault("busyPct", "-"));
        return perSecond;
    }

    private void produce(String bootstrap, String topic) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024);
        byte[][] payloads = payloads(1000, size);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> window = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                window.add(producer.send(new ProducerRecord<>(topic, payloads[i % payloads.length])));
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
    }

    /** Distinct JSON documents of exactly {@code size} bytes, a few typed fields and a padding string. */
    static byte[][] payloads(int distinct, int size) {
        byte[][] out = new byte[distinct][];
        Random random = new Random(42);
        for (int i = 0; i < distinct; i++) {
            StringBuilder json = new StringBuilder("{\"id\":" + i + ",\"type\":\"click\",\"user\":\"u"
                    + random.nextInt(10_000) + "\",\"score\":" + random.nextInt(100) + ".5,\"ok\":true,\"payload\":\"");
            while (json.length() < size - 2) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            json.append("\"}");
            out[i] = json.toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String str(long n) {
        return Long.toString(n);
    }
}
