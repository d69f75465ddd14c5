package io.streamloader.bench.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.streamloader.bench.KafkaLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * The hand-written Kafka → MongoDB loop ({@link KafkaLoop}): each record's JSON parsed with {@code
 * BsonDocument.parse}, {@code _id} = the event id the pipeline gives it, one unordered {@code bulkWrite} of {@code
 * ReplaceOne} upserts by {@code _id} per poll. One {@link MongoClient} per thread.
 */
public final class MongoLoop implements KafkaLoop.Writer {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoClient client;
    private final MongoCollection<BsonDocument> collection;

    public MongoLoop(String uri, String database, String collection) {
        this.client = MongoClients.create(uri);
        this.collection = client.getDatabase(database).getCollection(collection, BsonDocument.class);
    }

    @Override
    public void write(ConsumerRecords<byte[], byte[]> records) {
        List<WriteModel<BsonDocument>> models = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            BsonDocument doc = BsonDocument.parse(new String(record.value(), StandardCharsets.UTF_8));
            BsonString id = new BsonString(KafkaLoop.id(record));
            doc.put("_id", id);
            models.add(new ReplaceOneModel<>(Filters.eq("_id", id), doc, UPSERT));
        }
        collection.bulkWrite(models, UNORDERED);
    }

    @Override
    public void close() {
        client.close();
    }
}
