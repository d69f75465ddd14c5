package io.streamloader.bench.pipeline;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pipeline throughput into a no-op sink next to the raw kafka-clients consumer rate, same topic, same run. Both
 * readers run in child JVMs with the same heap limit; the broker runs in this JVM. The raw consumer is read twice per
 * round: at kafka-clients' defaults (the reference) and with the pipeline's larger partition fetches, which
 * isolates what the pipeline itself costs.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Pipeline vs raw consumer, 1 KB JSON events.")
public final class PipelineBench implements Callable<Integer> {

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Events to produce and read (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--size", defaultValue = "1024", description = "Bytes per JSON event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--partitions", defaultValue = "3", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--heap",
            defaultValue = "256m",
            description = "-Xmx of each reader JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "Alternating raw/pipeline rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "bench-pipeline-" + System.currentTimeMillis();
        kafka.createTopic(topic, partitions);
        long produceStart = System.nanoTime();
        produce(kafka.bootstrapServers(), topic);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        Table table = new Table("reader", "workers", "heap", "events", "seconds", "events/s", "MB/s", "peak RSS MiB");
        table.row(
                "producer (setup)",
                "-",
                "-",
                events,
                Table.seconds(produceSeconds),
                Table.rate(events, produceSeconds),
                "-",
                "-");
        double bestRaw = 0;
        double bestRawFetch = 0;
        double bestPipeline = 0;
        for (int round = 1; round <= rounds; round++) {
            Map<String, String> raw = ChildJvm.run(
                    heap, ConsumeProbe.class, "raw", kafka.bootstrapServers(), topic, Long.toString(events), "1");
            bestRaw = Math.max(bestRaw, addRow(table, "raw kafka-clients consumer", "1", raw));
            Map<String, String> rawFetch = ChildJvm.run(
                    heap, ConsumeProbe.class, "raw-fetch", kafka.bootstrapServers(), topic, Long.toString(events), "1");
            bestRawFetch =
                    Math.max(bestRawFetch, addRow(table, "raw consumer, 4 MiB partition fetches", "1", rawFetch));
            Map<String, String> pipe = ChildJvm.run(
                    heap, ConsumeProbe.class, "pipeline", kafka.bootstrapServers(), topic, Long.toString(events), "1");
            bestPipeline = Math.max(bestPipeline, addRow(table, "pipeline → no-op sink", "1", pipe));
        }
        System.out.println();
        System.out.printf("Pipeline vs raw consumer: %d × %d B JSON events, %d partitions%n", events, size, partitions);
        System.out.print(table);
        System.out.printf(
                "best pipeline / best raw = %.0f / %.0f events/s = %.1f %% (target ≥ 90 %%)%n",
                bestPipeline, bestRaw, 100 * bestPipeline / bestRaw);
        System.out.printf(
                "best pipeline / best raw with the pipeline's fetch size = %.0f / %.0f events/s = %.1f %%%n",
                bestPipeline, bestRawFetch, 100 * bestPipeline / bestRawFetch);
        return 0;
    }

    private double addRow(Table table, String reader, String workers, Map<String, String> r) {
        double seconds = Double.parseDouble(r.get("seconds"));
        long n = Long.parseLong(r.get("records"));
        long bytes = Long.parseLong(r.get("bytes"));
        double perSecond = n / seconds;
        table.row(
                reader,
                workers,
                r.get("heapMaxMib") + " MiB",
                n,
                Table.seconds(seconds),
                String.format("%.0f", perSecond),
                String.format("%.1f", bytes / seconds / 1e6),
                r.get("rssMib"));
        return perSecond;
    }

    private void produce(String bootstrap, String topic) throws Exception {
        byte[][] payloads = JsonPayloads.clicks(1000, size);
        BenchProducer.produce(
                bootstrap, events, i -> new ProducerRecord<>(topic, payloads[(int) (i % payloads.length)]));
    }
}
