package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

@DevStackTest
class MongoServiceIT {

    @Test
    void insertsAndFinds(MongoService mongo) {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = collection(client);
            docs.insertOne(new Document("_id", "e1").append("n", 1));
            assertThat(docs.find(new Document("_id", "e1")).first()).containsEntry("n", 1);
        }
    }

    @Test
    void keepsDataAcrossARestartOnTheSamePort(MongoService mongo) {
        String collection = "restart-" + UUID.randomUUID();
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            client.getDatabase("devstack").getCollection(collection).insertOne(new Document("_id", "kept"));
        }
        String connectionString = mongo.connectionString();

        mongo.stop();
        assertThat(mongo.isRunning()).isFalse();
        mongo.stop();
        mongo.start();

        assertThat(mongo.connectionString()).isEqualTo(connectionString);
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertThat(client.getDatabase("devstack").getCollection(collection).countDocuments())
                    .isEqualTo(1);
        }
    }

    private static MongoCollection<Document> collection(MongoClient client) {
        return client.getDatabase("devstack").getCollection("round-trip-" + UUID.randomUUID());
    }
}
