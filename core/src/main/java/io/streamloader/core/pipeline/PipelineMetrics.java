package io.streamloader.core.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Meters of one runner, tagged with the sink's name. Names follow Micrometer's dotted convention. */
final class PipelineMetrics {
    final Counter written;
    final Counter retried;
    final Counter deadLettered;
    final Counter batches;
    final Timer batchLatency;
    final DistributionSummary batchSize;

    PipelineMetrics(MeterRegistry registry, String sink) {
        written = Counter.builder("streamloader.sink.events.written")
                .description("Events the sink acknowledged as stored")
                .tag("sink", sink)
                .register(registry);
        retried = Counter.builder("streamloader.sink.events.retried")
                .description("Event write attempts that failed retryably and were retried")
                .tag("sink", sink)
                .register(registry);
        deadLettered = Counter.builder("streamloader.sink.events.dead.lettered")
                .description("Events sent to the dead-letter topic")
                .tag("sink", sink)
                .register(registry);
        batches = Counter.builder("streamloader.sink.batches")
                .description("Batches written and committed")
                .tag("sink", sink)
                .register(registry);
        batchLatency = Timer.builder("streamloader.sink.batch.latency")
                .description("Time from handing a batch to the sink until its offsets were committed")
                .tag("sink", sink)
                .publishPercentileHistogram()
                .register(registry);
        batchSize = DistributionSummary.builder("streamloader.sink.batch.size")
                .description("Events per batch")
                .tag("sink", sink)
                .register(registry);
    }
}
