package io.streamloader.bench.latency;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.BsonDocument;

/**
 * Read-your-write by id: which of {@code ids} a reader of the store can see now. Called from one checker thread each.
 */
interface ReadBack extends AutoCloseable {

    Set<String> present(List<String> ids) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Elasticsearch {@code _mget}, realtime (the default): sees indexed documents before any refresh. */
    static ReadBack elasticsearch(String url, String index) {
        HttpClient http = HttpClient.newHttpClient();
        Pattern found = Pattern.compile("\"_id\":\"([^\"]+)\",\"found\":true");
        return ids -> {
            StringBuilder body = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < ids.size(); i++) {
                body.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
            }
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url + "/" + index
                                    + "/_mget?realtime=true&_source=false&filter_path=docs._id,docs.found"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    body.append("]}").toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Set<String> present = new HashSet<>();
            if (response.statusCode() == 200) { // 404: the index does not exist yet
                Matcher m = found.matcher(response.body());
                while (m.find()) {
                    present.add(m.group(1));
                }
            }
            return present;
        };
    }

    /** MongoDB {@code find} by {@code _id} (primary: the devstack server is a single node). */
    static ReadBack mongo(MongoCollection<BsonDocument> collection) {
        return ids -> {
            Set<String> present = new HashSet<>();
            for (BsonDocument d : collection.find(Filters.in("_id", ids)).projection(Projections.include("_id"))) {
                present.add(d.getString("_id").getValue());
            }
            return present;
        };
    }

    /**
     * PostgreSQL select by id, then a HEAD ({@code statObject}) of each found row's object. Sees nothing until the
     * sink's migration created the table.
     */
    static ReadBack postgres(Connection connection, String schema, MinioClient s3) {
        return new ReadBack() {
            @Override
            public Set<String> present(List<String> ids) throws SQLException, IOException {
                Set<String> present = new HashSet<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "select id, bucket, object_key from " + schema + ".events where id = any(?)")) {
                    Array array = connection.createArrayOf("text", ids.toArray());
                    select.setArray(1, array);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            String bucket = rs.getString(2);
                            String key = rs.getString(3);
                            if (bucket == null || key == null) {
                                throw new IllegalStateException("row " + rs.getString(1) + " has no object");
                            }
                            try {
                                s3.statObject(StatObjectArgs.builder()
                                        .bucket(bucket)
                                        .object(key)
                                        .build());
                            } catch (Exception e) {
                                throw new IOException("HEAD " + bucket + "/" + key + " of a stored row failed", e);
                            }
                            present.add(rs.getString(1));
                        }
                    }
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                        return present; // table or schema not created yet
                    }
                    throw e;
                }
                return present;
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }
}
