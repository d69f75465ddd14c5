package io.streamloader.core.transform;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * {@code decode} with {@code format: msgpack-zlib}: turns a record written straight to Kafka by seed 003's producer
 * (zlib of a msgpack map such as {@code {uuid: bin16, customer_id: int, sent_at: float64, image_data: bin}}) into the
 * event an HTTP upload makes: the value is the map's {@code blob-field} bytes, the content type comes from their magic
 * bytes (PNG, JPEG, GIF, WebP; else {@code content-type}, default {@code application/octet-stream}), and every other
 * entry becomes header {@code meta.<name>} (16-byte binaries as UUID text, other binaries as base64, floats in plain
 * decimal). {@code id-field} optionally names the entry that becomes the event id.
 *
 * <p>Only records without a {@code content-type} header are decoded (the original producer sets none; producer-api
 * always does), so HTTP uploads to the same topic pass unchanged. Failures (not zlib, inflating past {@code
 * max-inflated-bytes}, truncated or malformed msgpack, missing blob, bad metadata) are per event.
 */
final class Decode implements Transform {
    static final String TYPE = "decode";

    static final String META_PREFIX = "meta.";
    private static final Pattern META_NAME = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final int MAX_ENTRIES = 33; // 32 metadata entries, as producer-api allows, plus the blob
    private static final int MAX_META_VALUE = 1024;
    static final long DEFAULT_MAX_INFLATED = 64L << 20;

    private final String blobField;
    private final String idField;
    private final String fallbackContentType;
    private final long maxInflated;

    private Decode(String blobField, String idField, String fallbackContentType, long maxInflated) {
        this.blobField = blobField;
        this.idField = idField;
        this.fallbackContentType = fallbackContentType;
        this.maxInflated = maxInflated;
    }

    @Override
    public Event apply(Event event) throws IOException {
        if (event.headers().containsKey(Event.CONTENT_TYPE_HEADER)) {
            return event;
        }
        byte[] plain = inflate(event.value());
        Map<String, String> headers = new LinkedHashMap<>(event.headers());
        byte[] blob;
        try {
            blob = unpack(plain, headers);
        } catch (MessagePackException e) {
            throw new IllegalArgumentException("msgpack is malformed or truncated: " + e.getMessage());
        }
        return withBlob(event, blob, headers);
    }

