package io.streamloader.bench.latency;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minio.MinioClient;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import io.streamloader.sink.mongo.MongoSinkFactory;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import io.streamloader.spi.SinkFactory;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end latency: from the API's acknowledgement of a POST to the event readable in its store by id, per flow,
 * with every setting at its default (API, runners, sinks). Two streams: 1 KB JSON events on one topic, which an
 * elasticsearch and a mongo runner both consume, and PNG blob events on another, which a postgres-minio runner stores
 * (object PUT, then row). For each stream the maximum sustained rate is measured first (POSTs back to back from
 * {@code --concurrency} clients, until every flow of the stream stored them all), then paced load at {@code --levels}
 * percent of it; a sample of the acknowledged events is read back (Elasticsearch realtime {@code _mget}, MongoDB find by
 * {@code _id}, PostgreSQL select by id plus a HEAD of the object) until seen. API, runners, load and readers share this
 * JVM with the devstack broker, as one launcher process serving API and sinks would.
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "API acknowledgement → readable in the store, per flow, at 10/50/90 % of the max sustained rate.")
public final class LatencyBench implements Callable<Integer> {

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "Seconds per load level (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--max-seconds",
            defaultValue = "20",
            description = "Seconds of back-to-back POSTs measuring the max sustained rate (default ${DEFAULT-VALUE}).")
    int maxSeconds;

    @Option(
            names = "--levels",
            defaultValue = "10,50,90",
            split = ",",
            description = "Load levels, percent of the max sustained rate (default ${DEFAULT-VALUE}).")
    List<Integer> levels;

    @Option(names = "--size", defaultValue = "1024", description = "Bytes per event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--concurrency",
            defaultValue = "32",
            description = "POSTs in flight at most (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--samples",
            defaultValue = "200",
            description = "Events read back per second and flow at most (default ${DEFAULT-VALUE}).")
    int samplesPerSecond;

    @Option(
            names = "--flows",
            defaultValue = "elasticsearch,mongo,postgres-minio",
            split = ",",
            description = "Flows to measure (default ${DEFAULT-VALUE}).")
    List<String> flowNames;

    /** One printed row, kept for the smoke test. */
    public record Row(
            String flow,
            String load,
            double rate,
            long posted,
            int sampled,
            int missing,
            double p50,
            double p99,
            double max) {}

    private final List<Row> rows = new ArrayList<>();

    public List<Row> rows() {
        return rows;
    }

    private static final Pattern EVENT_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final long READ_TIMEOUT_MS = 60_000;

    /** POSTs of one body kind to one topic, and the flows that consume that topic. */
    private record Stream(String name, String url, ContentType type, byte[][] bodies, List<Flow> flows) {}

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        ElasticsearchService es = flowNames.contains("elasticsearch") ? DevStack.elasticsearch() : null;
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        String mongoUri = DevStack.mongo().connectionString();
        String stamp = Long.toString(System.currentTimeMillis() % 10_000_000);
        String jsonTopic = "lat-json-" + stamp;
        String blobTopic = "lat-blob-" + stamp;
        for (String topic : List.of(jsonTopic, blobTopic)) {
            kafka.createTopic(topic, partitions);
            kafka.createTopic(topic + ".dlq", 1);
        }
        String bootstrap = kafka.bootstrapServers();
        var api = ProducerApi.connect(
                        ApiConfig.from(Map.of("port", 0, "topics", List.of(jsonTopic, blobTopic))),
                        Map.of("bootstrap.servers", bootstrap),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .create();
        api.start();
        String base = "http://127.0.0.1:" + api.port() + "/topics/";
        String schema = "lat_" + stamp;
        String index = "lat-" + stamp;
        String database = "bench_latency";
        String collection = "c" + stamp;
        MinioClient minio = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
        Map<String, String> pgConfig = new HashMap<>(Map.of(
                "jdbc.url", pg.jdbcUrl(),
                "jdbc.user", pg.user(),
                "jdbc.password", pg.password(),
                "schema", schema,
                "s3.endpoint", s3.endpoint(),
                "s3.access-key", s3.accessKey(),
                "s3.secret-key", s3.secretKey(),
                "s3.bucket", schema.replace('_', '-')));
        List<SinkRunner> runners = new ArrayList<>();
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            List<Flow> jsonFlows = new ArrayList<>();
            if (es != null) {
                Flow search = new Flow("Kafka → elasticsearch", ReadBack.elasticsearch(es.url(), index));
                runners.add(runner(
                        search,
                        new ElasticsearchSinkFactory(),
                        jsonTopic,
                        Map.of("urls", es.url(), "index", index),
                        bootstrap));
                jsonFlows.add(search);
            }
            if (flowNames.contains("mongo")) {
                Flow docs = new Flow(
                        "Kafka → mongo",
                        ReadBack.mongo(
                                mongo.getDatabase(database).getCollection(collection, org.bson.BsonDocument.class)));
                runners.add(runner(
                        docs,
                        new MongoSinkFactory(),
                        jsonTopic,
                        Map.of("connection-string", mongoUri, "database", database, "collection", collection),
                        bootstrap));
                jsonFlows.add(docs);
            }
            List<Stream> streams = new ArrayList<>();
            if (!jsonFlows.isEmpty()) {
                streams.add(new Stream(
                        "JSON",
                        base + jsonTopic,
                        ContentType.APPLICATION_JSON,
                        JsonPayloads.clicks(1000, size),
                        jsonFlows));
            }
            if (flowNames.contains("postgres-minio")) {
                Flow archive = new Flow(
                        "Kafka → postgres-minio (PUT + row)",
                        ReadBack.postgres(
                                DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()), schema, minio));
                runners.add(runner(archive, new PostgresMinioSinkFactory(), blobTopic, pgConfig, bootstrap));
                streams.add(new Stream(
                        "PNG", base + blobTopic, ContentType.create("image/png"), pngs(size), List.of(archive)));
            }
            run(streams);
        } finally {
            for (SinkRunner r : runners) {
                r.close();
            }
            api.stop();
        }
        return 0;
    }

    private static SinkRunner runner(
            Flow flow, SinkFactory<?> factory, String topic, Map<String, String> config, String bootstrap) {
        RunnerSettings settings = RunnerSettings.builder("latency-" + factory.type())
                .type(factory.type())
                .topics(List.of(topic))
                .groupId("bench-latency-" + factory.type() + "-" + System.nanoTime())
                // what a runner gets from an empty batch: section: the sink's records, 8 MiB, 200 ms linger
                .batch(new BatchPolicy(
                        BatchPolicy.SINK_DEFAULT_RECORDS,
                        BatchPolicy.DEFAULT.maxBytes(),
                        BatchPolicy.DEFAULT.maxLinger()))
                .sinkConfig(config)
                .build();
        SinkRunner runner = new SinkRunner(
                settings, flow.counting(factory), Map.of("bootstrap.servers", bootstrap), new SimpleMeterRegistry());
        runner.start();
        return runner;
    }

    private void run(List<Stream> streams) throws Exception {
        Table table = new Table(
                "flow", "load", "events/s", "posted", "read back", "not readable", "p50 ms", "p99 ms", "max ms");
        try (CloseableHttpClient http = HttpClients.custom()
                .setMaxConnTotal(concurrency)
                .setMaxConnPerRoute(concurrency)
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .build()) {
            for (Stream stream : streams) {
                double max = maxSustained(http, stream);
                for (Flow flow : stream.flows()) {
                    add(
                            table,
                            new Row(
                                    flow.name,
                                    "max sustained (back to back)",
                                    max,
                                    0,
                                    0,
                                    0,
                                    Double.NaN,
                                    Double.NaN,
                                    Double.NaN));
                }
                for (int level : levels) {
                    paced(http, stream, max * level / 100, level + " % of max", table);
                }
            }
        }
        System.out.println();
        System.out.printf(
                "End-to-end latency, API acknowledgement → readable by id, %d B events, %d partitions, defaults"
                        + " (runner batch: the sink's records, 8 MiB, 200 ms linger; 1 worker); %d s per level%n",
                size, partitions, seconds);
        System.out.print(table);
        System.out.println("max sustained = events posted back to back (" + concurrency + " in flight) / seconds until"
                + " every flow of the stream stored them all; read back: a sample of ≤ " + samplesPerSecond
                + "/s per flow, polled every " + Flow.CHECK_INTERVAL_MS + " ms (ES realtime _mget, Mongo find by _id,"
                + " PG select by id + HEAD of the object); target p99 < 500 ms at 50 %");
        for (Stream stream : streams) {
            for (Flow flow : stream.flows()) {
                flow.close();
            }
        }
    }

    private void add(Table table, Row row) {
        rows.add(row);
        table.row(
                row.flow(),
                row.load(),
                String.format("%.0f", row.rate()),
                row.posted() == 0 ? "-" : Long.toString(row.posted()),
                row.posted() == 0 ? "-" : Integer.toString(row.sampled()),
                row.posted() == 0 ? "-" : Integer.toString(row.missing()),
                ms(row.p50()),
                ms(row.p99()),
                ms(row.max()));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }

    /**
     * POSTs back to back from {@code --concurrency} threads for {@code --max-seconds}, then waits until every flow of
     * the stream stored them: posted / seconds from the first POST to the last flow's last write.
     */
    private double maxSustained(CloseableHttpClient http, Stream stream) throws Exception {
        // warm-up: the runners' first batch (group join, index or schema creation, JIT) is not the sustained rate
        long[] warm = stream.flows().stream().mapToLong(Flow::stored).toArray();
        for (long i = 0; i < 200; i++) {
            post(http, stream, i);
        }
        awaitStored(stream, warm, 200);
        long[] before = stream.flows().stream().mapToLong(Flow::stored).toArray();
        AtomicLong posted = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<Callable<Void>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int first = c;
            clients.add(() -> {
                for (long i = first; System.nanoTime() < end; i += concurrency) {
                    post(http, stream, i);
                    posted.incrementAndGet();
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (Future<Void> f : pool.invokeAll(clients)) {
                f.get();
            }
        }
        awaitStored(stream, before, posted.get());
        return posted.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Waits until every flow of {@code stream} stored {@code events} more than {@code before}. */
    private static void awaitStored(Stream stream, long[] before, long events) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        for (int f = 0; f < stream.flows().size(); f++) {
            Flow flow = stream.flows().get(f);
            while (flow.stored() - before[f] < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(flow.name + " stored " + (flow.stored() - before[f]) + " of "
                            + events + " events within 5 minutes");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling a counter, not test sync
            }
        }
    }

    /** POSTs at {@code rate} for {@code --seconds}, reading back a sample of the events in every flow. */
    private void paced(CloseableHttpClient http, Stream stream, double rate, String load, Table table)
            throws Exception {
        long every = Math.max(1, (long) Math.ceil(rate / samplesPerSecond));
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong posted = new AtomicLong();
        List<Future<Flow.Latencies>> checks = new ArrayList<>();
        try (ExecutorService checkers =
                Executors.newFixedThreadPool(stream.flows().size())) {
            for (Flow flow : stream.flows()) {
                checks.add(checkers.submit(() -> flow.check(() -> !sending.get(), READ_TIMEOUT_MS)));
            }
            try (ExecutorService senders = Executors.newFixedThreadPool(concurrency)) {
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                List<Future<?>> sent = new ArrayList<>();
                for (long i = 0; ; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    if (due > end) {
                        break;
                    }
                    LockSupport.parkNanos(due - System.nanoTime());
                    long n = i;
                    sent.add(senders.submit(() -> {
                        String id = post(http, stream, n);
                        long ack = System.nanoTime();
                        posted.incrementAndGet();
                        if (n % every == 0) {
                            for (Flow flow : stream.flows()) {
                                flow.acknowledged(id, ack);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            } finally {
                sending.set(false);
            }
            for (int f = 0; f < stream.flows().size(); f++) {
                Flow.Latencies l = checks.get(f).get();
                add(
                        table,
                        new Row(
                                stream.flows().get(f).name,
                                load,
                                rate,
                                posted.get(),
                                l.millis().size(),
                                l.missing(),
                                l.percentile(50),
                                l.percentile(99),
                                l.percentile(100)));
            }
        }
    }

    /** One POST of body {@code i}; the event id of the acknowledgement. */
    private static String post(CloseableHttpClient http, Stream stream, long i) throws Exception {
        HttpPost post = new HttpPost(stream.url());
        post.setEntity(new ByteArrayEntity(stream.bodies()[(int) (i % stream.bodies().length)], stream.type()));
        try (CloseableHttpResponse response = http.execute(post)) {
            String body = EntityUtils.toString(response.getEntity());
            if (response.getStatusLine().getStatusCode() != 200) {
                throw new IllegalStateException("POST " + stream.url() + " → "
                        + response.getStatusLine().getStatusCode() + ": " + body);
            }
            Matcher m = EVENT_ID.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no event id in " + body);
            }
            return m.group(1);
        }
    }

    /** PNG bodies: the signature the API checks, then random bytes. */
    private static byte[][] pngs(int size) {
        Random random = new Random(7);
        byte[][] out = new byte[100][Math.max(size, 16)];
        for (byte[] b : out) {
            random.nextBytes(b);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, b, 0, 8);
        }
        return out;
    }
}
