package io.streamloader.bench.api;

import io.streamloader.api.ProducerApiMain;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.generator.GenerateCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * producer-api ingest rate on loopback: single-event and batched POSTs to the API (its own JVM) writing to the devstack
 * broker (this JVM), next to kafka-clients alone sending the same records with the same settings. The load comes
 * twice: from the {@code generate} command (its own JVM; {@code java.net.http}, what users run) and from {@link
 * HttpLoadProbe} (its own JVM; a wrk-like client that leaves the shared CPU to the API and the broker). The target
 * lines use the latter. Prints a table with the CPU each process spent per request, and the ratios.
 *
 * <p>Then the lean single-event load alternates, {@code --auth-rounds} times, between that API (no keys) and a second
 * one started from a config file with an API key (limits at their defaults, no per-key rate), each request carrying the
 * key as {@code Authorization: Bearer}: a second table with both rows per round.
 */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = "producer-api: single-event and 100-event POSTs vs the raw Kafka producer, 1 KB events.")
public final class ApiBench implements Callable<Integer> {

    @Option(names = "--single-requests", defaultValue = "60000", description = "single-event POSTs (${DEFAULT-VALUE})")
    long singleRequests;

    @Option(names = "--single-concurrency", defaultValue = "48", description = "in flight (${DEFAULT-VALUE})")
    int singleConcurrency;

    @Option(names = "--batch-requests", defaultValue = "3000", description = "batch POSTs (${DEFAULT-VALUE})")
    long batchRequests;

    @Option(names = "--batch", defaultValue = "100", description = "events per batch POST (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batch-concurrency", defaultValue = "8", description = "batch POSTs in flight (${DEFAULT-VALUE})")
    int batchConcurrency;

    @Option(names = "--event-bytes", defaultValue = "1024", description = "bytes per event (${DEFAULT-VALUE})")
    int eventBytes;

    @Option(names = "--partitions", defaultValue = "3", description = "topic partitions (${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the API, generator and raw JVMs")
    String heap;

    @Option(names = "--api-java-opts", defaultValue = "", description = "extra JVM options of the API (profiling)")
    String apiJavaOpts;

    @Option(
            names = "--auth-rounds",
            defaultValue = "2",
            description = "rounds of lean single-event POSTs alternating auth off and on (${DEFAULT-VALUE})")
    int authRounds;

    @Option(names = "--auth-only", description = "run only the auth off/on rounds")
    boolean authOnly;

