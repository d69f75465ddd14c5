package io.streamloader.sink.mongo;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/** What {@link DocumentConverter} made of one event: a document to store, or the reason it cannot be stored. */
sealed interface Converted {

    /**
     * @param id the {@code _id} to write under
     * @param document the replacement document (a {@link org.bson.RawBsonDocument} unless fields were rewritten)
     */
    record Document(BsonValue id, BsonDocument document) implements Converted {}

    /**
     * @param reason for the dead-letter header, naming what is wrong
     * @param errorClass a short stable code
     */
    record Rejected(String reason, String errorClass) implements Converted {}
}
