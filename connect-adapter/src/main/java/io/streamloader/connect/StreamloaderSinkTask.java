package io.streamloader.connect;

import io.streamloader.connect.EventWriter.Failure;
import io.streamloader.connect.EventWriter.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one streamloader {@link Sink}, with one {@link SinkWriter}, inside a Connect task: a task is the adapter's
 * runner of one worker, so the sink is opened once per task (on its first {@link #put}) and closed by {@link #stop()}.
 * Connect's {@link #open} and {@link #close} of partitions reach the writer as its partitions-assigned and -revoked
 * hooks. {@link #put} writes synchronously, so when it returns
 * every record it was given is resolved: stored, or reported to Connect's {@link ErrantRecordReporter} (the
 * connector's {@code errors.deadletterqueue.*} topic) with the sink's reason.
 *
 * <ul>
 *   <li>A record the sink failed permanently, or whose write threw on its own (the batch is narrowed down by halves
 *       as the pipeline does): reported as errant. Without a reporter (no dead-letter topic and no error log
 *       configured) the task fails naming the record instead: nothing is skipped silently.
 *   <li>Records failing retriably, or a store that is down ({@code RetriableSinkException}, an unhealthy store):
 *       {@link RetriableException} after setting a backoff, so Connect pauses the partitions and hands the same batch
 *       again; records of it already stored or reported are skipped then.
 *   <li>{@code FatalSinkException}, invalid settings: the task fails with the reason.
 * </ul>
 *
 * <p>{@link #preCommit} returns offsets only up to the first record not yet resolved. Threading: Connect calls a task
 * from one thread, which also opens the sink, makes the writer, writes, calls its hooks and closes both.
 */
public final class StreamloaderSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(StreamloaderSinkTask.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** A record as it was consumed, before transforms. */
    private record Consumed(String topic, int partition, long offset) {
        static Consumed of(SinkRecord r) {
            return new Consumed(r.originalTopic(), r.originalKafkaPartition(), r.originalKafkaOffset());
        }

        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    private ConnectorSettings settings;
    private SinkPlugins plugins;
    private ErrantRecordReporter reporter;
    private Sink sink;
    private SinkWriter sinkWriter;
    private EventWriter writer;
    /** Partitions Connect assigned to this task, in the order it did; told to the writer once it exists. */
    private final Set<SourcePartition> assigned = new java.util.LinkedHashSet<>();
    /** Records of the batch being retried that are stored or reported already. */
    private final Set<Consumed> resolved = new HashSet<>();
    /** Per partition, the first offset of the batch being retried that is not resolved; never committed past. */
    private final Map<TopicPartition, Long> unresolvedFrom = new HashMap<>();

    private int attempt;

    @Override
    public String version() {
        return StreamloaderSinkConnector.adapterVersion();
    }

    @Override
    public void start(Map<String, String> props) {
        settings = ConnectorSettings.parse(props);
        try {
            plugins = SinkPlugins.load(settings);
        } catch (RuntimeException e) {
            throw new ConnectException(ConnectorSettings.SINK_TYPE + ": " + e.getMessage(), e);
        }
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // a worker older than Kafka 2.6
        }
        if (reporter == null) {
            log.warn(
                    "sink {}: no errors.deadletterqueue.topic.name (or errors.log.enable) on the connector: a record the"
                            + " sink cannot store will fail the task",
                    settings.connectorName());
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        ensureSink(records);
        List<Event> events = new ArrayList<>(records.size());
        Map<Event, SinkRecord> origin = new IdentityHashMap<>();
        for (SinkRecord record : records) {
            if (resolved.contains(Consumed.of(record))) {
                continue;
            }
            try {
                Event event = RecordMapper.toEvent(record);
                events.add(event);
                origin.put(event, record);
            } catch (RuntimeException e) {
                deadLetter(record, EventWriter.message(e), e.getClass().getName());
            }
        }
        Outcome outcome =
                events.isEmpty() ? new Outcome(List.of(), List.of(), java.util.Optional.empty()) : writer.write(events);
        if (outcome.storeDown().isPresent()) {
            retryLater(records, outcome.storeDown().get());
        }
        Set<Event> unstored = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Failure f : outcome.permanent()) {
            deadLetter(origin.get(f.event()), f.reason(), f.errorClass());
            unstored.add(f.event());
        }
        outcome.retriable().forEach(f -> unstored.add(f.event()));
        for (Event event : events) {
            if (!unstored.contains(event)) {
                resolved.add(Consumed.of(origin.get(event)));
            }
        }
        if (!outcome.retriable().isEmpty()) {
            Failure first = outcome.retriable().getFirst();
            retryLater(
                    records,
                    outcome.retriable().size() + " event(s) failed retriably, first " + first.event() + ": "
                            + first.reason());
        }
        resolved.clear();
        unresolvedFrom.clear();
        attempt = 0;
    }

    private void ensureSink(Collection<SinkRecord> records) {
        if (sink != null) {
            return;
        }
        try {
            sink = open(plugins.factory(), new SinkContext(settings.connectorName(), settings.sinkConfig()));
            sinkWriter = sink.newWriter();
            writer = new EventWriter(settings.connectorName(), sink, sinkWriter);
            if (!assigned.isEmpty()) {
                sinkWriter.partitionsAssigned(List.copyOf(assigned));
            }
        } catch (RetriableSinkException e) {
            retryLater(records, "store unreachable at start: " + EventWriter.message(e));
        } catch (SinkConfigException | FatalSinkException e) {
            throw new ConnectException("sink " + settings.connectorName() + " cannot start: " + e.getMessage(), e);
        }
    }

    /** Reports a record the sink cannot store; it counts as resolved once reported. */
    private void deadLetter(SinkRecord record, String reason, String errorClass) {
        Consumed at = Consumed.of(record);
        if (reporter == null) {
            throw new ConnectException("sink " + settings.connectorName() + ": " + at + " cannot be stored (" + reason
                    + ") and the connector has no dead-letter topic: set errors.tolerance=all and"
                    + " errors.deadletterqueue.topic.name");
        }
        log.warn("sink {}: {} reported as errant: {}", settings.connectorName(), at, reason);
        reporter.report(record, new SinkEventException(settings.connectorName(), reason, errorClass));
        resolved.add(at);
    }

    /** Keeps the unresolved records from being committed and asks Connect to hand the batch again after a backoff. */
    private void retryLater(Collection<SinkRecord> records, String reason) {
        for (SinkRecord record : records) {
            Consumed at = Consumed.of(record);
            if (!resolved.contains(at)) {
                unresolvedFrom.merge(at.topicPartition(), at.offset(), Math::min);
            }
        }
        attempt++;
        Duration backoff = backoff(attempt);
        context.timeout(backoff.toMillis());
        log.warn(
                "sink {}: retrying in {} ms (attempt {}): {}",
                settings.connectorName(),
                backoff.toMillis(),
                attempt,
                reason);
        throw new RetriableException("sink " + settings.connectorName() + ": " + reason);
    }

    static Duration backoff(int attempt) {
        long base = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** Only what the sink acknowledged: never at or past a record of a batch still being retried. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return acknowledged(currentOffsets, unresolvedFrom);
    }

    static Map<TopicPartition, OffsetAndMetadata> acknowledged(
            Map<TopicPartition, OffsetAndMetadata> currentOffsets, Map<TopicPartition, Long> unresolvedFrom) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        currentOffsets.forEach((tp, current) -> {
            Long first = unresolvedFrom.get(tp);
            if (first == null || current.offset() <= first) {
                offsets.put(tp, current);
            } else {
                offsets.put(tp, new OffsetAndMetadata(first, current.metadata()));
            }
        });
        return offsets;
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        List<SourcePartition> added =
                partitions.stream().map(StreamloaderSinkTask::source).toList();
        assigned.addAll(added);
        if (sinkWriter != null && !added.isEmpty()) {
            sinkWriter.partitionsAssigned(added);
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        // Connect drops the revoked partitions' records from the batch it redelivers; their next owner starts from
        // the committed offset
        partitions.forEach(unresolvedFrom::remove);
        resolved.removeIf(c -> partitions.contains(c.topicPartition()));
        List<SourcePartition> revoked = partitions.stream()
                .map(StreamloaderSinkTask::source)
                .filter(assigned::remove)
                .toList();
        if (sinkWriter != null) {
            revoke(revoked);
        }
    }

    /** The writer's revoke hook; what it throws is logged, as the pipeline does. */
    private void revoke(List<SourcePartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        try {
            sinkWriter.partitionsRevoked(revoked);
        } catch (Exception e) {
            log.warn("sink {}: the writer failed on partitions revoked {}", settings.connectorName(), revoked, e);
        }
    }

    /** Parses the settings (once: the connector validated them through the same parse) and opens the sink. */
    private static <C> Sink open(SinkFactory<C> factory, SinkContext context) {
        return factory.open(context, factory.parse(context));
    }

    private static SourcePartition source(TopicPartition tp) {
        return new SourcePartition(tp.topic(), tp.partition());
    }

    @Override
    public void stop() {
        try {
            if (sinkWriter != null) {
                revoke(List.copyOf(assigned)); // Connect closes the partitions first; what is left, if anything
                sinkWriter.close();
            }
        } finally {
            sinkWriter = null;
            writer = null;
            assigned.clear();
            if (sink != null) {
                sink.close();
            }
            sink = null;
            if (plugins != null) {
                plugins.close();
                plugins = null;
            }
        }
    }
}
