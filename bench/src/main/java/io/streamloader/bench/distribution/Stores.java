package io.streamloader.bench.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * Where the three sinks write one topic: the Elasticsearch index and MongoDB collection named after it, the
 * postgres-minio sink's {@code events} table in {@code schema}. Counted or listed once at the end (a count(*) during
 * the run would compete with the writers for the cores).
 */
public record Stores(
        ElasticsearchService elasticsearch, MongoService mongo, PostgresService postgres, String topic, String schema) {
    public static final String MONGO_DATABASE = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 5000;

    public long elasticsearchCount() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String index = elasticsearch.url() + "/" + topic;
        refresh(http, index);
        HttpResponse<String> count = http.send(
                HttpRequest.newBuilder(URI.create(index + "/_count")).build(), HttpResponse.BodyHandlers.ofString());
        if (count.statusCode() != 200) {
            throw new IllegalStateException("GET " + index + "/_count → " + count.statusCode() + ": " + count.body());
        }
        return Long.parseLong(count.body().replaceAll(".*\"count\":(\\d+).*", "$1"));
    }

    /**
     * Every document {@code _id} in the index (one entry per document, so an id in the list twice was stored twice),
     * read with a scroll of {@value #PAGE} ids per page; empty when the sink never created the index.
     */
    public List<String> elasticsearchIds() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String index = elasticsearch.url() + "/" + topic;
        List<String> ids = new ArrayList<>();
        if (refresh(http, index) == 404) {
            return ids;
        }
        JsonNode page = post(
                http,
                index + "/_search?scroll=1m",
                "{\"size\":" + PAGE + ",\"_source\":false,\"sort\":[\"_doc\"],\"query\":{\"match_all\":{}}}");
        while (true) {
            JsonNode hits = page.path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            hits.forEach(hit -> ids.add(hit.path("_id").asText()));
            page = post(
                    http,
                    elasticsearch.url() + "/_search/scroll",
                    JSON.createObjectNode()
                            .put("scroll", "1m")
                            .put("scroll_id", page.path("_scroll_id").asText())
                            .toString());
        }
        return ids;
    }

    public long mongoCount() {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            return client.getDatabase(MONGO_DATABASE).getCollection(topic).countDocuments();
        }
    }

    /** Every document's {@code _id} in the collection, as a string. */
    public List<String> mongoIds() {
        List<String> ids = new ArrayList<>();
        try (MongoClient client = MongoClients.create(mongo.connectionString());
                MongoCursor<Document> cursor = client.getDatabase(MONGO_DATABASE)
                        .getCollection(topic)
                        .find()
                        .projection(Projections.include("_id"))
                        .batchSize(PAGE)
                        .iterator()) {
            cursor.forEachRemaining(d -> ids.add(String.valueOf(d.get("_id"))));
        }
        return ids;
    }

    public long postgresCount() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                ResultSet rs = c.createStatement().executeQuery("select count(*) from " + schema + ".events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row's id in the sink's table; empty when the sink never created it. */
    public List<String> postgresIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            c.setAutoCommit(false); // a cursor (fetch size) needs a transaction
            try (Statement s = c.createStatement()) {
                s.setFetchSize(PAGE);
                try (ResultSet exists = s.executeQuery("select to_regclass('" + schema + ".events') is not null")) {
                    exists.next();
                    if (!exists.getBoolean(1)) {
                        return ids;
                    }
                }
                try (ResultSet rs = s.executeQuery("select id from " + schema + ".events")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return ids;
    }

    private static int refresh(HttpClient http, String index) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(index + "/_refresh"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static JsonNode post(HttpClient http, String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " → " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
