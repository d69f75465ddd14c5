package io.streamloader.bench.postgres;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.OpenedSink;
import io.streamloader.bench.PeerRatios;
import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The postgres-minio sink's write path next to the raw client doing the same work, same stores, same run:
 *
 * <ul>
 *   <li>1 KB JSON events, rows only: {@code Sink.write} (Hibernate StatelessSession, JDBC batch upsert) vs plain JDBC
 *       batched inserts of the same rows ({@code reWriteBatchedInserts=true}, one connection, commit per batch).
 *   <li>100 KB binary events: {@code Sink.write} (PUT then row) vs raw MinIO-client PUTs of the same objects, single
 *       threaded and with the sink's upload concurrency.
 * </ul>
 *
 * The sink is called directly (no Kafka) so that the figures are the sink's own cost; the Kafka rows (pipeline, the
 * hand-written loop, Debezium) read the same objects from a topic. This class holds the options and the order of the
 * rows; {@link PostgresRun} the stores and the table; each scenario is a class of its own: {@link RawRows}, {@link
 * DirectSinkRows}, {@link PipelineRows}, {@link LoopRows} ({@link PostgresLoop}), {@link DebeziumRows}, {@link
 * BlobRows}.
 */
@Command(
        name = "postgres",
        mixinStandardHelpOptions = true,
        description = "postgres-minio sink vs raw JDBC batch inserts and raw S3 PUTs.")
public final class PostgresBench implements Callable<Integer> {

    @Option(
            names = "--rows",
            defaultValue = "1000000",
            description = "JSON events per round (default ${DEFAULT-VALUE}, as the issue measured; shorter runs mostly"
                    + " time the JIT compiler).")
    int rows;

    @Option(
            names = "--blobs",
            defaultValue = "3000",
            description = "Binary events per round (default ${DEFAULT-VALUE}).")
    int blobs;

    @Option(names = "--blob-size", defaultValue = "102400", description = "Bytes per blob (default ${DEFAULT-VALUE}).")
    int blobSize;

    @Option(
            names = "--batch",
            defaultValue = "" + PostgresMinioSinkFactory.DEFAULT_BATCH_RECORDS,
            description = "Rows per batch: the pipeline's batch.max-records, the direct sink calls' batches and the raw"
                    + " inserts' commits (default ${DEFAULT-VALUE}, the sink's default).")
    int batch;

    @Option(
            names = "--concurrency",
            defaultValue = "4",
            description = "Parallel PUTs, sink and raw (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--connections",
            defaultValue = "2",
            description = "jdbc.connections of the sink rows and the pipeline rows (default ${DEFAULT-VALUE}, the"
                    + " sink's default).")
    int connections;

    @Option(names = "--rounds", defaultValue = "2", description = "Alternating rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--connect",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Also run the Debezium JDBC sink connector in a Connect standalone worker (default on;"
                    + " --no-connect skips it).")
    boolean connect;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions of the connector's topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--connect-heap",
            defaultValue = "512m",
            description = "-Xmx of the Connect worker JVM (default ${DEFAULT-VALUE}).")
    String connectHeap;

    /** The pipeline against the loop and Debezium, per round; kept for the smoke test. */
    private final PeerRatios ratios = new PeerRatios("Debezium JDBC sink " + ConnectWorker.DEBEZIUM_VERSION);

    public PeerRatios ratios() {
        return ratios;
    }

    @Override
    public Integer call() throws Exception {
        try (PostgresRun run = new PostgresRun(this)) {
            run(run);
        }
        return 0;
    }

