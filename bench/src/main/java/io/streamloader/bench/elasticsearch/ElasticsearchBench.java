package io.streamloader.bench.elasticsearch;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Kafka → pipeline → elasticsearch sink next to a tuned raw NDJSON bulk client sending the same documents straight to
 * the same Elasticsearch, same run, same index template (lean mapping, 2 shards, no refresh), same batch size and
 * concurrency. Both clients run in child JVMs with the same heap; Kafka and Elasticsearch are the devstack's.
 */
@Command(
        name = "elasticsearch",
        mixinStandardHelpOptions = true,
        description = "Elasticsearch sink vs raw NDJSON _bulk, 1 KB JSON documents.")
public final class ElasticsearchBench implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "200000", description = "Documents per run (default ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--size",
            defaultValue = "1024",
            description = "Bytes per JSON document (default ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Topic partitions = sink workers = raw requests in flight (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--shards", defaultValue = "2", description = "Index shards (default ${DEFAULT-VALUE}).")
    int shards;

    @Option(
            names = "--batch",
            defaultValue = "5000",
            description = "Documents per bulk request, both clients (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--heap",
            defaultValue = "512m",
            description = "-Xmx of each client JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "Alternating raw/sink rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        ElasticsearchService elasticsearch = DevStack.elasticsearch();
        String url = elasticsearch.url();
        String prefix = "bench-es-" + System.currentTimeMillis();
        put(url, "/_index_template/" + prefix, BenchDocs.template(prefix + "-*", shards));
        String topic = prefix;
        kafka.createTopic(topic, partitions);
        long produceStart = System.nanoTime();
        produce(kafka.bootstrapServers(), topic);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        Table table =
                new Table("writer", "parallel", "heap", "docs", "indexed", "seconds", "docs/s", "MB/s", "peak RSS MiB");
        table.row(
                "producer (setup)",
                "-",
                "-",
                events,
                "-",
                Table.seconds(produceSeconds),
                Table.rate(events, produceSeconds),
                "-",
                "-");
        double bestRaw = 0;
        double bestSink = 0;
        double bestLoop = 0;
        String parallel = Integer.toString(partitions);
        for (int round = 1; round <= rounds; round++) {
            String rawIndex = prefix + "-raw-" + round;
            Map<String, String> raw = ChildJvm.run(
                    heap,
                    BulkProbe.class,
                    "raw",
                    url,
                    rawIndex,
                    Long.toString(events),
                    Integer.toString(size),
                    Integer.toString(batch),
                    parallel);
            bestRaw = Math.max(
                    bestRaw, addRow(table, "raw NDJSON _bulk (RestClient)", parallel, raw, count(url, rawIndex)));
            String sinkIndex = prefix + "-sink-" + round;
            Map<String, String> sink = ChildJvm.run(
                    heap,
                    BulkProbe.class,
                    "pipeline",
                    url,
                    sinkIndex,
                    Long.toString(events),
                    Integer.toString(size),
                    Integer.toString(batch),
                    parallel,
                    kafka.bootstrapServers(),
                    topic);
            bestSink = Math.max(
                    bestSink,
                    addRow(table, "Kafka → pipeline → elasticsearch sink", parallel, sink, count(url, sinkIndex)));
            for (int threads = 1; threads <= partitions; threads++) {
                String loopIndex = prefix + "-loop-" + round + "-" + threads;
                Map<String, String> loop = ChildJvm.run(
                        heap,
                        BulkProbe.class,
                        "loop",
                        url,
                        loopIndex,
                        Long.toString(events),
                        Integer.toString(size),
                        Integer.toString(batch),
                        Integer.toString(threads),
                        kafka.bootstrapServers(),
                        topic,
                        Integer.toString(partitions));
                bestLoop = Math.max(
                        bestLoop,
                        addRow(
                                table,
                                "hand-written loop: poll → bulk (elasticsearch-java) → commitSync",
                                Integer.toString(threads),
                                loop,
                                count(url, loopIndex)));
                delete(url, loopIndex);
            }
            delete(url, rawIndex);
            delete(url, sinkIndex);
        }
        System.out.println();
        System.out.printf(
                "Elasticsearch sink vs raw bulk: %d × %d B JSON docs, %d partitions/workers, %d shards, %d docs per bulk,"
                        + " lean mapping, refresh off, replicas 0%n",
                events, size, partitions, shards, batch);
        System.out.print(table);
        System.out.printf(
                "best sink / best raw = %.0f / %.0f docs/s = %.1f %% (target ≥ 90 %%)%n",
                bestSink, bestRaw, 100 * bestSink / bestRaw);
        System.out.printf(
                "best sink / best hand-written Kafka → Elasticsearch loop (1..%d threads) = %.0f / %.0f docs/s = %.1f %%"
                        + " (target ≥ 100 %%)%n",
                partitions, bestSink, bestLoop, 100 * bestSink / bestLoop);
        return 0;
    }

    private double addRow(Table table, String writer, String parallel, Map<String, String> r, long indexed) {
        double seconds = Double.parseDouble(r.get("seconds"));
        long n = Long.parseLong(r.get("records"));
        long bytes = Long.parseLong(r.get("bytes"));
        // every produced document must be in the index; the rate may count fewer (a pipeline row's window starts when
        // its group is stable, leaving out what was stored during the first rebalances)
        if (indexed != events) {
            throw new IllegalStateException(writer + ": " + indexed + " documents indexed, expected " + events);
        }
        double perSecond = n / seconds;
        table.row(
                writer,
                parallel,
                r.get("heapMaxMib") + " MiB",
                n,
                indexed,
                Table.seconds(seconds),
                String.format("%.0f", perSecond),
                String.format("%.1f", bytes / seconds / 1e6),
                r.get("rssMib"));
        return perSecond;
    }

    private void produce(String bootstrap, String topic) throws Exception {
        BenchProducer.produce(bootstrap, events, i -> {
            byte[] id = BenchDocs.id(i).getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, id, BenchDocs.doc(i, size));
            record.headers().add("sl-event-id", id);
            return record;
        });
    }

    private long count(String url, String index) throws Exception {
        send("POST", url + "/" + index + "/_refresh", null);
        String body = send("GET", url + "/" + index + "/_count", null);
        return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
    }

    private void put(String url, String path, String json) throws Exception {
        send("PUT", url + path, json);
    }

    private void delete(String url, String index) throws Exception {
        send("DELETE", url + "/" + index, null);
    }

    private String send(String method, String uri, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + uri + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
