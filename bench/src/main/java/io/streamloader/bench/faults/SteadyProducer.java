package io.streamloader.bench.faults;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the campaign's events at a steady rate, each with its id in {@code sl-event-id} and the id as key (spread
 * over the partitions); a seeded share of them hostile. The producer is idempotent and waits out a broker restart
 * (sends block and retry for up to ten minutes), so every event is either acknowledged or counted as failed.
 */
final class SteadyProducer {
    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024 + 64 * 1024;

    private final String bootstrap;
    private final String topic;
    private final CampaignSettings settings;
    private final Ledger ledger;

    SteadyProducer(String bootstrap, String topic, CampaignSettings settings, Ledger ledger) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.settings = settings;
        this.ledger = ledger;
    }

    /** Sends every event on schedule ({@code i / rate} seconds after the start) and waits for the last ack. */
    void run() {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                MAX_REQUEST_BYTES,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.MINUTES.toMillis(10),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                TimeUnit.MINUTES.toMillis(10));
        SplittableRandom random = new SplittableRandom(settings.seed());
        long hostile = 0;
        long start = System.nanoTime();
        double nanosPerEvent = 1e9 / settings.rate();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ledger.size(); i++) {
                long due = start + (long) (i * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing to the rate, not synchronisation
                }
                ProducerRecord<byte[], byte[]> record;
                byte kind = Ledger.GOOD;
                String id = ledger.id(i);
                if (random.nextDouble() * 100 < settings.hostilePercent()) {
                    HostileCorpus.Hostile h = HostileCorpus.hostile(hostile++, settings.bigRounds());
                    kind = (byte) HostileCorpus.kinds().indexOf(h.kind());
                    id += h.idSuffix();
                    record = new ProducerRecord<>(topic, utf8(id), h.value());
                    if (h.contentType() != null) {
                        record.headers().add(Event.CONTENT_TYPE_HEADER, utf8(h.contentType()));
                    }
                } else {
                    record = new ProducerRecord<>(topic, utf8(id), good(id, i, random));
                }
                record.headers().add(Event.ID_HEADER, utf8(id));
                int index = i;
                ledger.sent(i, kind, System.nanoTime());
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        ledger.failed(e);
                    } else {
                        ledger.acked(index, metadata.partition(), metadata.offset());
                    }
                });
            }
            producer.flush();
        }
    }

    /** A ~250 byte JSON event; one in twenty carries a small base64 blob the postgres-minio sink puts in S3. */
    private static byte[] good(String id, int i, SplittableRandom random) {
        StringBuilder b = new StringBuilder(320)
                .append("{\"id\":\"")
                .append(id)
                .append("\",\"n\":")
                .append(i)
                .append(",\"user\":\"u")
                .append(random.nextInt(1000))
                .append("\",\"page\":\"/p/")
                .append(random.nextInt(50))
                .append("\",\"ts\":\"")
                .append(Instant.now())
                .append("\",\"note\":\"")
                .append("lorem ipsum dolor sit amet ".repeat(4))
                .append('"');
        if (i % 20 == 0) {
            byte[] blob = new byte[48];
            random.nextBytes(blob);
            b.append(",\"blob\":\"")
                    .append(Base64.getEncoder().encodeToString(blob))
                    .append('"');
        }
        return utf8(b.append('}').toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