    /** Every round's rows in order (scenarios: one class each), then the summary lines. */
    private void run(PostgresRun run) throws Exception {
        double bestRawRows = 0;
        double bestRawUpserts = 0;
        double bestSinkRows = 0;
        double bestRawPuts = 0;
        double bestSinkBlobs = 0;
        double bestDebeziumDefault = 0;
        double bestDebeziumTuned = 0;
        String topic = "bench_dbz_" + System.currentTimeMillis();
        String plainTopic = "bench_pg_" + System.currentTimeMillis();
        run.kafka.createTopic(plainTopic, partitions);
        // twice the rows: the rebalances while several workers join are left out of their window (TimedPipeline)
        byte[][] json = run.json;
        BenchProducer.produce(
                run.kafka.bootstrapServers(),
                2L * rows,
                i -> new ProducerRecord<>(plainTopic, json[(int) (i % json.length)]));
        double bestPipeline1 = 0;
        double bestPipelineN = 0;
        double bestLoop = 0;
        if (connect) {
            run.kafka.createTopic(topic, partitions);
            DebeziumRows.produceEnveloped(run, topic);
        }
        for (int round = 1; round <= rounds; round++) {
            String schema = "bench_" + round + "_" + (System.currentTimeMillis() % 100_000);
            try (OpenedSink single = run.sink(schema, 1);
                    OpenedSink sink = run.sink(schema, connections);
                    OpenedSink second = run.sink(schema, connections);
                    OpenedSink third = run.sink(schema, connections)) {
                for (int raw : List.of(1, connections, partitions * connections)) {
                    bestRawRows = Math.max(bestRawRows, RawRows.write(run, schema, false, raw));
                }
                bestRawUpserts = Math.max(bestRawUpserts, RawRows.write(run, schema, true, 1));
                bestSinkRows = Math.max(bestSinkRows, DirectSinkRows.write(run, List.of(single), "s-", 1));
                bestSinkRows = Math.max(bestSinkRows, DirectSinkRows.write(run, List.of(sink), "e-", connections));
                bestSinkRows = Math.max(
                        bestSinkRows, DirectSinkRows.write(run, List.of(sink, second, third), "p-", connections));
                double pipeline1 = PipelineRows.write(run, plainTopic, schema + "_k1", 1);
                ratios.pipeline(1, pipeline1);
                bestPipeline1 = Math.max(bestPipeline1, pipeline1);
                double pipelineN = PipelineRows.write(run, plainTopic, schema + "_k" + partitions, partitions);
                ratios.pipeline(partitions, pipelineN);
                bestPipelineN = Math.max(bestPipelineN, pipelineN);
                for (int threads = 1; threads <= partitions; threads++) {
                    double loop = LoopRows.write(run, plainTopic, schema, threads);
                    ratios.loop(loop);
                    bestLoop = Math.max(bestLoop, loop);
                }
                String bucket = schema.replace('_', '-');
                bestRawPuts = Math.max(bestRawPuts, BlobRows.rawPuts(run, bucket, 1));
                bestRawPuts = Math.max(bestRawPuts, BlobRows.rawPuts(run, bucket, concurrency));
                bestSinkBlobs = Math.max(bestSinkBlobs, BlobRows.sink(run, single));
            }
            if (connect) {
                double defaults = DebeziumRows.write(run, topic, "dbz_default_" + round, 1, false);
                ratios.peer(true, defaults);
                bestDebeziumDefault = Math.max(bestDebeziumDefault, defaults);
                double tuned = DebeziumRows.write(run, topic, "dbz_tuned_" + round, partitions, true);
                ratios.peer(false, tuned);
                bestDebeziumTuned = Math.max(bestDebeziumTuned, tuned);
            }
            ratios.endRound();
        }
        System.out.println();
        System.out.printf(
                "postgres-minio sink vs raw clients (batch %d, S3 concurrency %d, %d rounds)%n",
                batch, concurrency, rounds);
        System.out.print(run.table());
        System.out.println(
                "CPU in each row's timed window: writer = the writing threads (raw rows; the sink rows' calling"
                        + " thread, not its connections' threads); JVM = this whole JVM (writers, the sink's threads, GC, JIT,"
                        + " and the Kafka broker and consumers in the pipeline rows; Linux /proc); PostgreSQL = the postmaster and"
                        + " its children; machine busy = share of all cores busy, every process included");
        System.out.printf(
                "rows:  best sink / best raw insert = %.0f / %.0f events/s = %.1f %% (target ≥ 90 %%)%n",
                bestSinkRows, bestRawRows, 100 * bestSinkRows / bestRawRows);
        System.out.printf(
                "rows:  best sink / best raw upsert = %.0f / %.0f events/s = %.1f %% (the sink's SQL, plain JDBC)%n",
                bestSinkRows, bestRawUpserts, 100 * bestSinkRows / bestRawUpserts);
        System.out.printf(
                "blobs: best sink / best raw PUT    = %.0f / %.0f events/s = %.1f %% (target ≥ 90 %%)%n",
                bestSinkBlobs, bestRawPuts, 100 * bestSinkBlobs / bestRawPuts);
        double bestPipeline = Math.max(bestPipeline1, bestPipelineN);
        System.out.printf(
                "rows:  best pipeline / best hand-written Kafka → PostgreSQL loop (1..%d threads) = %.0f / %.0f events/s"
                        + " = %.1f %% (target ≥ 100 %%)%n",
                partitions, bestPipeline, bestLoop, 100 * bestPipeline / bestLoop);
        System.out.println("Within each round (issue 21: the lead must hold in every round):");
        ratios.lines().forEach(System.out::println);
        if (connect) {
            System.out.printf(
                    "rows:  best of the run, ours (Kafka → pipeline) / Debezium JDBC sink %s: 1 worker vs defaults"
                            + " %.0f / %.0f = %.2f×; %d workers vs tasks.max=partitions + reWriteBatchedInserts"
                            + " %.0f / %.0f = %.2f× (targets: per round, above)%n",
                    ConnectWorker.DEBEZIUM_VERSION,
                    bestPipeline1,
                    bestDebeziumDefault,
                    bestPipeline1 / bestDebeziumDefault,
                    partitions,
                    bestPipelineN,
                    bestDebeziumTuned,
                    bestPipelineN / bestDebeziumTuned);
            System.out.println("Debezium: Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " standalone worker (-Xmx"
                    + connectHeap + ") reading a " + partitions + "-partition topic of the same 1 KB JSON objects"
                    + " wrapped in the JsonConverter schemas.enable=true envelope (1309 B per record; flat columns"
                    + " id/type/user/payload, table created by schema.evolution=basic, insert.mode=insert, no key);"
                    + " rate = rows between the first and the last poll of count(*) (250 ms near the start and the end). Ours reads"
                    + " a topic of the plain JSON objects, timed from the first write to the last acknowledged one,"
                    + " into one jsonb column plus metadata columns, insert first and upsert by id on conflict.");
        }
        System.out.println("PostgreSQL backends: the average number of this database's client backends per state in the"
                + " row's window (pg_stat_activity every 50 ms): idle / idle in transaction = waiting for the client"
                + " (this JVM or the Connect worker), active CPU = running or runnable, active Lock:… = waiting for a"
                + " row or table lock, active LWLock:… / IO:… = WAL or buffer contention");
    }
}
