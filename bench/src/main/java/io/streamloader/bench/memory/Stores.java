package io.streamloader.bench.memory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.MongoService;
import io.streamloader.devstack.PostgresService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where the three sinks write one topic: the Elasticsearch index and MongoDB collection named after it, the
 * postgres-minio sink's {@code events} table in {@code schema}. Counted once at the end (a count(*) during the run
 * would compete with the writers for the cores).
 */
record Stores(
        ElasticsearchService elasticsearch, MongoService mongo, PostgresService postgres, String topic, String schema) {
    static final String MONGO_DATABASE = "bench";

    long elasticsearchCount() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String index = elasticsearch.url() + "/" + topic;
        http.send(
                HttpRequest.newBuilder(URI.create(index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> count = http.send(
                HttpRequest.newBuilder(URI.create(index + "/_count")).build(), HttpResponse.BodyHandlers.ofString());
        if (count.statusCode() != 200) {
            throw new IllegalStateException("GET " + index + "/_count → " + count.statusCode() + ": " + count.body());
        }
        return Long.parseLong(count.body().replaceAll(".*\"count\":(\\d+).*", "$1"));
    }

    long mongoCount() {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            return client.getDatabase(MONGO_DATABASE).getCollection(topic).countDocuments();
        }
    }

    long postgresCount() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                ResultSet rs = c.createStatement().executeQuery("select count(*) from " + schema + ".events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
