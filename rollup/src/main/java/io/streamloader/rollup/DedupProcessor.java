package io.streamloader.rollup;

import io.streamloader.rollup.Codecs.NewClick;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a click whose event id was already counted, and marks whether its user is new for the pair. Runs after the
 * repartition by {@code url|country}, so every click of a pair, and every copy of one event, reaches the same task;
 * both stores are local to it and backed by changelog topics.
 *
 * <ul>
 *   <li>{@value #SEEN_STORE}: event ids seen within the dedup retention (a window store: old segments drop off as
 *       stream time passes, so it does not grow without bound).
 *   <li>{@value #USERS_STORE}: one entry per {@code url|country\0user_id}, for exact distinct users.
 * </ul>
 */
final class DedupProcessor implements FixedKeyProcessor<String, Click, NewClick> {

    static final String SEEN_STORE = "click-event-ids";
    static final String USERS_STORE = "click-pair-users";

    private static final Logger LOG = LoggerFactory.getLogger(DedupProcessor.class);
    private static final byte[] PRESENT = {1};

    private final String processorName;
    private final long retentionMillis;
    private final RollupMetrics metrics;
    private FixedKeyProcessorContext<String, NewClick> context;
    private WindowStore<String, Long> seen;
    private KeyValueStore<String, byte[]> users;

    DedupProcessor(String processorName, Duration retention, RollupMetrics metrics) {
        this.processorName = processorName;
        this.metrics = metrics;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, NewClick> context) {
        this.context = context;
        this.seen = context.getStateStore(SEEN_STORE);
        this.users = context.getStateStore(USERS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Click> record) {
        Click click = record.value();
        long time = record.timestamp();
        if (alreadySeen(click.eventId(), time)) {
            LOG.debug("processor {}: duplicate event {} dropped", processorName, click.eventId());
            metrics.duplicate();
            return;
        }
        seen.put(click.eventId(), time, time);
        String userKey = record.key() + '\u0000' + click.userId();
        boolean newUser = users.get(userKey) == null;
        if (newUser) {
            users.put(userKey, PRESENT);
        }
        context.forward(record.withValue(new NewClick(click, newUser)));
    }

    private boolean alreadySeen(String eventId, long time) {
        long from = Math.max(0, time - retentionMillis);
        long to = time > Long.MAX_VALUE - retentionMillis ? Long.MAX_VALUE : time + retentionMillis;
        try (WindowStoreIterator<Long> hits = seen.fetch(eventId, from, to)) {
            return hits.hasNext();
        }
    }
}
