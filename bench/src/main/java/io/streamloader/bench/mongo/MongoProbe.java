package io.streamloader.bench.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.KafkaLoop;
import io.streamloader.bench.OpenedSink;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.mongo.MongoSinkFactory;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonReader;

/**
 * Child-JVM side of {@link MongoBench}, timed from the first write to the last acknowledged one, printing a RESULT
 * line. The JSON of the raw modes is converted to BSON before the clock starts; each writes in batches of 1000, from
 * one or several client threads:
 *
 * <ul>
 *   <li>{@code raw-insert}: {@code insertMany} without {@code _id} (the server assigns one);
 *   <li>{@code raw-insert-id}: {@code insertMany} of the documents the sink stores, a string {@code _id} in front;
 *   <li>{@code raw-upsert}: {@code bulkWrite} of {@code ReplaceOne} upserts by id;
 *   <li>{@code sink-direct}: {@code Sink.write} of events built in memory (the sink without Kafka);
 *   <li>{@code sink}: Kafka → SinkRunner → mongo sink;
 *   <li>{@code loop}: the hand-written Kafka → MongoDB loop ({@link MongoLoop}), the pipeline's baseline.
 * </ul>
 */
public final class MongoProbe {
    private static final int BATCH = 1000;
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    /** Events in the timed window when the pipeline left some out (TimedPipeline); -1: all of them. */
    private static volatile long timedRecords = -1;

    public static void main(String[] args) throws Exception {
        // this JVM writes; the parent (the bench) runs the MongoDB server and the Kafka broker
        Map<String, LongSupplier> groups = new LinkedHashMap<>();
        groups.put("writer", CpuSampler.process(ProcessHandle.current()));
        ProcessHandle.current().parent().ifPresent(p -> groups.put("server", CpuSampler.process(p)));
        CpuSampler cpu = CpuSampler.start(groups);
        String mode = args[0];
        String mongo = args[1];
        String database = args[2];
        String collection = args[3];
        long count = Long.parseLong(args[4]);
        int size = Integer.parseInt(args[5]);
        switch (mode) {
            case "raw-insert", "raw-insert-id", "raw-upsert" ->
                raw(
                        mode,
                        mongo,
                        database,
                        collection,
                        (int) count,
                        size,
                        args.length > 6 ? Integer.parseInt(args[6]) : 1);
            case "sink-direct" -> sinkDirect(mongo, database, collection, (int) count, size);
            case "sink" -> sink(mongo, database, collection, args[6], args[7], count, Integer.parseInt(args[8]));
            case "loop" ->
                loop(
                        mongo,
                        database,
                        collection,
                        args[6],
                        args[7],
                        count,
                        Integer.parseInt(args[8]),
                        Integer.parseInt(args[9]));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        long records = timedRecords < 0 ? count : timedRecords;
        System.out.printf(
                "RESULT records=%d seconds=%.3f rssMib=%d heapMaxMib=%d%s%n",
                records,
                (lastNanos - firstNanos) / 1e9,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20,
                cpu == null ? "" : cpu.resultFields(firstNanos, lastNanos, records));
        if (cpu != null) {
            cpu.close();
        }
    }

    private static void raw(String mode, String uri, String database, String name, int count, int size, int threads)
            throws Exception {
        byte[][] payloads = MongoBench.payloads(1000, size);
        RawBsonDocumentCodec codec = new RawBsonDocumentCodec();
        DecoderContext decode = DecoderContext.builder().build();
        // converted once, before the clock starts: the raw rows are the server's and the driver's rate, not a parser's
        List<RawBsonDocument> docs = new ArrayList<>(payloads.length);
        for (int i = 0; i < payloads.length; i++) {
            docs.add(codec.decode(new JsonReader(json(payloads, i)), decode));
        }
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        try (MongoClient client = MongoClients.create(uri);
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MongoCollection<BsonDocument> collection =
                    client.getDatabase(database).getCollection(name, BsonDocument.class);
            // RawBsonDocument's codec adds no _id, so the driver sends the bytes as they are
            MongoCollection<RawBsonDocument> inserts =
                    client.getDatabase(database).getCollection(name, RawBsonDocument.class);
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                writers.add(() -> {
                    // client thread t writes batches t, t + threads, ...
                    for (int start = first * BATCH; start < count; start += threads * BATCH) {
                        int end = Math.min(count, start + BATCH);
                        if (mode.equals("raw-insert")) {
                            List<RawBsonDocument> batch = new ArrayList<>(end - start);
                            for (int i = start; i < end; i++) {
                                // no _id: the server assigns one, the cheapest raw path there is
                                batch.add(docs.get(i % docs.size()));
                            }
                            inserts.insertMany(batch, new InsertManyOptions().ordered(false));
                        } else if (mode.equals("raw-insert-id")) {
                            List<RawBsonDocument> batch = new ArrayList<>(end - start);
                            for (int i = start; i < end; i++) {
                                // the documents the sink stores: a string _id in front (an event id of this length)
                                batch.add(withId(String.format("raw-%032d", i), docs.get(i % docs.size())));
                            }
                            inserts.insertMany(batch, new InsertManyOptions().ordered(false));
                        } else {
                            List<WriteModel<BsonDocument>> models = new ArrayList<>(end - start);
                            for (int i = start; i < end; i++) {
                                models.add(new ReplaceOneModel<>(
                                        Filters.eq("_id", "raw-" + i), docs.get(i % docs.size()), upsert));
                            }
                            collection.bulkWrite(models, new BulkWriteOptions().ordered(false));
                        }
                    }
                    return null;
                });
            }
            firstNanos = System.nanoTime();
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
            lastNanos = System.nanoTime();
        }
    }