    /** Reads the map: metadata into {@code headers}; returns the blob. */
    private byte[] unpack(byte[] plain, Map<String, String> headers) throws IOException {
        byte[] blob = null;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(plain)) {
            if (!in.hasNext() || in.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
                throw new IllegalArgumentException("msgpack value is not a map");
            }
            int entries = in.unpackMapHeader();
            if (entries > MAX_ENTRIES) {
                throw new IllegalArgumentException("msgpack map has " + entries + " entries, at most " + MAX_ENTRIES);
            }
            for (int i = 0; i < entries; i++) {
                if (in.getNextFormat().getValueType() != org.msgpack.value.ValueType.STRING) {
                    throw new IllegalArgumentException("msgpack map key #" + i + " is not a string");
                }
                String name = new String(payload(in, in.unpackRawStringHeader(), plain.length), StandardCharsets.UTF_8);
                if (name.equals(blobField)) {
                    if (in.getNextFormat().getValueType() != org.msgpack.value.ValueType.BINARY || blob != null) {
                        throw new IllegalArgumentException("'" + blobField + "' must be one msgpack binary");
                    }
                    blob = payload(in, in.unpackBinaryHeader(), plain.length);
                    continue;
                }
                String meta = name.toLowerCase(java.util.Locale.ROOT);
                if (!META_NAME.matcher(meta).matches()) {
                    throw new IllegalArgumentException(
                            "metadata name '" + abbreviate(name) + "' must match [a-z0-9_.-]{1,64}");
                }
                String value = scalar(in, meta, plain.length);
                if (value != null && headers.put(META_PREFIX + meta, value) != null) {
                    throw new IllegalArgumentException("metadata '" + meta + "' is given twice");
                }
            }
            if (in.hasNext()) {
                throw new IllegalArgumentException("bytes follow the msgpack map");
            }
        }
        if (blob == null) {
            throw new IllegalArgumentException("msgpack map has no '" + blobField + "' binary");
        }
        return blob;
    }

    private Event withBlob(Event event, byte[] blob, Map<String, String> headers) {
        String id = event.id();
        if (idField != null) {
            id = headers.get(META_PREFIX + idField);
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("msgpack map has no '" + idField + "' for the event id");
            }
        }
        String type = MagicTypes.of(blob).orElse(fallbackContentType);
        headers.put(Event.CONTENT_TYPE_HEADER, type);
        return event.toBuilder()
                .id(id)
                .value(blob)
                .headers(headers)
                .contentType(type)
                .build();
    }

    /** A metadata value as text; null for nil. */
    private static String scalar(MessageUnpacker in, String name, int total) throws IOException {
        MessageFormat format = in.getNextFormat();
        String text = switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                yield null;
            }
            case BOOLEAN -> Boolean.toString(in.unpackBoolean());
            case INTEGER ->
                format == MessageFormat.UINT64 ? in.unpackBigInteger().toString() : Long.toString(in.unpackLong());
            case FLOAT -> {
                double d = in.unpackDouble();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("metadata '" + name + "' is " + d);
                }
                yield BigDecimal.valueOf(d).toPlainString();
            }
            case STRING -> strictUtf8(payload(in, in.unpackRawStringHeader(), total), name);
            case BINARY -> {
                byte[] bytes = payload(in, in.unpackBinaryHeader(), total);
                if (bytes.length == 16) {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    yield new UUID(b.getLong(), b.getLong()).toString();
                }
                yield Base64.getEncoder().encodeToString(bytes);
            }
            default ->
                throw new IllegalArgumentException(
                        "metadata '" + name + "' is a msgpack " + format.getValueType() + "; only scalars are allowed");
        };
        if (text != null && (text.length() > MAX_META_VALUE || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new IllegalArgumentException("metadata '" + name + "' must be at most " + MAX_META_VALUE
                    + " characters without control characters");
        }
        return text;
    }

    /** Reads a declared length only when that many bytes are left: a forged header must not allocate gigabytes. */
    private static byte[] payload(MessageUnpacker in, int length, int total) throws IOException {
        long left = total - in.getTotalReadBytes();
        if (length < 0 || length > left) {
            throw new IllegalArgumentException(
                    "msgpack is truncated: declares " + Integer.toUnsignedString(length) + " bytes, " + left + " left");
        }
        return in.readPayload(length);
    }

    private static String strictUtf8(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("metadata '" + name + "' is not valid UTF-8");
        }
    }

    /** Inflates at most {@code maxInflated} bytes: a zip bomb is refused, not expanded. */
    private byte[] inflate(ByteBuffer compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.remaining() * 2 + 64, 1 << 20));
            byte[] buffer = new byte[64 << 10];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("zlib stream is truncated or needs a preset dictionary");
                }
                if (out.size() + (long) n > maxInflated) {
                    throw new IllegalArgumentException(
                            "value inflates to more than max-inflated-bytes (" + maxInflated + " bytes)");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("value is not a zlib stream: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    static final class Factory implements TransformFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Transform create(Map<String, String> config) {
            StepConfig c = new StepConfig(config);
            c.oneOf("format", "msgpack-zlib");
            if (!c.has("format")) {
                c.problem("format", "is required: msgpack-zlib (zlib of a msgpack map, as seed 003's producer writes)");
            }
            String blob = c.string("blob-field", "image_data");
            String id = c.optional("id-field").filter(s -> !s.isBlank()).orElse(null);
            String type = c.string("content-type", "application/octet-stream");
            long max = DEFAULT_MAX_INFLATED;
            String maxText = c.string("max-inflated-bytes", "");
            if (!maxText.isBlank()) {
                try {
                    max = io.streamloader.core.config.ByteSizes.parse(maxText);
                    if (max < 1) {
                        c.problem("max-inflated-bytes", "must be at least 1 byte");
                    }
                } catch (IllegalArgumentException e) {
                    c.problem("max-inflated-bytes", e.getMessage());
                }
            }
            if (id != null && !META_NAME.matcher(id).matches()) {
                c.problem("id-field", "must match [a-z0-9_.-]{1,64}");
            }
            c.finish();
            return new Decode(blob, id, type, max);
        }
    }
}
