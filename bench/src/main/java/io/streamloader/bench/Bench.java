package io.streamloader.bench;

import io.streamloader.bench.api.ApiBench;
import io.streamloader.bench.elasticsearch.ElasticsearchBench;
import io.streamloader.bench.faults.FaultsBench;
import io.streamloader.bench.latency.LatencyBench;
import io.streamloader.bench.memory.MemoryBench;
import io.streamloader.bench.mongo.MongoBench;
import io.streamloader.bench.pipeline.PipelineBench;
import io.streamloader.bench.postgres.PostgresBench;
import io.streamloader.bench.rollup.RollupBench;
import io.streamloader.bench.scale.ScaleBench;
import io.streamloader.bench.sweep.SweepBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bench/run}: one subcommand per benchmark, each printing a table. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks against devstack services. Each prints a table; run on an otherwise idle machine.",
        subcommands = {
            PipelineBench.class,
            ApiBench.class,
            ElasticsearchBench.class,
            MongoBench.class,
            PostgresBench.class,
            RollupBench.class,
            MemoryBench.class,
            FaultsBench.class,
            ScaleBench.class,
            LatencyBench.class,
            SweepBench.class
        })
public final class Bench {

    public static void main(String[] args) {
        int code = new CommandLine(new Bench()).execute(args);
        System.exit(code);
    }
}
