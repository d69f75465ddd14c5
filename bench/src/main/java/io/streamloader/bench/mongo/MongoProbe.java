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
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.mongo.MongoSinkFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.json.JsonReader;

/**
 * Child-JVM side of {@link MongoBench}. {@code raw-insert} / {@code raw-upsert}: one client writes the same JSON
 * documents straight into MongoDB ({@code insertMany}, or {@code bulkWrite} of {@code ReplaceOne} upserts by id), in
 * batches of 1000, JSON parsed to BSON inside the timed loop as the sink must. {@code sink}: Kafka → SinkRunner →
 * mongo sink. Both time from the first write to the last acknowledged one and print a RESULT line.
 */
public final class MongoProbe {
    private static final int BATCH = 1000;
    private static volatile long firstNanos;
    private static volatile long lastNanos;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String mongo = args[1];
        String database = args[2];
        String collection = args[3];
        long count = Long.parseLong(args[4]);
        int size = Integer.parseInt(args[5]);
        switch (mode) {
            case "raw-insert", "raw-upsert" -> raw(mode, mongo, database, collection, (int) count, size);
            case "sink" -> sink(mongo, database, collection, args[6], args[7], count, Integer.parseInt(args[8]));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.printf(
                "RESULT records=%d seconds=%.3f rssMib=%d heapMaxMib=%d%n",
                count,
                (lastNanos - firstNanos) / 1e9,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void raw(String mode, String uri, String database, String name, int count, int size) {
        byte[][] payloads = MongoBench.payloads(1000, size);
        RawBsonDocumentCodec codec = new RawBsonDocumentCodec();
        DecoderContext decode = DecoderContext.builder().build();
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<BsonDocument> collection =
                    client.getDatabase(database).getCollection(name, BsonDocument.class);
            // RawBsonDocument's codec adds no _id, so the driver sends the bytes as they are
            MongoCollection<RawBsonDocument> inserts =
                    client.getDatabase(database).getCollection(name, RawBsonDocument.class);
            firstNanos = System.nanoTime();
            for (int start = 0; start < count; start += BATCH) {
                int end = Math.min(count, start + BATCH);
                if (mode.equals("raw-insert")) {
                    List<RawBsonDocument> docs = new ArrayList<>(end - start);
                    for (int i = start; i < end; i++) {
                        // no _id: the server assigns one, the cheapest raw path there is
                        docs.add(codec.decode(new JsonReader(json(payloads, i)), decode));
                    }
                    inserts.insertMany(docs, new InsertManyOptions().ordered(false));
                } else {
                    List<WriteModel<BsonDocument>> models = new ArrayList<>(end - start);
                    for (int i = start; i < end; i++) {
                        RawBsonDocument doc = codec.decode(new JsonReader(json(payloads, i)), decode);
                        models.add(new ReplaceOneModel<>(Filters.eq("_id", "raw-" + i), doc, upsert));
                    }
                    collection.bulkWrite(models, new BulkWriteOptions().ordered(false));
                }
            }
            lastNanos = System.nanoTime();
        }
    }

    private static String json(byte[][] payloads, int i) {
        return new String(payloads[i % payloads.length], StandardCharsets.UTF_8);
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
    }
}
