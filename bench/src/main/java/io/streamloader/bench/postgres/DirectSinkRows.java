package io.streamloader.bench.postgres;

import io.streamloader.bench.OpenedSink;
import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code Sink.write} called directly with the 1 KB JSON rows, no Kafka: the sink's own cost. */
final class DirectSinkRows {
    private DirectSinkRows() {}

    /**
     * {@code Sink.write} of the rows in batches; with several sinks, each writes every n-th batch from its own thread,
     * as the pipeline's workers would (one sink instance and one connection per worker).
     */
    static double write(PostgresRun run, List<OpenedSink> sinks, String idPrefix, int connections) throws Exception {
        int rows = run.options.rows;
        int batch = run.options.batch;
        byte[][] json = run.json;
        List<List<Event>> batches = new ArrayList<>();
        for (int from = 0; from < rows; from += batch) {
            List<Event> events = new ArrayList<>(batch);
            for (int i = from; i < Math.min(rows, from + batch); i++) {
                events.add(Event.builder()
                        .id(idPrefix + i)
                        .topic("bench")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.now())
                        .value(json[i % json.length])
                        .contentType("application/json")
                        .build());
            }
            batches.add(events);
        }
        List<Callable<Long>> writers = new ArrayList<>();
        for (int w = 0; w < sinks.size(); w++) {
            OpenedSink sink = sinks.get(w);
            int first = w;
            writers.add(() -> {
                long cpu = PostgresRun.THREADS.getCurrentThreadCpuTime();
                for (int b = first; b < batches.size(); b += sinks.size()) {
                    if (!sink.write(batches.get(b)).isSuccess()) {
                        throw new IllegalStateException("sink refused events");
                    }
                }
                return PostgresRun.THREADS.getCurrentThreadCpuTime() - cpu;
            });
        }
        long started = System.nanoTime();
        long cpu = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(sinks.size())) {
            for (Future<Long> f : pool.invokeAll(writers)) {
                cpu += f.get();
            }
        }
        String writer = "sink, rows only, jdbc.connections=" + connections
                + (sinks.size() == 1 ? "" : ", " + sinks.size() + " sinks (like workers)");
        return run.row(writer, rows, 1024, started, cpu);
    }
}
