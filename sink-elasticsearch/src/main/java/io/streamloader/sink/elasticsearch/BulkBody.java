package io.streamloader.sink.elasticsearch;

import io.streamloader.spi.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code _bulk} request being built: NDJSON {@code index} actions followed by the documents' bytes as they came
 * from Kafka, and the events in the order of their actions (the order of the response's items). Not thread-safe.
 */
final class BulkBody {
    private static final byte[] ID = "\",\"_id\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] END_ACTION = "}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final List<Event> events = new ArrayList<>();
    private byte[] bytes;
    private int size;
    private int[] starts = new int[16]; // where each event's action line begins, to split a refused request

    private BulkBody(byte[] bytes, int size) {
        this.bytes = bytes;
        this.size = size;
    }

    BulkBody(int initialCapacity) {
        this.bytes = new byte[Math.max(initialCapacity, 1024)];
    }

    /**
     * Appends an index action and its document, unless the document has a raw line break and is not one JSON object.
     *
     * @param actionPrefix {@code {"index":{"_index":"<index>} without the closing quote (see {@link #actionPrefix})
     * @param quotedId the event id as a JSON string literal
     * @param doc the document; the whole remaining buffer is copied
     * @return false, with nothing appended, for a document with a raw line break that is not valid JSON
     */
    boolean add(Event event, byte[] actionPrefix, byte[] quotedId, ByteBuffer doc) {
        int docLength = doc.remaining();
        if (events.size() == starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
        }
        int start = size;
        ensure(actionPrefix.length + ID.length + quotedId.length + END_ACTION.length + docLength + 1);
        put(actionPrefix);
        put(ID);
        put(quotedId);
        put(END_ACTION);
        int docStart = size;
        doc.get(doc.position(), bytes, size, docLength); // absolute: leaves doc as it was, for the check below
        size += docLength;
        // NDJSON frames one document per line. Outside strings a raw line break is whitespace, so a space keeps the
        // document's meaning; inside a string it is invalid JSON, which a space would silently repair into a different
        // document. So the rare document with a line break is checked, and refused unless it is valid JSON.
        boolean lineBreaks = false;
        for (int i = docStart; i < size; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                lineBreaks = true;
                bytes[i] = ' ';
            }
        }
        if (lineBreaks && Json.syntaxError(doc) != null) {
            size = start;
            return false;
        }
        bytes[size++] = '\n';
        starts[events.size()] = start;
        events.add(event);
        return true;
    }

    /**
     * A new body holding the actions and documents of events {@code from} (inclusive) to {@code to} (exclusive), byte
     * for byte as this one has them. For the rare request Elasticsearch refuses as a whole.
     */
    BulkBody slice(int from, int to) {
        int begin = starts[from];
        int end = to == events.size() ? size : starts[to];
        BulkBody part = new BulkBody(Arrays.copyOfRange(bytes, begin, end), end - begin);
        part.events.addAll(events.subList(from, to));
        part.starts = new int[Math.max(to - from, 1)];
        for (int i = from; i < to; i++) {
            part.starts[i - from] = starts[i] - begin;
        }
        return part;
    }

    /** Bytes one more document would add, besides its own length. */
    static int overhead(byte[] actionPrefix, byte[] quotedId) {
        return actionPrefix.length + ID.length + quotedId.length + END_ACTION.length + 1;
    }

    static byte[] actionPrefix(String index) {
        String quoted = Json.quoteToString(index);
        return ("{\"index\":{\"_index\":" + quoted.substring(0, quoted.length() - 1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    List<Event> events() {
        return events;
    }

    int docs() {
        return events.size();
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    private void put(byte[] b) {
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
