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
import io.streamloader.sink.support.Triage.Outcome;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.Transform;
import io.streamloader.spi.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started MongoDB sink: per target collection and batch, one unordered {@code bulkWrite} of inserts, then one of
 * {@code ReplaceOne(_id, document, upsert)} for the documents whose {@code _id} was there already, so a redelivered
 * event replaces its first copy, exactly as upserting everything would. One worker's writer, confined to its thread;
 * the client (thread-safe) and the set of collections whose indexes exist belong to the runner's {@link
 * MongoSink}.
 */
final class MongoWriter implements SinkWriter {
    private static final java.util.regex.Pattern ROUTE = java.util.regex.Pattern.compile("[a-z0-9_]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(MongoWriter.class);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoSinkConfig config;
    private final MongoClient client;
    private final DocumentConverter converter;
    private final Optional<ArrayElements> arrays;
    private final IndexInstaller indexes;
    private final Map<String, MongoNamespace> namespaceByTopic = new HashMap<>();
    /** Collections whose indexes exist, shared by the runner's writers (thread-safe). */
    private final Set<MongoNamespace> prepared;

    MongoWriter(MongoSinkConfig config, MongoClient client, IndexInstaller indexes, Set<MongoNamespace> prepared) {
        this.config = config;
        this.client = client;
        this.converter = new DocumentConverter(config.idField(), config.dateFields(), config.maxDocumentSize());
        this.arrays = config.splitArrays()
                ? Optional.of(new ArrayElements(
                        config.arraysIdField(),
                        config.dateFields(),
                        config.maxDocumentSize(),
                        config.arraysMaxElements()))
                : Optional.empty();
        this.indexes = indexes;
        this.prepared = prepared;
    }

    /**
     * Converts each event (a value that cannot be stored is that event's PERMANENT failure), then writes each target
     * collection's documents. Throws only {@link RetriableSinkException} (MongoDB unreachable or not primary: retry
     * the batch) and {@link FatalSinkException} (authentication or index creation refused: no event's fault).
     */
    @Override
    public WriteResult write(List<Event> batch) {
        List<EventFailure> failures = new ArrayList<>();
        Map<MongoNamespace, NamespaceBatch> byNamespace = new LinkedHashMap<>();
        for (Event event : batch) {
            Converted converted = convert(event);
            if (converted instanceof Converted.Rejected r) {
                failures.add(EventFailure.permanent(event, r.reason(), r.errorClass()));
                continue;
            }
            if (converted instanceof Converted.Elements e && e.documents().isEmpty()) {
                continue; // an empty array: nothing to store
            }
            MongoNamespace namespace;
            try {
                namespace = namespaceOf(event);
            } catch (IllegalArgumentException e) {
                failures.add(EventFailure.permanent(
                        event,
                        "topic '" + event.topic() + "' gives no valid MongoDB namespace: " + e.getMessage(),
                        "invalid_namespace"));
                continue;
            }
            NamespaceBatch target = byNamespace.computeIfAbsent(namespace, NamespaceBatch::new);
            switch (converted) {
                case Converted.Document d -> target.add(event, d, -1);
                case Converted.Elements e -> {
                    for (int i = 0; i < e.documents().size(); i++) {
                        target.add(event, e.documents().get(i), i);
                    }
                }
                case Converted.Rejected r -> throw new IllegalStateException("handled above");
            }
        }
        for (NamespaceBatch namespaceBatch : byNamespace.values()) {
            prepare(namespaceBatch.namespace);
            failures.addAll(write(namespaceBatch));
        }
        return WriteResult.failed(onePerEvent(failures));
    }

    private Converted convert(Event event) {
        if (arrays.isPresent() && ArrayElements.isArray(event)) {
            return arrays.get().split(event);
        }
        return converter.convert(event);
    }

    /**
     * An event split into elements fails once, however many of its elements failed: a permanent failure of any
     * element dead-letters it (the first such reason kept), else the first retriable one retries it (all its
     * elements are written again, under the same ids).
     */
    private static List<EventFailure> onePerEvent(List<EventFailure> failures) {
        if (failures.size() < 2) {
            return failures;
        }
        Map<Event, EventFailure> byEvent = new IdentityHashMap<>();
        List<Event> order = new ArrayList<>();
        for (EventFailure failure : failures) {
            EventFailure seen = byEvent.get(failure.event());
            if (seen == null) {
                order.add(failure.event());
                byEvent.put(failure.event(), failure);
            } else if (seen.kind() != FailureKind.PERMANENT && failure.kind() == FailureKind.PERMANENT) {
                byEvent.put(failure.event(), failure);
            }
        }
        if (order.size() == failures.size()) {
            return failures;
        }
        return order.stream().map(byEvent::get).toList();
    }

    private void prepare(MongoNamespace namespace) {
        if (prepared.contains(namespace)) {
            return;
        }
        try {
            indexes.ensure(namespace);
        } catch (MongoException e) {
            if (MongoTriage.of(e) == Outcome.UNAVAILABLE) {
                throw new RetriableSinkException(
                        "creating the indexes of " + namespace + " failed: " + e.getMessage(), e);
            }
            throw new FatalSinkException(
                    "creating the configured indexes on " + namespace + " was refused: " + e.getMessage(), e);
        }
        prepared.add(namespace);
    }

    /**
     * Writes the latest document of every {@code _id}. When MongoDB refuses one for good while earlier events of the
     * batch carried the same {@code _id}, the one before it is written next: the end state a sequence of replaces
     * would leave, and the earlier events are not lost with the later one.
     */
    private List<EventFailure> write(NamespaceBatch batch) {
        List<EventFailure> failures = new ArrayList<>();
        List<IdGroup> pending = batch.groups;
        while (!pending.isEmpty()) {
            Map<IdGroup, Failure> outcome = attempt(batch.namespace, pending, true);
            List<IdGroup> again = new ArrayList<>();
            for (IdGroup group : pending) {
                Failure failure = outcome.get(group);
                if (failure == null) {
                    continue; // stored; events before the last one of its _id are superseded by it
                }
                if (failure.kind() == FailureKind.PERMANENT && group.events.size() > 1) {
                    int element = group.elements.getLast();
                    failures.add(failure.of(group.removeLast(), element));
                    again.add(group);
                } else {
                    for (int i = 0; i < group.events.size(); i++) {
                        failures.add(failure.of(group.events.get(i), group.elements.get(i)));
                    }
                }
            }
            pending = again;
        }
        return failures;
    }

    /** Why one document was not written. */
    private record Failure(FailureKind kind, String reason, String errorClass) {
        /** {@code element}: the index of the document in the event's array, or -1 for an event stored whole. */
        EventFailure of(Event event, int element) {
            return new EventFailure(
                    event, kind, element < 0 ? reason : "array element " + element + ": " + reason, errorClass);
        }
    }

    /**
     * Inserts the groups' latest documents, then replaces (upsert by {@code _id}) only those whose {@code _id} already
     * existed: the same end state as upserting everything, at the cost of an insert for events seen for the first
     * time, which is nearly all of them (an upsert is a lookup plus an insert). A redelivered batch pays a second round
     * trip. An exception that fails the whole bulk for a reason other than the store's state (the driver refusing a
     * document client-side, a command error) is narrowed down by writing the documents one at a time.
     */
    private Map<IdGroup, Failure> attempt(MongoNamespace namespace, List<IdGroup> groups, boolean narrowDown) {
        MongoCollection<BsonDocument> collection = collection(namespace);
        Map<IdGroup, Failure> failures = new HashMap<>();
        try {
            try {
                collection.bulkWrite(inserts(groups), UNORDERED);
                return failures;
            } catch (MongoBulkWriteException e) {
                List<IdGroup> existing = new ArrayList<>();
                triage(namespace, groups, e, existing, failures);
                if (!existing.isEmpty()) {
                    try {
                        collection.bulkWrite(replaces(existing), UNORDERED);
                    } catch (MongoBulkWriteException again) {
                        triage(namespace, existing, again, null, failures);
                    }
                }
                return failures;
            }
        } catch (RuntimeException e) {
            Outcome outcome = MongoTriage.of(e);
            if (outcome == Outcome.UNAVAILABLE) {
                throw new RetriableSinkException(
                        "bulk write of " + groups.size() + " documents to " + namespace + " failed: " + e.getMessage(),
                        e);
            }
            if (outcome == Outcome.FATAL) {
                throw new FatalSinkException(
                        "MongoDB at " + config.maskedConnectionString() + " refused the sink: " + e.getMessage(), e);
            }
            if (narrowDown && groups.size() > 1) {
                log.info(
                        "sink {}: bulk write to {} failed as a whole ({}); writing its {} documents one at a time",
                        config.sinkName(),
                        namespace,
                        e.toString(),
                        groups.size());
                for (IdGroup group : groups) {
                    failures.putAll(attempt(namespace, List.of(group), false));
                }
                return failures;
            }
            failures.put(
                    groups.getFirst(),
                    new Failure(FailureKind.PERMANENT, MongoTriage.reason(e), MongoTriage.errorClass(e)));
            log.debug("sink {}: document {} in {} refused: {}", config.sinkName(), groups.getFirst().id, namespace, e);
            return failures;
        }
    }

    /**
     * Adds the failures of one bulk over {@code groups} (bulk position i is group i; positions, not ids, since one
     * {@code _id} may be in a bulk twice over a retry). With {@code existingIds} given, a duplicate key on {@code _id}
     * is not a failure but a document to replace, added there.
     */
    private void triage(
            MongoNamespace namespace,
            List<IdGroup> groups,
            MongoBulkWriteException e,
            List<IdGroup> existingIds,
            Map<IdGroup, Failure> failures) {
        Set<Integer> failed = new HashSet<>();
        for (BulkWriteError error : e.getWriteErrors()) {
            int position = error.getIndex();
            if (position < 0 || position >= groups.size()) {
                throw new RetriableSinkException("MongoDB replied with a write error for document " + position
                        + " of a bulk of " + groups.size() + " to " + namespace + ": " + error.getMessage());
            }
            failed.add(position);
            IdGroup group = groups.get(position);
            if (existingIds != null && MongoTriage.isExistingId(error)) {
                existingIds.add(group);
                continue;
            }
            Failure failure = new Failure(
                    MongoTriage.of(error).failureKind(), MongoTriage.reason(error), MongoTriage.errorClass(error));
            failures.put(group, failure);
            log.debug("sink {}: {} for {} in {}", config.sinkName(), failure, group.events, namespace);
        }
        if (e.getWriteConcernError() != null) {
            // applied on the primary but not acknowledged as asked: write again (idempotent) until it is
            Failure retry = new Failure(
                    FailureKind.RETRIABLE,
                    "write concern not satisfied: " + e.getWriteConcernError().getMessage(),
                    "write_concern_error");
            for (int i = 0; i < groups.size(); i++) {
                if (!failed.contains(i)) {
                    failures.put(groups.get(i), retry);
                }
            }
        }
        if (!failures.isEmpty()) {
            log.info(
                    "sink {}: {} of {} documents for {} not written ({} write errors{})",
                    config.sinkName(),
                    failures.size(),
                    groups.size(),
                    namespace,
                    e.getWriteErrors().size(),
                    e.getWriteConcernError() == null ? "" : ", write concern error");
        }
    }

    private static List<InsertOneModel<BsonDocument>> inserts(List<IdGroup> groups) {
        List<InsertOneModel<BsonDocument>> models = new ArrayList<>(groups.size());
        for (IdGroup group : groups) {
            models.add(new InsertOneModel<>(group.latest().withId()));
        }
        return models;
    }

    private static List<ReplaceOneModel<BsonDocument>> replaces(List<IdGroup> groups) {
        List<ReplaceOneModel<BsonDocument>> models = new ArrayList<>(groups.size());
        for (IdGroup group : groups) {
            Converted.Document d = group.latest();
            models.add(new ReplaceOneModel<>(Filters.eq("_id", d.id()), d.document(), UPSERT));
        }
        return models;
    }

    private MongoNamespace namespaceOf(Event event) {
        MongoNamespace base = namespaceByTopic.computeIfAbsent(
                event.topic(), t -> Namespaces.resolve(config.database(), config.collection(), t));
        String route = event.headers().get(Transform.ROUTE_HEADER);
        if (route == null) {
            return base;
        }
        // set by a route transform (the pipeline never takes this header from Kafka); checked again all the same
        if (!ROUTE.matcher(route).matches()) {
            throw new IllegalArgumentException("route '" + route + "' must match [a-z0-9_]{1,64}");
        }
        return new MongoNamespace(base.getDatabaseName(), base.getCollectionName() + "-" + route);
    }

    private MongoCollection<BsonDocument> collection(MongoNamespace namespace) {
        return client.getDatabase(namespace.getDatabaseName())
                .getCollection(namespace.getCollectionName(), BsonDocument.class);
    }

    /** The documents of one collection in a batch, grouped by {@code _id} in order of first appearance. */
    private static final class NamespaceBatch {
        final MongoNamespace namespace;
        final List<IdGroup> groups = new ArrayList<>();
        final Map<BsonValue, IdGroup> byId = new HashMap<>();

        NamespaceBatch(MongoNamespace namespace) {
            this.namespace = namespace;
        }

        /** {@code element}: the document's index in the event's array, or -1 for an event stored whole. */
        void add(Event event, Converted.Document document, int element) {
            IdGroup group = byId.get(document.id());
            if (group == null) {
                group = new IdGroup(document.id());
                byId.put(document.id(), group);
                groups.add(group);
            }
            group.events.add(event);
            group.documents.add(document);
            group.elements.add(element);
        }
    }

    /**
     * The events of a batch with one {@code _id}, in offset order, and their documents. Only the latest is written, which
     * is what a sequence of replaces would leave; its outcome applies to all of them unless it is refused for good.
     * Compared by identity.
     */
    private static final class IdGroup {
        final BsonValue id;
        final List<Event> events = new ArrayList<>(1);
        final List<Converted.Document> documents = new ArrayList<>(1);
        final List<Integer> elements = new ArrayList<>(1);

        IdGroup(BsonValue id) {
            this.id = id;
        }

        Converted.Document latest() {
            return documents.getLast();
        }

        /** Drops the latest event and its document (refused for good), returning the event. */
        Event removeLast() {
            documents.removeLast();
            elements.removeLast();
            return events.removeLast();
        }
    }
}
