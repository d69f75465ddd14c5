package io.streamloader.rollup;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The clickstream rollup as a Kafka Streams topology; pure, so {@code TopologyTestDriver} runs it without a broker.
 *
 * <ol>
 *   <li>Parse each event of {@code input} (object or positional array). Malformed ones go to the dead-letter topic with
 *       the reason in {@code sl.error.reason}.
 *   <li>Re-key valid clicks by {@code url|country} and repartition ({@code <application-id>-by-pair-repartition}), so
 *       one task owns each pair: its clicks, its users and every copy of one event.
 *   <li>Drop events whose id was already counted; mark users new to the pair ({@link DedupProcessor}).
 *   <li>Aggregate per pair into a {@link Rollup} (store {@value #ROLLUP_STORE}); order does not matter, so late and
 *       out-of-order clicks just move {@code first_click}/{@code last_click}.
 *   <li>Publish each changed rollup as JSON to the compacted {@code output} topic, key and {@code sl-event-id} header
 *       {@code url|country}: the Elasticsearch sink writes it under that {@code _id}, one document per pair. The store's
 *       cache merges a pair's updates within a commit interval into one record.
 * </ol>
 *
 * Every state store has a changelog topic; with {@code exactly_once_v2} the stores, the output and the input offsets
 * move together in one transaction, which is what makes a restart give the same result as an uninterrupted run.
 */
public final class ClickRollupTopology {

    static final String ROLLUP_STORE = "click-rollups";
    static final String REPARTITION = "by-pair";

    private ClickRollupTopology() {}

    public static Topology build(ClickRollupConfig config) {
        return build(config, RollupMetrics.unregistered(config.name()));
    }

    /** The topology, counting into {@code metrics} (events in, dead letters, duplicates, rollups out). */
    public static Topology build(ClickRollupConfig config, RollupMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                        DedupProcessor.SEEN_STORE, config.dedupRetention(), Duration.ofMillis(1), false),
                Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DedupProcessor.USERS_STORE), Serdes.String(), Serdes.ByteArray()));

        Map<String, KStream<byte[], ParsedClick>> parsed = builder.stream(
                        config.input(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("clicks"))
                .processValues(() -> new ParseProcessor(config.name(), metrics), Named.as("parse"))
                .split(Named.as("parsed-"))
                .branch((key, value) -> value instanceof ParsedClick.Rejected, Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));

        parsed.get("parsed-rejected")
                .mapValues(value -> ((ParsedClick.Rejected) value).value(), Named.as("rejected-value"))
                .to(
                        config.deadLetterTopic(),
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters"));

        parsed.get("parsed-valid")
                .map(
                        (key, value) -> {
                            Click click = ((ParsedClick.Valid) value).click();
                            return KeyValue.pair(click.pairKey(), click);
                        },
                        Named.as("pair-key"))
                .repartition(Repartitioned.with(Serdes.String(), Codecs.CLICK).withName(REPARTITION))
                .processValues(
                        () -> new DedupProcessor(config.name(), config.dedupRetention(), metrics),
                        Named.as("dedup"),
                        DedupProcessor.SEEN_STORE,
                        DedupProcessor.USERS_STORE)
                .groupByKey(Grouped.with(Serdes.String(), Codecs.NEW_CLICK))
                .aggregate(
                        Rollup::empty,
                        (pair, click, rollup) -> rollup.add(click.click(), click.newUser()),
                        Named.as("rollup"),
                        Materialized.<String, Rollup, KeyValueStore<Bytes, byte[]>>as(ROLLUP_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Codecs.ROLLUP))
                .toStream(Named.as("rollups"))
                .processValues(() -> new DocumentProcessor(metrics), Named.as("document"))
                .to(
                        config.output(),
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("click-events"));
        return builder.build();
    }

    /** The rollup as its JSON document, with only the headers the sink needs: the id and the content type. */
    private static final class DocumentProcessor implements FixedKeyProcessor<String, Rollup, byte[]> {
        private final RollupMetrics metrics;
        private FixedKeyProcessorContext<String, byte[]> context;

        DocumentProcessor(RollupMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Rollup> record) {
            if (record.value() == null) {
                return; // an aggregation never deletes; nothing to publish
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(Event.ID_HEADER, record.key().getBytes(StandardCharsets.UTF_8));
            headers.add(Event.CONTENT_TYPE_HEADER, "application/json".getBytes(StandardCharsets.UTF_8));
            context.forward(record.withValue(record.value().toJson()).withHeaders(headers));
            metrics.out();
        }
    }
}
