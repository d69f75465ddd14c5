package io.streamloader.sink.postgresminio;

import io.streamloader.sink.support.ConfigGrammar;
import io.streamloader.sink.support.Secret;
import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one {@code postgres-minio} sink, parsed from its raw config. Immutable; secrets are left out of
 * {@link #toString()}.
 *
 * @param jdbcUrl {@value #JDBC_URL}: PostgreSQL JDBC URL, required
 * @param jdbcUser {@value #JDBC_USER}: database user; empty leaves it to the URL
 * @param jdbcPassword {@value #JDBC_PASSWORD}: database password (secret)
 * @param connectTimeout {@value #JDBC_CONNECT_TIMEOUT}: TCP connect and login timeout (default 5s)
 * @param socketTimeout {@value #JDBC_SOCKET_TIMEOUT}: longest wait for a database answer (default 60s)
 * @param jdbcBatchSize {@value #JDBC_BATCH_SIZE}: rows per JDBC batch (default 1000)
 * @param jdbcConnections {@value #JDBC_CONNECTIONS}: connections of the runner, shared by all its workers (at most
 *     this many write at once, whatever {@code workers} is); a batch of at least 100 rows per connection is split into
 *     slices written at the same time (default 2)
 * @param schema {@value #SCHEMA}: schema holding the sink's table {@code events}, the migration history and the
 *     operator's objects; created if missing (default {@code streamloader})
 * @param migrationLocations {@value #MIGRATIONS_LOCATIONS}: extra Flyway locations ({@code filesystem:} or {@code
 *     classpath:}) applied after the sink's own migrations (default none)
 * @param placeholders {@value #MIGRATIONS_PLACEHOLDERS}{@code .<name>}: extra {@code ${name}} values for migrations;
 *     {@code ${schema}} is always set
 * @param s3Endpoint {@value #S3_ENDPOINT}: S3 endpoint URL, required
 * @param s3AccessKey {@value #S3_ACCESS_KEY}: access key, required
 * @param s3SecretKey {@value #S3_SECRET_KEY}: secret key (secret), required
 * @param s3Region {@value #S3_REGION}: signing region (default us-east-1)
 * @param bucket {@value #S3_BUCKET}: bucket for blobs (default {@code streamloader})
 * @param createBucket {@value #S3_CREATE_BUCKET}: create the bucket at start if missing (default true)
 * @param keyTemplate {@value #S3_KEY_TEMPLATE}: object key pattern (default {@code {topic}/{id}})
 * @param s3ConnectTimeout {@value #S3_CONNECT_TIMEOUT}: TCP connect timeout (default 5s)
 * @param s3RequestTimeout {@value #S3_REQUEST_TIMEOUT}: read/write timeout of one request (default 30s)
 * @param uploadConcurrency {@value #S3_UPLOAD_CONCURRENCY}: parallel PUTs per sink instance (default 4)
 * @param blobFields {@value #BLOB_FIELDS}: top-level JSON fields holding base64 blobs (default none)
 * @param idTemplate {@value #ID_TEMPLATE}: the row's id from fields of the event (such as {@code {uuid}}), so events
 *     naming the same thing update one row; default the event id
 */
public record PostgresMinioSinkConfig(
        String jdbcUrl,
        String jdbcUser,
        Secret jdbcPassword,
        Duration connectTimeout,
        Duration socketTimeout,
        int jdbcBatchSize,
        int jdbcConnections,
        String schema,
        List<String> migrationLocations,
        Map<String, String> placeholders,
        URI s3Endpoint,
        String s3AccessKey,
        Secret s3SecretKey,
        String s3Region,
        String bucket,
        boolean createBucket,
        KeyTemplate keyTemplate,
        Duration s3ConnectTimeout,
        Duration s3RequestTimeout,
        int uploadConcurrency,
        List<String> blobFields,
        Optional<KeyTemplate> idTemplate) {

    public static final String JDBC_URL = "jdbc.url";
    public static final String JDBC_USER = "jdbc.user";
    public static final String JDBC_PASSWORD = "jdbc.password";
    public static final String JDBC_CONNECT_TIMEOUT = "jdbc.connect-timeout";
    public static final String JDBC_SOCKET_TIMEOUT = "jdbc.socket-timeout";
    public static final String JDBC_BATCH_SIZE = "jdbc.batch-size";
    public static final String JDBC_CONNECTIONS = "jdbc.connections";
    public static final String SCHEMA = "schema";
    public static final String MIGRATIONS_LOCATIONS = "migrations.locations";
    public static final String MIGRATIONS_PLACEHOLDERS = "migrations.placeholders";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String S3_REGION = "s3.region";
    public static final String S3_BUCKET = "s3.bucket";
    public static final String S3_CREATE_BUCKET = "s3.create-bucket";
    public static final String S3_KEY_TEMPLATE = "s3.key-template";
    public static final String S3_CONNECT_TIMEOUT = "s3.connect-timeout";
    public static final String S3_REQUEST_TIMEOUT = "s3.request-timeout";
    public static final String S3_UPLOAD_CONCURRENCY = "s3.upload-concurrency";
    public static final String BLOB_FIELDS = "blob.fields";
    public static final String ID_TEMPLATE = "id.template";

    /** Keys whose values the host masks. */
    public static final Set<String> SECRET_KEYS = Set.of(JDBC_PASSWORD, S3_SECRET_KEY);

    static final String DEFAULT_SCHEMA = "streamloader";
    static final String DEFAULT_BUCKET = "streamloader";
    static final String DEFAULT_KEY_TEMPLATE = "{topic}/{id}";

    /** Lower-case SQL identifiers only, so they never need quoting and can't smuggle SQL. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public PostgresMinioSinkConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(keyTemplate, "keyTemplate");
        migrationLocations = List.copyOf(migrationLocations);
        placeholders = Map.copyOf(placeholders);
        blobFields = List.copyOf(blobFields);
        Objects.requireNonNull(idTemplate, "idTemplate");
    }

    /**
     * Reads and validates a sink's config.
     *
     * @throws io.streamloader.spi.SinkConfigException listing every problem, each naming its key
     */
    public static PostgresMinioSinkConfig from(SinkContext context) {
        SinkConfigReader r = new SinkConfigReader(context);
        String jdbcUrl = r.required(JDBC_URL);
        if (!jdbcUrl.isEmpty() && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            r.problem(
                    JDBC_URL,
                    "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), was "
                            + ConfigGrammar.quoted(jdbcUrl));
        }
        String user = r.string(JDBC_USER, "");
        Secret password = r.secret(JDBC_PASSWORD);
        Duration connectTimeout = r.positiveDuration(JDBC_CONNECT_TIMEOUT, Duration.ofSeconds(5));
        Duration socketTimeout = r.positiveDuration(JDBC_SOCKET_TIMEOUT, Duration.ofSeconds(60));
        int batchSize = r.integer(JDBC_BATCH_SIZE, 1000, 1, 100_000);
        int connections = r.integer(JDBC_CONNECTIONS, 2, 1, 32);
        String schema = r.string(SCHEMA, DEFAULT_SCHEMA);
        if (!IDENTIFIER.matcher(schema).matches()) {
            r.problem(SCHEMA, "must be a lower-case SQL identifier matching " + IDENTIFIER + ", was '" + schema + "'");
            schema = DEFAULT_SCHEMA;
        }
        List<String> locations = r.list(MIGRATIONS_LOCATIONS, List.of());
        for (String location : locations) {
            if (!location.startsWith("filesystem:") && !location.startsWith("classpath:")) {
                r.problem(MIGRATIONS_LOCATIONS, "'" + location + "' must start with filesystem: or classpath:");
            }
        }
        Map<String, String> placeholders = r.subtree(MIGRATIONS_PLACEHOLDERS);
        placeholders.keySet().stream()
                .filter(name -> !PLACEHOLDER.matcher(name).matches() || name.equals("schema"))
                .forEach(name -> r.problem(
                        MIGRATIONS_PLACEHOLDERS + "." + name,
                        "placeholder names match " + PLACEHOLDER + " and 'schema' is reserved"));
        List<URI> endpoints = r.uris(S3_ENDPOINT, List.of());
        if (r.optional(S3_ENDPOINT).isEmpty()) {
            r.problem(S3_ENDPOINT, "is required");
        } else if (endpoints.size() > 1) {
            r.problem(S3_ENDPOINT, "must be one URL, was " + endpoints.size());
        }
        String accessKey = r.required(S3_ACCESS_KEY);
        Secret secretKey = r.requiredSecret(S3_SECRET_KEY);
        String region = r.string(S3_REGION, "us-east-1");
        String bucket = r.string(S3_BUCKET, DEFAULT_BUCKET);
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            r.problem(S3_BUCKET, "must be a valid S3 bucket name (3-63 of a-z 0-9 . -), was '" + bucket + "'");
            bucket = DEFAULT_BUCKET;
        }
        boolean createBucket = r.bool(S3_CREATE_BUCKET, true);
        KeyTemplate template = KeyTemplate.parse(DEFAULT_KEY_TEMPLATE);
        Optional<String> templateText = r.optional(S3_KEY_TEMPLATE);
        try {
            template = KeyTemplate.parse(templateText.orElse(DEFAULT_KEY_TEMPLATE));
        } catch (IllegalArgumentException e) {
            r.problem(S3_KEY_TEMPLATE, e.getMessage());
        }
        Optional<KeyTemplate> idTemplate = Optional.empty();
        Optional<String> idText = r.optional(ID_TEMPLATE);
        if (idText.isPresent()) {
            try {
                idTemplate = Optional.of(KeyTemplate.parse(idText.get()));
            } catch (IllegalArgumentException e) {
                r.problem(ID_TEMPLATE, e.getMessage());
            }
        }
        Duration s3ConnectTimeout = r.positiveDuration(S3_CONNECT_TIMEOUT, Duration.ofSeconds(5));
        Duration s3RequestTimeout = r.positiveDuration(S3_REQUEST_TIMEOUT, Duration.ofSeconds(30));
        int concurrency = r.integer(S3_UPLOAD_CONCURRENCY, 4, 1, 64);
        List<String> fields = r.list(BLOB_FIELDS, List.of());
        for (String field : fields) {
            if (!FIELD.matcher(field).matches()) {
                r.problem(BLOB_FIELDS, "'" + field + "' is not a field name matching " + FIELD);
            }
        }
        if (fields.size() != fields.stream().distinct().count()) {
            r.problem(BLOB_FIELDS, "lists a field twice");
        }
        if (fields.size() > 1 && !template.variables().contains("field")) {
            r.problem(S3_KEY_TEMPLATE, "must contain {field} when " + BLOB_FIELDS + " names several fields");
        }
        r.finish();
        return new PostgresMinioSinkConfig(
                jdbcUrl,
                user,
                password,
                connectTimeout,
                socketTimeout,
                batchSize,
                connections,
                schema,
                locations,
                placeholders,
                endpoints.isEmpty() ? URI.create("http://localhost:9000") : endpoints.getFirst(),
                accessKey,
                secretKey,
                region,
                bucket,
                createBucket,
                template,
                s3ConnectTimeout,
                s3RequestTimeout,
                concurrency,
                fields,
                idTemplate);
    }

    @Override
    public String toString() {
        return "PostgresMinioSinkConfig[jdbcUrl=" + Secret.maskUrls(jdbcUrl) + ", jdbcUser=" + jdbcUser + ", schema="
                + schema
                + ", jdbcBatchSize=" + jdbcBatchSize + ", jdbcConnections=" + jdbcConnections + ", migrationLocations="
                + migrationLocations + ", s3Endpoint="
                + Secret.maskUrls(s3Endpoint.toString()) + ", bucket=" + bucket + ", keyTemplate=" + keyTemplate
                + ", blobFields=" + blobFields
                + ", idTemplate=" + idTemplate.map(KeyTemplate::toString).orElse("{id}") + ", uploadConcurrency="
                + uploadConcurrency + " (secrets masked)]";
    }
}