    /** The key the auth-on API accepts; 32 characters, as a generated key would be. */
    private static final String BENCH_KEY = "bench-key-0123456789abcdefghijkl";

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "bench-api-" + System.currentTimeMillis();
        kafka.createTopic(topic, partitions);
        Process api = startApi(kafka.bootstrapServers(), topic);
        Process keyed = null;
        String keyedUrl = null;
        try {
            String url = "http://127.0.0.1:" + awaitReady(api);
            String path = "/topics/" + topic;
            if (authRounds > 0) {
                keyed = startApi(List.of(
                        "--config", keyedConfig(kafka.bootstrapServers(), topic).toString()));
                keyedUrl = "http://127.0.0.1:" + awaitReady(keyed) + path;
                if (authOnly) {
                    authRounds(api, url + path, keyed, keyedUrl);
                    return 0;
                }
            }
            var cpu = new Cpu(api);
            Map<String, String> single = generate(url, path, singleRequests, 1, singleConcurrency);
            cpu.measure(single);
            Map<String, String> batched = generate(url, path, batchRequests, batch, batchConcurrency);
            cpu.measure(batched);
            Map<String, String> leanSingle = lean(url + path, singleRequests, 1, singleConcurrency);
            cpu.measure(leanSingle);
            Map<String, String> leanBatched = lean(url + path, batchRequests, batch, batchConcurrency);
            cpu.measure(leanBatched);
            long rawEvents = batchRequests * batch;
            Map<String, String> raw = ChildJvm.run(
                    heap,
                    RawProducerProbe.class,
                    kafka.bootstrapServers(),
                    topic,
                    Long.toString(rawEvents),
                    Integer.toString(eventBytes));
            Map<String, String> rawLarge = ChildJvm.run(
                    heap,
                    RawProducerProbe.class,
                    kafka.bootstrapServers(),
                    topic,
                    Long.toString(rawEvents),
                    Integer.toString(eventBytes));

            var table = new Table(
                    "scenario",
                    "requests",
                    "events",
                    "seconds",
                    "requests/s",
                    "events/s",
                    "p50 ms",
                    "p99 ms",
                    "failed",
                    "API CPU µs/req",
                    "client CPU µs/req",
                    "broker CPU µs/event");
            row(table, "single-event POST (c=" + singleConcurrency + ")", single);
            row(table, batch + "-event POST (c=" + batchConcurrency + ")", batched);
            row(table, "single-event POST, lean client (c=" + singleConcurrency + ")", leanSingle);
            row(table, batch + "-event POST, lean client (c=" + batchConcurrency + ")", leanBatched);
            table.row(
                    "raw kafka-clients (API settings) #1",
                    "-",
                    raw.get("events"),
                    raw.get("seconds"),
                    "-",
                    fmt(raw.get("eps")),
                    "-",
                    "-",
                    raw.get("failed"),
                    "-",
                    "-",
                    "-");
            table.row(
                    "raw kafka-clients (API settings) #2",
                    "-",
                    rawLarge.get("events"),
                    rawLarge.get("seconds"),
                    "-",
                    fmt(rawLarge.get("eps")),
                    "-",
                    "-",
                    rawLarge.get("failed"),
                    "-",
                    "-",
                    "-");
            System.out.println();
            System.out.printf(
                    "producer-api ingest: %d-byte clickstream events, topic with %d partitions, acks=all,"
                            + " loopback; API, load client and raw producer each in their own JVM (-Xmx%s)%n",
                    eventBytes, partitions, heap);
            System.out.print(table);
            double rawEps = Math.max(Double.parseDouble(raw.get("eps")), Double.parseDouble(rawLarge.get("eps")));
            System.out.printf(
                    Locale.ROOT,
                    "single-event, lean client: %.0f requests/s (target >= 5000), p99 %.1f ms (target < 25);"
                            + " with `generate`: %.0f requests/s, p99 %.1f ms%n",
                    Double.parseDouble(leanSingle.get("rps")),
                    Double.parseDouble(leanSingle.get("p99")),
                    Double.parseDouble(single.get("rps")),
                    Double.parseDouble(single.get("p99")));
            System.out.printf(
                    Locale.ROOT,
                    "batched, lean client / best raw producer = %.0f / %.0f events/s = %.1f %% (target >= 50 %%);"
                            + " with `generate`: %.1f %%%n",
                    Double.parseDouble(leanBatched.get("eps")),
                    rawEps,
                    100 * Double.parseDouble(leanBatched.get("eps")) / rawEps,
                    100 * Double.parseDouble(batched.get("eps")) / rawEps);
            if (keyed != null) {
                authRounds(api, url + path, keyed, keyedUrl);
            }
            return 0;
        } finally {
            for (Process p : keyed == null ? List.of(api) : List.of(api, keyed)) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The lean single-event load against the API without keys and the one with a key, alternately, {@code
     * --auth-rounds} times; one row each.
     */
    private void authRounds(Process open, String openUrl, Process keyed, String keyedUrl) throws Exception {
        var table = new Table(
                "scenario",
                "requests",
                "seconds",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "failed",
                "API CPU µs/req",
                "client CPU µs/req");
        for (int round = 1; round <= authRounds; round++) {
            for (boolean auth : new boolean[] {false, true}) {
                var cpu = new Cpu(auth ? keyed : open);
                Map<String, String> r = auth
                        ? lean(keyedUrl, singleRequests, 1, singleConcurrency, BENCH_KEY)
                        : lean(openUrl, singleRequests, 1, singleConcurrency);
                cpu.measure(r);
                table.row(
                        "single-event POST, lean client (c=" + singleConcurrency + "), auth "
                                + (auth ? "on (Bearer key)" : "off") + ", round " + round,
                        r.get("sent"),
                        r.get("seconds"),
                        fmt(r.get("rps")),
                        r.get("p50"),
                        r.get("p99"),
                        r.get("failed"),
                        r.get("apiCpuPerRequest"),
                        r.get("clientCpuPerRequest"));
            }
        }
        System.out.println();
        System.out.printf(
                "producer-api with and without API keys: %d-byte events, %d partitions, acks=all; auth on = one key"
                        + " (api.keys, limits at their defaults, no rate) in Authorization: Bearer on every request%n",
                eventBytes, partitions);
        System.out.print(table);
    }

    /** A config file for an API that requires {@link #BENCH_KEY} for {@code topic}. */
    private static Path keyedConfig(String bootstrap, String topic) throws IOException {
        Path file = Files.createTempFile("bench-api-keyed-", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, """
                kafka:
                  bootstrap-servers: %s
                api:
                  host: 127.0.0.1
                  port: 0
                  topics: [%s]
                  keys:
                    bench: {key: "%s", topics: [%s]}
                """.formatted(bootstrap, topic, BENCH_KEY, topic));
        return file;
    }

    private Process startApi(String bootstrap, String topic) throws IOException {
        return startApi(List.of("--bootstrap", bootstrap, "--port", "0", "--topics", topic));
    }

    private Process startApi(List<String> args) throws IOException {
        var command = new ArrayList<>(
                List.of(java(), "-Xmx" + heap, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        command.addAll(List.of(apiJavaOpts.split(" ")).stream()
                .filter(s -> !s.isBlank())
                .toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProducerApiMain.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the API's output until {@code READY port=N}, then keeps draining it (to stderr) so it never blocks. */
    private static int awaitReady(Process api) throws Exception {
        var ready = new CompletableFuture<Integer>();
        Thread.ofPlatform().daemon().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(api.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY port=")) {
                        ready.complete(Integer.parseInt(line.substring(11).trim()));
                    } else if (line.contains("WARN") || line.contains("ERROR")) {
                        System.err.println("  [api] " + line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the API exited before it was ready"));
        });
        return ready.get(60, TimeUnit.SECONDS);
    }

    /**
     * The load from {@code generate}, in its own JVM, after {@code --warmup} requests (as many as {@link
     * HttpLoadProbe} warms up with: up to 10,000) that JIT-compile both sides and open the connections; they are left
     * out of the latencies but counted in the API's and the client's CPU per request.
     */
    private Map<String, String> generate(String url, String path, long count, int perRequest, int concurrency)
            throws IOException, InterruptedException {
        long warmup = Math.min(count, 10_000);
        var command = new ArrayList<>(List.of(
                java(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                GenerateCommand.class.getName(),
                "clickstream",
                "--url",
                url,
                "--path",
                path,
                "--count",
                Long.toString(count),
                "--batch",
                Integer.toString(perRequest),
                "--event-bytes",
                Integer.toString(eventBytes),
                "--concurrency",
                Integer.toString(concurrency),
                "--rate",
                "max", // the load, not the original's 10 clicks/s
                "--warmup",
                Long.toString(warmup),
                "--no-progress"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var result = new HashMap<String, String>();
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("SUMMARY ")) {
                    // the load client's own CPU (JVM start and JIT included), read before it exits
                    long clientNanos = p.toHandle()
                            .info()
                            .totalCpuDuration()
                            .map(java.time.Duration::toNanos)
                            .orElse(0L);
                    result.put("clientCpuNanos", Long.toString(clientNanos));
                    for (String kv : line.substring(8).trim().split(" ")) {
                        String[] pair = kv.split("=", 2);
                        result.put(pair[0], pair[1]);
                    }
                } else {
                    System.err.println("  [generate] " + line);
                }
            }
        }
        p.waitFor();
        if (result.isEmpty()) {
            throw new IllegalStateException("the generator printed no summary");
        }
        result.put("totalRequests", Long.toString(warmup + count)); // the API served the warm-up too
        return result;
    }

    /** The same load from {@link HttpLoadProbe}: Apache HttpClient on platform threads, pre-built bodies. */
    private Map<String, String> lean(String url, long count, int perRequest, int concurrency, String... apiKey)
            throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of(
                url,
                Long.toString(count),
                Integer.toString(perRequest),
                Integer.toString(concurrency),
                Integer.toString(eventBytes)));
        args.addAll(List.of(apiKey));
        return new HashMap<>(ChildJvm.run(heap, HttpLoadProbe.class, args.toArray(String[]::new)));
    }

    private static void row(Table table, String name, Map<String, String> r) {
        table.row(
                name,
                r.get("sent"),
                r.get("events"),
                r.get("seconds"),
                fmt(r.get("rps")),
                fmt(r.get("eps")),
                r.get("p50"),
                r.get("p99"),
                r.get("failed"),
                r.get("apiCpuPerRequest"),
                r.get("clientCpuPerRequest"),
                r.get("brokerCpuPerEvent"));
    }

    /**
     * CPU time of the API process and of this JVM (the broker) per phase: unlike rates, comparable on a busy machine
     * because it counts only the work done, not the waiting for a core.
     */
    private static final class Cpu {
        private final ProcessHandle api;
        private long apiNanos;
        private long brokerNanos;

        Cpu(Process api) {
            this.api = api.toHandle();
            apiNanos = nanos(this.api);
            brokerNanos = nanos(ProcessHandle.current());
        }

        void measure(Map<String, String> phase) {
            long a = nanos(api);
            long b = nanos(ProcessHandle.current());
            // the requests the API served in this phase, a load client's warm-up included
            double requests = Double.parseDouble(phase.getOrDefault("totalRequests", phase.get("sent")));
            double events = requests / Double.parseDouble(phase.get("sent")) * Double.parseDouble(phase.get("events"));
            phase.put("apiCpuPerRequest", String.format(Locale.ROOT, "%.0f", (a - apiNanos) / 1e3 / requests));
            phase.put("brokerCpuPerEvent", String.format(Locale.ROOT, "%.1f", (b - brokerNanos) / 1e3 / events));
            phase.put(
                    "clientCpuPerRequest",
                    String.format(
                            Locale.ROOT, "%.0f", Double.parseDouble(phase.get("clientCpuNanos")) / 1e3 / requests));
            apiNanos = a;
            brokerNanos = b;
        }

        private static long nanos(ProcessHandle p) {
            return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
    }

    private static String fmt(String number) {
        return String.format(Locale.ROOT, "%,.0f", Double.parseDouble(number));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
