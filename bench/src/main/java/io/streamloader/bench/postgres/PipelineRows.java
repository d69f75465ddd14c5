package io.streamloader.bench.postgres;

import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import java.time.Duration;

/**
 * Kafka → pipeline → postgres-minio sink, into a schema of its own: what an operator runs, and what the Debezium rows
 * (which consume Kafka too) and the hand-written loop compare with.
 */
final class PipelineRows {
    private PipelineRows() {}

    /** {@code workers} workers, {@code --connections} connections ({@code jdbc.connections}). */
    static double write(PostgresRun run, String topic, String schema, int workers) throws InterruptedException {
        int rows = run.options.rows;
        TimedPipeline.Result r = TimedPipeline.run(
                new PostgresMinioSinkFactory(),
                run.sinkConfig(schema, run.options.connections),
                run.kafka.bootstrapServers(),
                topic,
                workers,
                new BatchPolicy(run.options.batch, BatchPolicy.DEFAULT.maxBytes(), Duration.ofMillis(100)),
                // one worker: the same rows as the Debezium rows write; several: twice as many, of which the
                // rebalances while workers join are left out (TimedPipeline)
                workers == 1 ? rows : 2L * rows);
        run.window(
                "Kafka → pipeline → sink, " + workers + " worker" + (workers == 1 ? "" : "s") + " (rows only)",
                r.events(),
                r.firstNanos(),
                r.lastNanos());
        return r.perSecond();
    }
}
