package io.streamloader.sink.mongo;

import com.mongodb.ConnectionString;
import io.streamloader.sink.support.ConfigGrammar;
import io.streamloader.sink.support.Secret;
import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The settings of one {@code mongo} sink, read from {@code sinks.<name>.config.*}. Immutable; secrets (the password
 * and any password inside the connection string) never appear in {@link #toString()}.
 *
 * @param sinkName the sink's name, for logs
 * @param connectionString {@value #CONNECTION_STRING}: {@code mongodb://} or {@code mongodb+srv://} URL (secret)
 * @param username {@value #USERNAME}: overrides the connection string's user
 * @param password {@value #PASSWORD}: the user's password (secret)
 * @param authSource {@value #AUTH_SOURCE}: database holding the user
 * @param tls {@value #TLS_ENABLED}: connect with TLS (also enabled by {@code tls=true} in the connection string)
 * @param tlsCaFile {@value #TLS_CA_FILE}: PEM file with the CA certificates to trust instead of the JDK's
 * @param tlsAllowInvalidHostnames {@value #TLS_ALLOW_INVALID_HOSTNAMES}: skip host name verification
 * @param database {@value #DATABASE}: database name pattern; {@code {topic}} is replaced by the event's topic
 * @param collection {@value #COLLECTION}: collection name pattern; {@code {topic}} as above
 * @param idField {@value #ID_FIELD}: dotted path of a document field to use as {@code _id} instead of the event id
 * @param dateFields {@value #DATE_FIELDS}: dotted paths whose ISO-8601 string values are stored as BSON dates
 * @param writeConcern {@value #WRITE_CONCERN}: {@code majority} or a number of members ≥ 1; when empty, the
 *     connection string's {@code w}, or else {@code majority}
 * @param writeConcernTimeout {@value #WRITE_CONCERN_TIMEOUT}: {@code wtimeout}; a timeout is retried
 * @param serverSelectionTimeout {@value #SERVER_SELECTION_TIMEOUT}: how long a write waits for a usable server
 *     before the batch is retried
 * @param connectTimeout {@value #CONNECT_TIMEOUT}: TCP connect timeout
 * @param socketTimeout {@value #SOCKET_TIMEOUT}: read timeout of one request; a half-open connection surfaces after
 *     this long as a retriable failure, so keep it above the slowest healthy bulk write
 * @param maxDocumentSize {@value #MAX_DOCUMENT_SIZE}: larger BSON documents go to the dead-letter topic
 * @param splitArrays {@value #ARRAYS}: {@code split} stores a JSON array value as one document per element (seed
 *     002's footdata producer writes one array of matches per record); {@code refuse} (default) dead-letters it
 * @param arraysIdField {@value #ARRAYS_ID_FIELD}: dotted path of the element field holding an element's {@code _id};
 *     an element without it (and every element when this is unset) is stored under {@code <event id>-<index>}
 * @param arraysMaxElements {@value #ARRAYS_MAX_ELEMENTS}: an array with more elements is dead-lettered
 * @param indexes {@value #INDEXES}{@code .<name>.*}: indexes created at start
 */
public record MongoSinkConfig(
        String sinkName,
        Secret connectionString,
        Optional<String> username,
        Secret password,
        String authSource,
        boolean tls,
        Optional<Path> tlsCaFile,
        boolean tlsAllowInvalidHostnames,
        String database,
        String collection,
        Optional<String> idField,
        List<String> dateFields,
        Optional<String> writeConcern,
        Duration writeConcernTimeout,
        Duration serverSelectionTimeout,
        Duration connectTimeout,
        Duration socketTimeout,
        int maxDocumentSize,
        boolean splitArrays,
        Optional<String> arraysIdField,
        int arraysMaxElements,
        List<IndexSpec> indexes) {

    public static final String CONNECTION_STRING = "connection-string";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String AUTH_SOURCE = "auth-source";
    public static final String TLS_ENABLED = "tls.enabled";
    public static final String TLS_CA_FILE = "tls.ca-file";
    public static final String TLS_ALLOW_INVALID_HOSTNAMES = "tls.allow-invalid-hostnames";
    public static final String DATABASE = "database";
    public static final String COLLECTION = "collection";
    public static final String ID_FIELD = "id-field";
    public static final String DATE_FIELDS = "date-fields";
    public static final String WRITE_CONCERN = "write-concern";
    public static final String WRITE_CONCERN_TIMEOUT = "write-concern.timeout";
    public static final String SERVER_SELECTION_TIMEOUT = "server-selection-timeout";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String SOCKET_TIMEOUT = "socket-timeout";
    public static final String MAX_DOCUMENT_SIZE = "max-document-size";
    public static final String ARRAYS = "arrays";
    public static final String ARRAYS_ID_FIELD = "arrays.id-field";
    public static final String ARRAYS_MAX_ELEMENTS = "arrays.max-elements";
    public static final String INDEXES = "indexes";

    /** Keys whose values are secrets. */
    public static final Set<String> SECRET_KEYS = Set.of(CONNECTION_STRING, PASSWORD);

    public static final String DEFAULT_CONNECTION_STRING = "mongodb://localhost:27017";
    public static final String DEFAULT_DATABASE = "streamloader";
    public static final String DEFAULT_COLLECTION = "{topic}";
    /** MongoDB's own limit on a BSON document. */
    public static final int MONGO_MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;
    /** Far above a day of football-data matches, far below what would make one event a long write. */
    public static final int DEFAULT_ARRAYS_MAX_ELEMENTS = 10_000;

    public static final int MAX_ARRAYS_MAX_ELEMENTS = 1_000_000;

    private static final Pattern FIELD_PATH = Pattern.compile("[^.$\\x00][^.\\x00]*(\\.[^.\\x00]+)*");
    private static final Set<String> INDEX_KEYS =
            Set.of("keys", "unique", "sparse", "collection", "expire-after", "partial-filter");

    public MongoSinkConfig {
        Objects.requireNonNull(sinkName, "sinkName");
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(authSource, "authSource");
        Objects.requireNonNull(tlsCaFile, "tlsCaFile");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(idField, "idField");
        dateFields = List.copyOf(dateFields);
        Objects.requireNonNull(writeConcern, "writeConcern");
        Objects.requireNonNull(writeConcernTimeout, "writeConcernTimeout");
        Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (maxDocumentSize < 1 || maxDocumentSize > MONGO_MAX_DOCUMENT_SIZE) {
            throw new IllegalArgumentException("maxDocumentSize must be 1.." + MONGO_MAX_DOCUMENT_SIZE);
        }
        Objects.requireNonNull(arraysIdField, "arraysIdField");
        if (arraysMaxElements < 1 || arraysMaxElements > MAX_ARRAYS_MAX_ELEMENTS) {
            throw new IllegalArgumentException("arraysMaxElements must be 1.." + MAX_ARRAYS_MAX_ELEMENTS);
        }
        indexes = List.copyOf(indexes);
    }

    /**
     * Reads and validates the sink's settings without connecting anywhere.
     *
     * @throws io.streamloader.spi.SinkConfigException listing every problem, each naming its key
     */
    public static MongoSinkConfig from(SinkContext context) {
        SinkConfigReader r = new SinkConfigReader(context);
        Secret connectionString = Secret.of(r.string(CONNECTION_STRING, DEFAULT_CONNECTION_STRING));
        try {
            new ConnectionString(connectionString.reveal());
        } catch (RuntimeException e) { // hostile text may fail in any way; problem() masks a URL's password
            // the driver's message does not echo the string, so no secret leaks into the problem list
            r.problem(CONNECTION_STRING, "is not a valid MongoDB connection string: " + e.getMessage());
        }
        Optional<String> username = r.optional(USERNAME);
        Secret password = r.secret(PASSWORD);
        if (!password.isEmpty() && username.isEmpty()) {
            r.problem(PASSWORD, "is set but " + context.keyPath(USERNAME) + " is not");
        }
        String authSource = r.string(AUTH_SOURCE, "admin");
        boolean tls = r.bool(TLS_ENABLED, false);
        Optional<Path> caFile = r.readableFile(TLS_CA_FILE);
        boolean allowInvalidHostnames = r.bool(TLS_ALLOW_INVALID_HOSTNAMES, false);

        String database = r.string(DATABASE, DEFAULT_DATABASE);
        Namespaces.databaseProblem(database).ifPresent(p -> r.problem(DATABASE, p));
        String collection = r.string(COLLECTION, DEFAULT_COLLECTION);
        Namespaces.collectionProblem(collection).ifPresent(p -> r.problem(COLLECTION, p));

        Optional<String> idField = r.optional(ID_FIELD);
        idField.filter(f -> !FIELD_PATH.matcher(f).matches())
                .ifPresent(f -> r.problem(ID_FIELD, "'" + f + "' is not a dotted field path like id or match.id"));
        List<String> dateFields = r.list(DATE_FIELDS, List.of());
        dateFields.stream()
                .filter(f -> !FIELD_PATH.matcher(f).matches() || f.equals("_id"))
                .forEach(f -> r.problem(DATE_FIELDS, "'" + f + "' is not a dotted field path like utcDate"));

        Optional<String> writeConcern = r.optional(WRITE_CONCERN);
        writeConcern
                .filter(w -> !w.equals("majority") && !w.matches("[1-9][0-9]{0,2}"))
                .ifPresent(w -> r.problem(
                        WRITE_CONCERN,
                        "must be 'majority' or a number of members ≥ 1 (unacknowledged writes would lose"
                                + " events), was '" + w + "'"));
        Duration wtimeout = r.positiveDuration(WRITE_CONCERN_TIMEOUT, Duration.ofSeconds(15));
        Duration serverSelection = r.positiveDuration(SERVER_SELECTION_TIMEOUT, Duration.ofSeconds(5));
        Duration connect = r.positiveDuration(CONNECT_TIMEOUT, Duration.ofSeconds(5));
        Duration socket = r.positiveDuration(SOCKET_TIMEOUT, Duration.ofSeconds(10));
        long maxSize = r.bytes(MAX_DOCUMENT_SIZE, MONGO_MAX_DOCUMENT_SIZE);
        if (maxSize < 1 || maxSize > MONGO_MAX_DOCUMENT_SIZE) {
            r.problem(MAX_DOCUMENT_SIZE, "must be between 1 and 16MiB, was " + maxSize);
            maxSize = MONGO_MAX_DOCUMENT_SIZE;
        }
        boolean splitArrays = r.oneOf(ARRAYS, "refuse", "refuse", "split").equals("split");
        Optional<String> arraysIdField = r.optional(ARRAYS_ID_FIELD);
        arraysIdField
                .filter(f -> !FIELD_PATH.matcher(f).matches())
                .ifPresent(
                        f -> r.problem(ARRAYS_ID_FIELD, "'" + f + "' is not a dotted field path like id or match.id"));
        int maxElements = r.integer(ARRAYS_MAX_ELEMENTS, DEFAULT_ARRAYS_MAX_ELEMENTS, 1, MAX_ARRAYS_MAX_ELEMENTS);
        if (!splitArrays) {
            for (String key : List.of(ARRAYS_ID_FIELD, ARRAYS_MAX_ELEMENTS)) {
                r.optional(key)
                        .ifPresent(v -> r.problem(key, "applies only with " + context.keyPath(ARRAYS) + ": split"));
            }
        }
        List<IndexSpec> indexes = indexes(r, collection);
        r.finish();
        return new MongoSinkConfig(
                context.name(),
                connectionString,
                username,
                password,
                authSource,
                tls,
                caFile,
                allowInvalidHostnames,
                database,
                collection,
                idField,
                dateFields,
                writeConcern,
                wtimeout,
                serverSelection,
                connect,
                socket,
                (int) maxSize,
                splitArrays,
                arraysIdField,
                maxElements,
                indexes);
    }

    /** The connection string with any password replaced by {@code ****}, for logs. */
    public String maskedConnectionString() {
        return Secret.maskUrls(connectionString.reveal());
    }

    @Override
    public String toString() {
        return "MongoSinkConfig[sink=" + sinkName + ", connectionString=" + maskedConnectionString() + ", username="
                + username.orElse("") + ", password=" + password + ", authSource="
                + authSource + ", tls=" + tls + ", tlsCaFile="
                + tlsCaFile.map(Path::toString).orElse("")
                + ", tlsAllowInvalidHostnames=" + tlsAllowInvalidHostnames + ", database=" + database
                + ", collection=" + collection + ", idField=" + idField.orElse("") + ", dateFields=" + dateFields
                + ", writeConcern=" + writeConcern.orElse("") + ", writeConcernTimeout=" + writeConcernTimeout
                + ", serverSelectionTimeout=" + serverSelectionTimeout + ", connectTimeout=" + connectTimeout
                + ", socketTimeout=" + socketTimeout + ", maxDocumentSize=" + maxDocumentSize + ", arrays="
                + (splitArrays ? "split" : "refuse") + ", arraysIdField=" + arraysIdField.orElse("")
                + ", arraysMaxElements=" + arraysMaxElements + ", indexes="
                + indexes.stream().map(IndexSpec::name).toList() + "]";
    }

    private static List<IndexSpec> indexes(SinkConfigReader r, String collectionPattern) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        r.subtree(INDEXES).forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot <= 0 || !INDEX_KEYS.contains(key.substring(dot + 1))) {
                r.problem(
                        INDEXES + "." + key,
                        "unknown index setting; expected " + INDEXES + ".<name>." + String.join("|", INDEX_KEYS));
                return;
            }
            byName.computeIfAbsent(key.substring(0, dot), n -> new TreeMap<>())
                    .put(key.substring(dot + 1), value.trim());
        });
        List<IndexSpec> out = new ArrayList<>();
        byName.forEach((name, settings) -> {
            String prefix = INDEXES + "." + name + ".";
            BsonDocument keys = indexKeys(r, prefix + "keys", settings.getOrDefault("keys", ""));
            Optional<String> collection =
                    Optional.ofNullable(settings.get("collection")).filter(s -> !s.isBlank());
            collection
                    .filter(c -> Namespaces.isLiteral(collectionPattern) && !c.equals(collectionPattern))
                    .ifPresent(c -> r.problem(
                            prefix + "collection",
                            "'" + c + "' is never written: " + COLLECTION + " is the fixed name '" + collectionPattern
                                    + "'"));
            Optional<Duration> ttl = Optional.empty();
            if (settings.containsKey("expire-after")) {
                ttl = Optional.of(indexDuration(r, prefix + "expire-after", settings.get("expire-after")));
            }
            Optional<BsonDocument> partial = Optional.empty();
            if (settings.containsKey("partial-filter")) {
                try {
                    partial = Optional.of(BsonDocument.parse(settings.get("partial-filter")));
                } catch (RuntimeException e) {
                    r.problem(prefix + "partial-filter", "is not a JSON object: " + e.getMessage());
                }
            }
            out.add(new IndexSpec(
                    name,
                    collection,
                    keys,
                    indexBool(r, prefix + "unique", settings.get("unique")),
                    indexBool(r, prefix + "sparse", settings.get("sparse")),
                    ttl,
                    partial));
        });
        return out;
    }

    /** {@code field:1,other:-1}; a field alone means ascending; also hashed, text, 2dsphere. */
    private static BsonDocument indexKeys(SinkConfigReader r, String key, String value) {
        BsonDocument keys = new BsonDocument();
        if (value.isBlank()) {
            r.problem(key, "is required, e.g. homeTeam.id:1,utcDate:-1");
            return keys;
        }
        for (String part : value.split(",")) {
            String[] fieldAndOrder = part.trim().split(":", 2);
            String field = fieldAndOrder[0].trim();
            String order = fieldAndOrder.length == 2 ? fieldAndOrder[1].trim() : "1";
            BsonValue direction = switch (order) {
                case "1", "asc" -> new BsonInt32(1);
                case "-1", "desc" -> new BsonInt32(-1);
                case "hashed", "text", "2dsphere", "2d" -> new BsonString(order);
                default -> null;
            };
            if (!FIELD_PATH.matcher(field).matches() || direction == null) {
                r.problem(
                        key,
                        "'" + part.trim() + "' is not field:1, field:-1, field:hashed, field:text or"
                                + " field:2dsphere");
            } else {
                keys.put(field, direction);
            }
        }
        return keys;
    }

    private static boolean indexBool(SinkConfigReader r, String key, String value) {
        return value == null || value.isBlank() ? false : r.parse(key, value, false, ConfigGrammar::bool);
    }

    private static Duration indexDuration(SinkConfigReader r, String key, String value) {
        return r.parse(key, value, Duration.ZERO, ConfigGrammar::duration);
    }
}
