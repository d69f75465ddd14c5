package io.streamloader.sink.mongo;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.IndexModel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured indexes. Collections known from the config alone (fixed names, or an index's own {@code
 * collection}) get them at start; collections named after a topic get them before the first write to them.
 * {@code createIndexes} is idempotent for an identical definition, so every worker may run it.
 */
final class IndexInstaller {
    private static final Logger log = LoggerFactory.getLogger(IndexInstaller.class);

    private final MongoSinkConfig config;
    private final MongoClient client;

    IndexInstaller(MongoSinkConfig config, MongoClient client) {
        this.config = config;
        this.client = client;
    }

    /** Namespaces whose indexes can be created before any event arrived. */
    Set<MongoNamespace> knownNamespaces() {
        Set<MongoNamespace> out = new LinkedHashSet<>();
        if (!Namespaces.isLiteral(config.database())) {
            return out;
        }
        if (Namespaces.isLiteral(config.collection())) {
            out.add(new MongoNamespace(config.database(), config.collection()));
        }
        for (IndexSpec index : config.indexes()) {
            index.collection().ifPresent(c -> out.add(new MongoNamespace(config.database(), c)));
        }
        return out;
    }

    void ensure(MongoNamespace namespace) {
        List<IndexModel> models = config.indexes().stream()
                .filter(i -> i.appliesTo(namespace.getCollectionName()))
                .map(IndexSpec::model)
                .toList();
        if (models.isEmpty()) {
            return;
        }
        client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class)
                .createIndexes(models);
        log.info(
                "sink {}: indexes {} present on {}",
                config.sinkName(),
                models.stream().map(m -> m.getOptions().getName()).toList(),
                namespace);
    }
}
