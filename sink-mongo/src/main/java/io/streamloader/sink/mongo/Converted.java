package io.streamloader.sink.mongo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.ByteBuf;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/** What {@link DocumentConverter} made of one event: a document to store, or the reason it cannot be stored. */
sealed interface Converted {

    /**
     * @param id the {@code _id} to write under
     * @param withId the document to insert: the value with {@code _id} as its first field, or the value itself when it
     *     has an {@code _id} of its own
     * @param idAdded whether the first field of {@code withId} is an {@code _id} put there, not part of the value
     */
    record Document(BsonValue id, BsonDocument withId, boolean idAdded) implements Converted {
        private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

        /** The value to store under {@code id}: the document to insert is {@code value} with {@code _id} put first. */
        Document(BsonValue id, BsonDocument value) {
            this(id, withIdFirst(id, value), !value.containsKey("_id"));
        }

        /** The value without the {@code _id} put in front: the replacement of an upsert, which keeps the filter's. */
        BsonDocument document() {
            if (!idAdded) {
                return withId;
            }
            if (!(withId instanceof RawBsonDocument raw)) {
                BsonDocument copy = withId.clone();
                copy.remove("_id");
                return copy;
            }
            ByteBuffer source = raw.getByteBuffer().asNIO();
            int second;
            try (BsonBinaryReader reader = new BsonBinaryReader(source.duplicate())) {
                reader.readStartDocument();
                reader.readBsonType();
                reader.skipName();
                reader.skipValue();
                second = reader.getBsonInput().getPosition();
            }
            byte[] out = new byte[4 + source.limit() - second]; // the length, then the other elements and the 0
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, out.length);
            source.get(second, out, 4, out.length - 4);
            return new RawBsonDocument(out);
        }

        private static BsonDocument withIdFirst(BsonValue id, BsonDocument value) {
            if (value.containsKey("_id")) {
                return value;
            }
            if (!(value instanceof RawBsonDocument raw)) {
                BsonDocument copy = new BsonDocument("_id", id);
                copy.putAll(value);
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
     * A JSON array split into one document per element ({@code arrays: split}); empty for {@code []}, which stores
     * nothing. Element i of the array is document i.
     */
    record Elements(List<Document> documents) implements Converted {
        public Elements {
            documents = List.copyOf(documents);
        }
    }

    /**
     * @param reason for the dead-letter header, naming what is wrong
     * @param errorClass a short stable code
     */
    record Rejected(String reason, String errorClass) implements Converted {}
}
