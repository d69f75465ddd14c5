package io.streamloader.sink.postgresminio;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The devstack PostgreSQL and S3 server as the sink's tests use them: configs, queries and object reads. */
final class TestingStores {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final PostgresService postgres = DevStack.postgres();
    final S3Service s3 = DevStack.s3();
    final String schema;
    final String bucket;

    TestingStores(String prefix) {
        int n = SEQUENCE.incrementAndGet();
        long stamp = System.currentTimeMillis() % 1_000_000;
        this.schema = (prefix + "_" + stamp + "_" + n).toLowerCase(java.util.Locale.ROOT);
        this.bucket = (prefix + "-" + stamp + "-" + n)
                .toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-');
    }

    /** The sink config for this test's schema and bucket, plus {@code extra}. */
    Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("jdbc.url", postgres.jdbcUrl());
        config.put("jdbc.user", postgres.user());
        config.put("jdbc.password", postgres.password());
        config.put("jdbc.connect-timeout", "2s");
        config.put("schema", schema);
        config.put("s3.endpoint", s3.endpoint());
        config.put("s3.access-key", s3.accessKey());
        config.put("s3.secret-key", s3.secretKey());
        config.put("s3.bucket", bucket);
        config.put("s3.connect-timeout", "2s");
        config.put("s3.request-timeout", "10s");
        config.putAll(extra);
        return config;
    }

    static String examples(String demo) {
        return "filesystem:"
                + java.nio.file.Path.of("examples", demo, "migrations").toAbsolutePath();
    }

    Connection connection() throws SQLException {
        Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (var st = c.createStatement()) {
            st.execute("set search_path to " + schema);
        }
        return c;
    }

    List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (Connection c = connection();
                PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    long count(String sql, Object... params) throws SQLException {
        return ((Number) query(sql, params).getFirst().values().iterator().next()).longValue();
    }

    MinioClient minio() {
        return MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
    }

    byte[] object(String key) throws Exception {
        try (InputStream in = minio().getObject(
                        GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    /** Every object key in the bucket. */
    List<String> objectKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : minio().listObjects(
                        ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
