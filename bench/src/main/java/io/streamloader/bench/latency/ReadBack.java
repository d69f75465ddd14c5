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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.BsonDocument;

/**
 * Read-your-write by id: which of {@code ids} a reader of the store can see now, each with the {@link System#nanoTime()}
 * at which the read that confirmed it returned. Called from one checker thread each.
 */
interface ReadBack extends AutoCloseable {

    /** The readable ids among {@code ids}, each with the time its own confirming read returned. */
    Map<String, Long> present(List<String> ids) throws Exception;

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
            long seen = System.nanoTime(); // one request confirmed all of them
            Map<String, Long> present = new HashMap<>();
            if (response.statusCode() == 200) { // 404: the index does not exist yet
                Matcher m = found.matcher(response.body());
                while (m.find()) {
                    present.put(m.group(1), seen);
                }
            }
            return present;
        };
    }

    /** MongoDB {@code find} by {@code _id} (primary: the devstack server is a single node). */
    static ReadBack mongo(MongoCollection<BsonDocument> collection) {
        return ids -> {
            List<String> found = new ArrayList<>();
            for (BsonDocument d : collection.find(Filters.in("_id", ids)).projection(Projections.include("_id"))) {
                found.add(d.getString("_id").getValue());
            }
            long seen = System.nanoTime(); // one find (one batch of at most 500 small documents) confirmed all
            Map<String, Long> present = new HashMap<>();
            found.forEach(id -> present.put(id, seen));
            return present;
        };
    }

    /**
     * PostgreSQL select by id, then a HEAD ({@code statObject}) of each found row's object, the HEADs in parallel on
     * {@value #PARALLEL_HEADS} threads. Each event is charged the time its own HEAD returned: a row seen in a select
     * is confirmed when its object answers, not when the last of that select's objects did (HEADs one after the other
     * charged every event of a sink batch the whole batch's HEADs). Sees nothing until the sink's migration created
     * the table.
     */
    static ReadBack postgres(Connection connection, String schema, MinioClient s3) {
        ExecutorService heads = Executors.newFixedThreadPool(PARALLEL_HEADS);
        return new ReadBack() {
            @Override
            public Map<String, Long> present(List<String> ids) throws SQLException, IOException, InterruptedException {
                List<String[]> rows = new ArrayList<>(); // id, bucket, key
                try (PreparedStatement select = connection.prepareStatement(
                        "select id, bucket, object_key from " + schema + ".events where id = any(?)")) {
                    Array array = connection.createArrayOf("text", ids.toArray());
                    select.setArray(1, array);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                        }
                    }
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                        return Map.of(); // table or schema not created yet
                    }
                    throw e;
                }
                List<Future<Long>> answers = new ArrayList<>();
                for (String[] row : rows) {
                    if (row[1] == null || row[2] == null) {
                        throw new IllegalStateException("row " + row[0] + " has no object");
                    }
                    answers.add(heads.submit(() -> {
                        s3.statObject(StatObjectArgs.builder()
                                .bucket(row[1])
                                .object(row[2])
                                .build());
                        return System.nanoTime();
                    }));
                }
                Map<String, Long> present = new HashMap<>();
                for (int i = 0; i < rows.size(); i++) {
                    String[] row = rows.get(i);
                    try {
                        present.put(row[0], answers.get(i).get());
                    } catch (ExecutionException e) {
                        throw new IOException(
                                "HEAD " + row[1] + "/" + row[2] + " of a stored row failed", e.getCause());
                    }
                }
                return present;
            }

            @Override
            public void close() throws SQLException {
                heads.shutdownNow();
                connection.close();
            }
        };
    }

    /** HEADs in flight at most per PostgreSQL check: a sink batch's rows appear together. */
    int PARALLEL_HEADS = 16;
}
