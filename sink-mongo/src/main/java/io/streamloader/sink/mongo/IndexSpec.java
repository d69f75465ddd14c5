package io.streamloader.sink.mongo;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;

/**
 * One index declared under {@code indexes.<name>.*}, created when the sink starts (for collections known then) or
 * when it first writes to a collection the index applies to.
 *
 * @param name the index name in MongoDB, also its config key segment
 * @param collection the only collection it applies to; every collection the sink writes when empty
 * @param keys the key document, e.g. {@code {"homeTeam.id": 1, "utcDate": -1}}
 * @param unique whether a second document with the same key is rejected (such events go to the dead-letter topic)
 * @param sparse whether documents without the key fields are left out
 * @param expireAfter TTL: documents expire this long after the date in the (single) key field
 * @param partialFilter only documents matching this filter are indexed
 */
public record IndexSpec(
        String name,
        Optional<String> collection,
        BsonDocument keys,
        boolean unique,
        boolean sparse,
        Optional<Duration> expireAfter,
        Optional<BsonDocument> partialFilter) {

    public IndexSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(collection, "collection");
        keys = keys.clone();
        Objects.requireNonNull(expireAfter, "expireAfter");
        partialFilter = partialFilter.map(BsonDocument::clone);
    }

    /** Whether the index belongs on {@code collectionName}. */
    public boolean appliesTo(String collectionName) {
        return collection.map(collectionName::equals).orElse(true);
    }

    public IndexModel model() {
        IndexOptions options = new IndexOptions().name(name).unique(unique).sparse(sparse);
        expireAfter.ifPresent(ttl -> options.expireAfter(ttl.toSeconds(), TimeUnit.SECONDS));
        partialFilter.ifPresent(options::partialFilterExpression);
        return new IndexModel(keys, options);
    }
}
