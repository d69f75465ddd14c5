package io.streamloader.sink.postgresminio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** The connection settings and the schema migrations of one sink. */
final class Database {
    /** The sink's own migrations; operators' locations come after them. */
    static final String OWN_MIGRATIONS = "classpath:io/streamloader/sink/postgresminio/migration";

    private Database() {}

    /**
     * Connections with the sink's schema as search path, batched inserts rewritten into multi-row inserts, and
     * timeouts that make an outage surface within seconds.
     */
    static PGSimpleDataSource dataSource(PostgresMinioSinkConfig config, String sinkName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(config.jdbcUrl());
        if (!config.jdbcUser().isEmpty()) {
            ds.setUser(config.jdbcUser());
        }
        if (!config.jdbcPassword().isEmpty()) {
            ds.setPassword(config.jdbcPassword().reveal());
        }
        int connectSeconds = (int) Math.max(1, config.connectTimeout().toSeconds());
        ds.setConnectTimeout(connectSeconds);
        ds.setLoginTimeout(connectSeconds * 2);
        ds.setSocketTimeout((int) Math.max(1, config.socketTimeout().toSeconds()));
        ds.setReWriteBatchedInserts(true);
        ds.setCurrentSchema(config.schema());
        ds.setApplicationName("streamloader-" + sinkName);
        ds.setTcpKeepAlive(true);
        return ds;
    }

    /**
     * Applies the sink's migrations and the operator's, creating the schema if needed. Safe to run from several
     * workers at once: Flyway serialises them with an advisory lock.
     */
    static void migrate(PostgresMinioSinkConfig config, DataSource dataSource, ClassLoader loader) {
        List<String> locations = new ArrayList<>();
        locations.add(OWN_MIGRATIONS);
        locations.addAll(config.migrationLocations());
        Map<String, String> placeholders = new HashMap<>(config.placeholders());
        placeholders.put("schema", config.schema());
        Flyway.configure(loader)
                .dataSource(dataSource)
                .schemas(config.schema())
                .defaultSchema(config.schema())
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations(locations.toArray(String[]::new))
                .placeholders(placeholders)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
