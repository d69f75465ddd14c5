package io.streamloader.sink.elasticsearch;

import io.streamloader.sink.support.ConfigGrammar;
import io.streamloader.sink.support.Secret;
import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The elasticsearch sink's settings, typed and validated. Built by {@link #from(SinkContext)}, which reports every
 * problem at once, each naming its key ({@code sinks.<name>.config.<key>}).
 *
 * @param urls Elasticsearch nodes; requests are spread over them and fail over between them
 * @param username basic-auth user; set together with {@code password}
 * @param password basic-auth password (secret)
 * @param apiKey the {@code encoded} value of an API key (secret); excludes basic auth
 * @param caFile PEM file with the CA certificate(s) that signed the server's certificate (Elasticsearch's {@code
 *     http_ca.crt}); the JVM's trust store otherwise
 * @param verifyHostname whether the certificate must name the host
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout socket timeout of one request (a whole bulk request)
 * @param index index name pattern: {@code {topic}} and date patterns of the event timestamp in UTC, such as {@code
 *     {yyyy.MM.dd}}
 * @param timestampField a top-level field set to the ingest time in every document; empty = off
 * @param timestampFormat how that field holds the time: ISO-8601 UTC text, or epoch seconds or milliseconds as a whole
 *     number (seed 000's loader set epoch seconds)
 * @param positionalFields names for the elements of a JSON array value, in order: such a value is indexed as an object
 *     with these fields (seed 001's clicks); empty = arrays are refused
 * @param bulkMaxDocs documents per bulk request
 * @param bulkMaxBytes body bytes per bulk request (a single larger document is sent alone)
 * @param bulkMaxInFlight bulk requests of one batch sent concurrently
 * @param templates composable index templates installed at start, name → body of {@code PUT _index_template/<name>}
 */
public record ElasticsearchSinkConfig(
        List<URI> urls,
        Optional<String> username,
        Optional<Secret> password,
        Optional<Secret> apiKey,
        Optional<Path> caFile,
        boolean verifyHostname,
        Duration connectTimeout,
        Duration requestTimeout,
        IndexPattern index,
        Optional<String> timestampField,
        TimestampFormat timestampFormat,
        List<String> positionalFields,
        int bulkMaxDocs,
        long bulkMaxBytes,
        int bulkMaxInFlight,
        Map<String, String> templates) {

    public static final String URLS = "urls";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String API_KEY = "api-key";
    public static final String TLS_CA_FILE = "tls.ca-file";
    public static final String TLS_VERIFY_HOSTNAME = "tls.verify-hostname";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String REQUEST_TIMEOUT = "request-timeout";
    public static final String INDEX = "index";
    public static final String TIMESTAMP_ENABLED = "timestamp.enabled";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String TIMESTAMP_FORMAT = "timestamp.format";
    public static final String POSITIONAL_FIELDS = "positional.fields";
    public static final String BULK_MAX_DOCS = "bulk.max-docs";
    public static final String BULK_MAX_BYTES = "bulk.max-bytes";
    public static final String BULK_MAX_IN_FLIGHT = "bulk.max-in-flight";
    public static final String TEMPLATES = "templates";

    /** Keys whose values the host must mask. */
    public static final Set<String> SECRET_KEYS = Set.of(PASSWORD, API_KEY);

    public static final URI DEFAULT_URL = URI.create("http://localhost:9200");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_INDEX = "{topic}";
    public static final String DEFAULT_TIMESTAMP_FIELD = "timestamp";
    public static final int DEFAULT_BULK_MAX_DOCS = 5000;
    public static final long DEFAULT_BULK_MAX_BYTES = 5L << 20;
    public static final int DEFAULT_BULK_MAX_IN_FLIGHT = 2;

    /** How the ingest time is written into {@code timestamp.field}. */
    public enum TimestampFormat {
        /** ISO-8601 in UTC with milliseconds, a JSON string: {@code "2025-03-23T10:00:00.123Z"}. */
        ISO("iso"),
        /** Whole seconds since the epoch, a JSON number: {@code 1742724000}. */
        EPOCH_SECONDS("epoch-seconds"),
        /** Milliseconds since the epoch, a JSON number: {@code 1742724000123}. */
        EPOCH_MILLIS("epoch-millis");

        private final String configName;

        TimestampFormat(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** {@code time} as the JSON value this format writes. */
        public String json(java.time.Instant time) {
            return switch (this) {
                case ISO ->
                    Json.quoteToString(time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                            .toString());
                case EPOCH_SECONDS -> Long.toString(time.getEpochSecond());
                case EPOCH_MILLIS -> Long.toString(time.toEpochMilli());
            };
        }
    }

    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    public ElasticsearchSinkConfig {
        urls = List.copyOf(urls);
        Objects.requireNonNull(index, "index");
        templates = Map.copyOf(templates);
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        positionalFields = List.copyOf(positionalFields);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one url");
        }
    }

    /**
     * Parses and validates a sink's raw settings. Reads the CA file and template files (no network).
     *
     * @throws io.streamloader.spi.SinkConfigException listing every problem, each naming its key
     */
    public static ElasticsearchSinkConfig from(SinkContext context) {
        SinkConfigReader r = new SinkConfigReader(context);
        List<URI> urls = r.uris(URLS, List.of(DEFAULT_URL));
        for (URI url : urls) {
            if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
                r.problem(URLS, ConfigGrammar.quoted(url.toString()) + " must use http or https");
            }
        }
        Optional<String> username = r.optional(USERNAME);
        Optional<Secret> password = r.optional(PASSWORD).map(Secret::of);
        Optional<Secret> apiKey = r.optional(API_KEY).map(Secret::of);
        if (username.isPresent() != password.isPresent()) {
            r.problem(username.isPresent() ? PASSWORD : USERNAME, "username and password must be set together");
        }
        if (apiKey.isPresent() && username.isPresent()) {
            r.problem(API_KEY, "set either api-key or username/password, not both");
        }
        Optional<Path> caFile = r.readableFile(TLS_CA_FILE);
        caFile.flatMap(ElasticsearchSinkConfig::certificateProblem).ifPresent(p -> r.problem(TLS_CA_FILE, p));
        boolean verifyHostname = r.bool(TLS_VERIFY_HOSTNAME, true);
        Duration connectTimeout = r.positiveDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        Duration requestTimeout = r.positiveDuration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        IndexPattern index = IndexPattern.DEFAULT;
        String indexText = r.string(INDEX, DEFAULT_INDEX);
        try {
            index = IndexPattern.parse(indexText);
        } catch (IllegalArgumentException e) {
            r.problem(INDEX, e.getMessage());
        }
        boolean timestamp = r.bool(TIMESTAMP_ENABLED, false);
        String timestampField = r.string(TIMESTAMP_FIELD, DEFAULT_TIMESTAMP_FIELD);
        String formatName = r.oneOf(TIMESTAMP_FORMAT, "iso", "iso", "epoch-seconds", "epoch-millis");
        TimestampFormat timestampFormat = java.util.Arrays.stream(TimestampFormat.values())
                .filter(f -> f.configName().equals(formatName))
                .findFirst()
                .orElse(TimestampFormat.ISO);
        List<String> positional = r.list(POSITIONAL_FIELDS, List.of());
        if (positional.stream().distinct().count() < positional.size()) {
            r.problem(POSITIONAL_FIELDS, "names a field twice: " + positional);
        }
        int maxDocs = r.integer(BULK_MAX_DOCS, DEFAULT_BULK_MAX_DOCS, 1, 100_000);
        long maxBytes = r.bytes(BULK_MAX_BYTES, DEFAULT_BULK_MAX_BYTES);
        if (maxBytes < 1024 || maxBytes > (100L << 20)) {
            r.problem(
                    BULK_MAX_BYTES,
                    "must be between 1KiB and 100MiB (Elasticsearch's default http.max_content_length)");
            maxBytes = DEFAULT_BULK_MAX_BYTES;
        }
        int inFlight = r.integer(BULK_MAX_IN_FLIGHT, DEFAULT_BULK_MAX_IN_FLIGHT, 1, 64);
        Map<String, String> templates = templates(r);
        r.finish();
        return new ElasticsearchSinkConfig(
                urls,
                username,
                password,
                apiKey,
                caFile,
                verifyHostname,
                connectTimeout,
                requestTimeout,
                index,
                timestamp ? Optional.of(timestampField) : Optional.empty(),
                timestampFormat,
                positional,
                maxDocs,
                maxBytes,
                inFlight,
                templates);
    }

    /** {@code templates.<name>.inline} (JSON) or {@code templates.<name>.file} (path to JSON), one per name. */
    private static Map<String, String> templates(SinkConfigReader r) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        r.subtree(TEMPLATES).forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            String kind = dot < 0 ? "" : key.substring(dot + 1);
            byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(kind, value);
        });
        Map<String, String> out = new LinkedHashMap<>();
        byName.forEach((name, kinds) -> {
            String key = TEMPLATES + "." + name;
            if (!TEMPLATE_NAME.matcher(name).matches()) {
                r.problem(key, "template name must be lower case letters, digits, '_', '.', '-'");
                return;
            }
            for (String kind : kinds.keySet()) {
                if (!kind.equals("inline") && !kind.equals("file")) {
                    r.problem(key + "." + kind, "unknown setting; use " + key + ".inline or " + key + ".file");
                }
            }
            String inline = kinds.get("inline");
            String file = kinds.get("file");
            if ((inline == null) == (file == null)) {
                r.problem(key, "set exactly one of " + key + ".inline and " + key + ".file");
                return;
            }
            String json = inline != null ? inline : read(r, key + ".file", Path.of(file.trim()));
            if (json == null) {
                return;
            }
            String invalid = Json.syntaxError(json.getBytes(StandardCharsets.UTF_8));
            if (invalid != null) {
                r.problem(key + (inline != null ? ".inline" : ".file"), "is not a JSON object: " + invalid);
                return;
            }
            out.put(name, json);
        });
        return out;
    }

    private static String read(SinkConfigReader r, String key, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            r.problem(key, "cannot read " + file.toAbsolutePath() + ": " + e);
            return null;
        }
    }

    private static Optional<String> certificateProblem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                return Optional.of("file " + file.toAbsolutePath() + " holds no certificate");
            }
            return Optional.empty();
        } catch (IOException | CertificateException e) {
            return Optional.of(
                    "file " + file.toAbsolutePath() + " is not a PEM or DER X.509 certificate: " + e.getMessage());
        }
    }

    /** Without secrets: they show as {@code ****} when set, and so does a password inside a URL. */
    @Override
    public String toString() {
        return "ElasticsearchSinkConfig[urls=" + Secret.maskUrls(urls.toString()) + ", username="
                + username.orElse("") + ", password=" + password.orElse(Secret.NONE) + ", apiKey="
                + apiKey.orElse(Secret.NONE) + ", caFile="
                + caFile.map(Path::toString).orElse("") + ", verifyHostname=" + verifyHostname + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", index=" + index + ", timestampField="
                + timestampField.orElse("") + ", timestampFormat=" + timestampFormat.configName()
                + ", positionalFields=" + positionalFields + ", bulkMaxDocs=" + bulkMaxDocs + ", bulkMaxBytes="
                + bulkMaxBytes
                + ", bulkMaxInFlight=" + bulkMaxInFlight + ", templates=" + new TreeSet<>(templates.keySet()) + "]";
    }
}
