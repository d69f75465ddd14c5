package io.streamloader.sink.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started MongoDB sink: per target collection and batch, one unordered {@code bulkWrite} of inserts, then one of
 * {@code ReplaceOne(_id, document, upsert)} for the documents whose {@code _id} was there already, so a redelivered
 * event replaces its first copy, exactly as upserting everything would. Confined to one worker thread except for
 * {@link #checkHealth()}; the client is thread-safe.
 */
final class MongoSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(MongoSink.class);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private static final BsonDocument PING = new BsonDocument("ping", new BsonInt32(1));

    private final MongoSinkConfig config;
    private final MongoClient client;
    private final DocumentConverter converter;
    private final IndexInstaller indexes;
    private final Map<String, MongoNamespace> namespaceByTopic = new HashMap<>();
    private final Set<MongoNamespace> prepared = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    MongoSink(MongoSinkConfig config, MongoClient client) {
        this.config = config;
        this.client = client;
        this.converter = new DocumentConverter(config.idField(), config.dateFields(), config.maxDocumentSize());
        this.indexes = new IndexInstaller(config, client);
    }

    /** Pings the server and creates the indexes of every collection already known; the factory closes on failure. */
    void start() {
        try {
            client.getDatabase("admin").runCommand(PING);
            for (MongoNamespace namespace : indexes.knownNamespaces()) {
                indexes.ensure(namespace);
                prepared.add(namespace);
            }
        } catch (MongoException e) {
            if (ErrorTriage.isRetriable(e)) {
                throw new RetriableSinkException(
                        "MongoDB at " + config.maskedConnectionString() + " is not reachable: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        Map<MongoNamespace, NamespaceBatch> byNamespace = new LinkedHashMap<>();
        for (Event event : batch) {
            switch (converter.convert(event)) {
                case Converted.Rejected r -> failures.add(EventFailure.permanent(event, r.reason(), r.errorClass()));
                case Converted.Document d ->
                    byNamespace
                            .computeIfAbsent(namespaceOf(event.topic()), NamespaceBatch::new)
                            .add(event, d);
            }
        }
        for (NamespaceBatch namespaceBatch : byNamespace.values()) {
            failures.addAll(write(namespaceBatch));
        }
        return WriteResult.failed(failures);
    }

    /**
     * Inserts the batch, then replaces (upsert by {@code _id}) only the documents whose {@code _id} already existed:
     * the same end state as upserting everything, at the cost of an insert for events seen for the first time, which
     * is nearly all of them (an upsert is a lookup plus an insert). A redelivered batch pays a second round trip.
     */
    private List<EventFailure> write(NamespaceBatch batch) {
        MongoNamespace namespace = batch.namespace;
        try {
            if (!prepared.contains(namespace)) {
                indexes.ensure(namespace);
                prepared.add(namespace);
            }
            List<Integer> all = batch.allIndexes();
            MongoCollection<BsonDocument> collection = collection(namespace);
            try {
                collection.bulkWrite(batch.inserts(), UNORDERED);
                return List.of();
            } catch (MongoBulkWriteException e) {
                List<Integer> existing = new ArrayList<>();
                List<EventFailure> failures = triage(batch, all, e, existing);
                if (!existing.isEmpty()) {
                    try {
                        collection.bulkWrite(batch.replaces(existing), UNORDERED);
                    } catch (MongoBulkWriteException again) {
                        failures.addAll(triage(batch, existing, again, null));
                    }
                }
                return failures;
            }
        } catch (MongoException e) {
            if (ErrorTriage.isRetriable(e)) {
                throw new RetriableSinkException(
                        "bulk write of " + batch.documents.size() + " documents to " + namespace + " failed: "
                                + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /**
     * The failures of one bulk over the documents {@code indexes} of {@code batch} (bulk position i is document
     * {@code indexes.get(i)}). With {@code existingIds} given, a duplicate key on {@code _id} is not a failure but a
     * document to replace, added there.
     */
    private List<EventFailure> triage(
            NamespaceBatch batch, List<Integer> indexes, MongoBulkWriteException e, List<Integer> existingIds) {
        List<EventFailure> failures = new ArrayList<>();
        Set<Integer> failed = new HashSet<>();
        for (BulkWriteError error : e.getWriteErrors()) {
            int index = indexes.get(error.getIndex());
            failed.add(error.getIndex());
            if (existingIds != null && ErrorTriage.isExistingId(error)) {
                existingIds.add(index);
                continue;
            }
            var kind = ErrorTriage.kindOf(error);
            String reason = ErrorTriage.reason(error);
            String errorClass = ErrorTriage.errorClass(error);
            for (Event event : batch.eventsOf(index)) {
                failures.add(new EventFailure(event, kind, reason, errorClass));
            }
            log.debug(
                    "sink {}: {} {} for {} in {}",
                    config.sinkName(),
                    kind,
                    reason,
                    batch.eventsOf(index),
                    batch.namespace);
        }
        if (e.getWriteConcernError() != null) {
            // applied on the primary but not acknowledged as asked: write again (idempotent) until it is
            String reason =
                    "write concern not satisfied: " + e.getWriteConcernError().getMessage();
            for (int i = 0; i < indexes.size(); i++) {
                if (!failed.contains(i)) {
                    for (Event event : batch.eventsOf(indexes.get(i))) {
                        failures.add(EventFailure.retryable(event, reason, "write_concern_error"));
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            log.info(
                    "sink {}: {} of {} documents for {} not written ({} write errors{})",
                    config.sinkName(),
                    failures.size(),
                    indexes.size(),
                    batch.namespace,
                    e.getWriteErrors().size(),
                    e.getWriteConcernError() == null ? "" : ", write concern error");
        }
        return failures;
    }

    private MongoNamespace namespaceOf(String topic) {
        return namespaceByTopic.computeIfAbsent(
                topic, t -> Namespaces.resolve(config.database(), config.collection(), t));
    }

    private MongoCollection<BsonDocument> collection(MongoNamespace namespace) {
        return client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class);
    }

    @Override
    public void checkHealth() {
        client.getDatabase("admin").runCommand(PING);
    }

    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            client.close();
        }
    }

    /**
     * The documents of one collection in a batch. Events with the same {@code _id} collapse into the last one (in
     * offset order), which is what a sequence of replaces would leave; its outcome applies to all of them.
     */
    private static final class NamespaceBatch {
        final MongoNamespace namespace;
        final List<Converted.Document> documents = new ArrayList<>();
        final List<List<Event>> events = new ArrayList<>();
        final Map<BsonValue, Integer> indexById = new HashMap<>();

        NamespaceBatch(MongoNamespace namespace) {
            this.namespace = namespace;
        }

        void add(Event event, Converted.Document document) {
            Integer existing = indexById.putIfAbsent(document.id(), documents.size());
            if (existing == null) {
                documents.add(document);
                events.add(new ArrayList<>(List.of(event)));
            } else {
                documents.set(existing, document);
                events.get(existing).add(event);
            }
        }

        List<Integer> allIndexes() {
            List<Integer> all = new ArrayList<>(documents.size());
            for (int i = 0; i < documents.size(); i++) {
                all.add(i);
            }
            return all;
        }

        List<InsertOneModel<BsonDocument>> inserts() {
            List<InsertOneModel<BsonDocument>> models = new ArrayList<>(documents.size());
            for (Converted.Document d : documents) {
                models.add(new InsertOneModel<>(d.withId()));
            }
            return models;
        }

        List<ReplaceOneModel<BsonDocument>> replaces(List<Integer> indexes) {
            List<ReplaceOneModel<BsonDocument>> models = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                Converted.Document d = documents.get(i);
                models.add(new ReplaceOneModel<>(Filters.eq("_id", d.id()), d.document(), UPSERT));
            }
            return models;
        }

        List<Event> eventsOf(int index) {
            return events.get(index);
        }
    }
}
