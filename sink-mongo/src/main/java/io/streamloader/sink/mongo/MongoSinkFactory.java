package io.streamloader.sink.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sinks of type {@code mongo}: events upserted into MongoDB by id with unordered bulk writes. Stateless; {@link #open}
 * makes one client per runner, shared by its workers' writers.
 */
public final class MongoSinkFactory implements SinkFactory<MongoSinkConfig> {
    private static final Logger log = LoggerFactory.getLogger(MongoSinkFactory.class);

    @Override
    public String type() {
        return "mongo";
    }

    @Override
    public MongoSinkConfig parse(SinkContext context) {
        return MongoSinkConfig.from(context);
    }

    /** Connects, pings and creates the configured indexes: once per runner. */
    @Override
    public Sink open(SinkContext context, MongoSinkConfig config) {
        MongoClient client = MongoClients.create(MongoClientSettingsFactory.settings(config));
        MongoSink sink = new MongoSink(config, client);
        try {
            sink.start();
        } catch (RuntimeException e) {
            try {
                sink.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        log.info(
                "sink {}: writing to {} database {} collection {}",
                config.sinkName(),
                config.maskedConnectionString(),
                config.database(),
                config.collection());
        return sink;
    }

    @Override
    public Set<String> secretKeys() {
        return MongoSinkConfig.SECRET_KEYS;
    }
}
