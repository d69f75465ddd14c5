package io.streamloader.bench.faults;

import io.streamloader.bench.distribution.RunConfig;
import io.streamloader.bench.distribution.SinkProgress;
import io.streamloader.bench.distribution.Stores;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A fault campaign against the real distribution: a topic made by {@code streamloader topics create}, the three
 * built-in sinks in one {@code streamloader run} process, events produced at a steady rate while faults are injected,
 * then a wait until every group committed every event, then the stores and the dead-letter topic compared with what
 * was produced. It reports what happened; {@link Result#passed()} says whether nothing was lost or duplicated.
 */
public final class FaultCampaign {
    static final String TOPIC_CONFIG = "{ max.message.bytes: 4194304 }";
    static final String POSTGRES_CONFIG = "      blob.fields: blob\n";

    /** What a campaign found. */
    public record Result(
            String topic,
            List<SinkOutcome> sinks,
            boolean drained,
            String drainDetail,
            List<FaultInjector.Injected> faults,
            int processStarts,
            int unplannedExits,
            String lastUnplannedExit,
            int finalExitCode,
            long failedSends,
            String lastSendFailure,
            DeadLetters deadLetters,
            long commitSamples,
            long failedCommitSamples,
            double seconds,
            Path log) {

        /** Lost and duplicated are 0 for every sink, every event was drained and every send acknowledged. */
        public boolean passed() {
            return drained && failedSends == 0 && sinks.stream().allMatch(s -> s.lost() == 0 && s.duplicated() == 0);
        }
    }

    private FaultCampaign() {}

    public static Result run(CampaignSettings settings, Path workDir) throws Exception {
        Path bin =
                settings.distribution().resolve("bin").resolve("streamloader").toAbsolutePath();
        if (!Files.isExecutable(bin)
                || !Files.isDirectory(settings.distribution().resolve("plugins"))) {
            throw new IllegalStateException(
                    "no distribution at " + settings.distribution().toAbsolutePath()
                            + "; build it with ./mvnw -B -q -pl bench,launcher -am package -DskipTests");
        }
        long startNanos = System.nanoTime();
        KafkaService kafka = DevStack.kafka();
        String topic = "faults-" + System.currentTimeMillis();
        Stores stores = new Stores(
                DevStack.elasticsearch(), DevStack.mongo(), DevStack.postgres(), topic, topic.replace('-', '_'));
        DevStack.s3();
        Path dir = workDir.resolve(topic).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = RunConfig.write(
                dir, kafka.bootstrapServers(), topic, settings.partitions(), stores, TOPIC_CONFIG, POSTGRES_CONFIG);
        Path log = dir.resolve("run.log");
        createTopics(bin, config, dir.resolve("topics.log"));

        Ledger ledger = new Ledger(topic + "-", settings.events());
        List<String> groups =
                RunConfig.SINKS.stream().map(s -> RunConfig.group(topic, s)).toList();
        Processes processes = new Processes(bin, config, log, "-Xmx" + settings.heap());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (Admin admin = kafka.admin()) {
            CommitTimeline timeline =
                    new CommitTimeline(g -> SinkProgress.committedByPartition(admin, g, topic), groups);
            processes.start();
            sampler.scheduleWithFixedDelay(
                    () -> supervise(timeline, processes), 0, CommitTimeline.PERIOD_MS, TimeUnit.MILLISECONDS);
            long campaignStart = System.nanoTime();
            FaultInjector faults = new FaultInjector(settings, processes, campaignStart);
            Future<?> producing = workers.submit(() -> {
                new SteadyProducer(kafka.bootstrapServers(), topic, settings, ledger).run();
                return null;
            });
            Future<?> injecting = workers.submit(() -> {
                faults.run();
                return null;
            });
            producing.get();
            injecting.get();
            String drainDetail = drain(timeline, groups, ledger.endOffsets(settings.partitions()), settings);
            sampler.shutdownNow();
            sampler.awaitTermination(30, TimeUnit.SECONDS);
            int exit = processes.stopAll();
            DeadLetters letters = DeadLetters.read(kafka.bootstrapServers(), topic + ".dlq", Duration.ofMinutes(2));
            List<SinkOutcome> outcomes = outcomes(stores, ledger, letters, timeline, groups);
            return new Result(
                    topic,
                    outcomes,
                    drainDetail.isEmpty(),
                    drainDetail,
                    faults.injected(),
                    processes.starts(),
                    processes.unplannedExits(),
                    processes.lastUnplannedExit(),
                    exit,
                    ledger.failedSends(),
                    ledger.lastFailure(),
                    letters,
                    timeline.samples(),
                    timeline.failedSamples(),
                    (System.nanoTime() - startNanos) / 1e9,
                    log);
        } finally {
            sampler.shutdownNow();
            workers.shutdownNow();
            processes.killAll();
            if (!DevStack.kafka().isRunning()) {
                DevStack.kafka().start();
            }
        }
    }

    private static void supervise(CommitTimeline timeline, Processes processes) {
        timeline.sample();
        try {
            processes.superviseMain();
        } catch (Exception e) {
            System.err.println("could not restart streamloader run: " + e);
        }
    }

    /** Runs {@code streamloader topics create} (the topic with its config, and the DLQ as the product makes it). */
    private static void createTopics(Path bin, Path config, Path log) throws Exception {
        Process p = new ProcessBuilder(bin.toString(), "topics", "create", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("streamloader topics create did not finish in 2 min; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("streamloader topics create exited with " + p.exitValue() + ": "
                    + Files.readString(log).strip());
        }
    }

    /** Waits until every group committed the end offsets; "" when they did, else what was missing. */
    private static String drain(CommitTimeline timeline, List<String> groups, long[] end, CampaignSettings settings)
            throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (groups.stream().allMatch(g -> timeline.reached(g, end))) {
                return "";
            }
            Thread.sleep(CommitTimeline.PERIOD_MS); // polls what the sampler records
        }
        long total = 0;
        for (long e : end) {
            total += e;
        }
        List<String> missing = new ArrayList<>();
        for (String group : groups) {
            if (!timeline.reached(group, end)) {
                missing.add(group + " at " + timeline.committed(group) + " of " + total);
            }
        }
        return "not drained within " + settings.drainTimeout().toSeconds() + " s: " + String.join(", ", missing);
    }

    private static List<SinkOutcome> outcomes(
            Stores stores, Ledger ledger, DeadLetters letters, CommitTimeline timeline, List<String> groups)
            throws Exception {
        List<List<String>> ids = List.of(stores.elasticsearchIds(), stores.mongoIds(), stores.postgresIds());
        List<SinkOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < RunConfig.SINKS.size(); i++) {
            String sink = RunConfig.SINKS.get(i);
            outcomes.add(SinkOutcome.of(sink, groups.get(i), ledger, ids.get(i), letters.positions(sink), timeline));
        }
        return outcomes;
    }
}
