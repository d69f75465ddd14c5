package io.streamloader.sink.mongo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.ByteBuf;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/** What {@link DocumentConverter} made of one event: a document to store, or the reason it cannot be stored. */
sealed interface Converted {

    /**
     * @param id the {@code _id} to write under
     * @param document the replacement document (a {@link org.bson.RawBsonDocument} unless fields were rewritten)
     */
    record Document(BsonValue id, BsonDocument document) implements Converted {
        private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

        /** The document to insert: {@link #document()} with {@code _id} as its first field, unless it has one. */
        BsonDocument withId() {
            if (document.containsKey("_id")) {
                return document;
            }
            if (!(document instanceof RawBsonDocument raw)) {
                BsonDocument copy = new BsonDocument("_id", id);
                copy.putAll(document);
                return copy;
            }
            // splice the _id element in front of the raw bytes: no decoding and re-encoding of the value
            ByteBuf idBytes = new RawBsonDocument(new BsonDocument("_id", id), CODEC).getByteBuffer();
            int idElement = idBytes.remaining() - 5; // minus the int32 length and the trailing 0
            ByteBuffer source = raw.getByteBuffer().asNIO();
            int length = source.remaining();
            byte[] out = new byte[idElement + length];
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, out.length);
            idBytes.asNIO().get(4, out, 4, idElement);
            source.get(source.position() + 4, out, 4 + idElement, length - 4); // elements and the trailing 0
            return new RawBsonDocument(out);
        }
    }

    /**
     * @param reason for the dead-letter header, naming what is wrong
     * @param errorClass a short stable code
     */
    record Rejected(String reason, String errorClass) implements Converted {}
}