    /** {@code doc} with a string {@code _id} element in front of its elements, as bytes. */
    private static RawBsonDocument withId(String id, RawBsonDocument doc) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer source = doc.getByteBuffer().asNIO();
        int length = source.remaining();
        int element = 1 + 4 + 4 + idBytes.length + 1; // type, "_id\0", int32 length, bytes, NUL
        ByteBuffer out = ByteBuffer.allocate(length + element).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(length + element).put((byte) 0x02).put(new byte[] {'_', 'i', 'd', 0});
        out.putInt(idBytes.length + 1).put(idBytes).put((byte) 0);
        out.put(source.slice(source.position() + 4, length - 4));
        return new RawBsonDocument(out.array());
    }

    private static String json(byte[][] payloads, int i) {
        return new String(payloads[i % payloads.length], StandardCharsets.UTF_8);
    }

    /** {@code Sink.write} called directly with events built in memory: the sink's own rate, without Kafka. */
    private static void sinkDirect(String uri, String database, String collection, int count, int size) {
        byte[][] payloads = MongoBench.payloads(1000, size);
        List<List<Event>> batches = new ArrayList<>();
        for (int start = 0; start < count; start += BATCH) {
            List<Event> batch = new ArrayList<>(BATCH);
            for (int i = start; i < Math.min(count, start + BATCH); i++) {
                batch.add(Event.builder()
                        .id(String.format("direct-%030d", i))
                        .topic("bench")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.now())
                        .value(payloads[i % payloads.length])
                        .contentType("application/json")
                        .build());
            }
            batches.add(batch);
        }
        try (OpenedSink sink = OpenedSink.open(
                new MongoSinkFactory(),
                new SinkContext(
                        "bench", Map.of("connection-string", uri, "database", database, "collection", collection)))) {
            firstNanos = System.nanoTime();
            for (List<Event> batch : batches) {
                if (!sink.write(batch).isSuccess()) {
                    throw new IllegalStateException("sink refused documents");
                }
            }
            lastNanos = System.nanoTime();
        }
    }

    private static void sink(
            String uri, String database, String collection, String bootstrap, String topic, long count, int workers)
            throws InterruptedException {
        TimedPipeline.Result result = TimedPipeline.run(
                new MongoSinkFactory(),
                Map.of("connection-string", uri, "database", database, "collection", collection),
                bootstrap,
                topic,
                workers,
                new BatchPolicy(BATCH, 8L << 20, Duration.ofMillis(100)),
                count);
        firstNanos = result.firstNanos();
        lastNanos = result.lastNanos();
        timedRecords = result.events();
    }

    private static void loop(
            String uri,
            String database,
            String collection,
            String bootstrap,
            String topic,
            long count,
            int threads,
            int partitions)
            throws Exception {
        KafkaLoop.Result result = KafkaLoop.run(
                bootstrap, topic, partitions, threads, BATCH, count, () -> new MongoLoop(uri, database, collection));
        firstNanos = result.firstNanos();
        lastNanos = result.lastNanos();
        timedRecords = result.events();
    }
}
