package io.streamloader.sink.postgresminio;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records no producer should send and every producer eventually does, for the postgres-minio sink: each one must be
 * stored or dead-lettered with a reason, never stall the runner. Add cases at the end of {@link #cases()}; the IT picks
 * them up. Records carry header {@value #CASE_HEADER} with the case's name so that a dead letter can be traced back.
 *
 * <p>Binary cases carry metadata {@code customer_id} and {@code uuid} for the key template {@code {customer_id}/{uuid}}
 * and for the images flow's check constraint; JSON cases meet the test migration {@code hostile/migrations} (integer
 * {@code qty}, {@code numeric(10,2)} {@code price}, {@code name} of at most 100 characters).
 */
final class HostileCorpus {
    static final String CASE_HEADER = "test-case";

    /** What must become of a case; {@link #EITHER} where the sink's configuration decides. */
    enum Expect {
        STORED,
        DEAD_LETTERED,
        EITHER
    }

    /**
     * One hostile record.
     *
     * @param name unique, also the value of header {@value #CASE_HEADER}
     * @param expect its fate
     * @param key the Kafka key, possibly null
     * @param value the Kafka value, possibly null (a tombstone)
     * @param headers the Kafka headers, {@value #CASE_HEADER} excluded; values are raw bytes
     */
    record Case(String name, Expect expect, byte[] key, byte[] value, Map<String, byte[]> headers) {
        /** The event id the pipeline will see, or null when it falls back to topic-partition-offset. */
        String id() {
            byte[] id = headers.get(Event.ID_HEADER);
            String text = id == null ? null : new String(id, StandardCharsets.UTF_8);
            return text == null || text.isBlank() ? null : text;
        }
    }

    static final String GOOD_UUID = "00000000-0000-4000-8000-000000000001";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus() {}

    /** Every case, in a fixed order. */
    static List<Case> cases() {
        HostileCorpus c = new HostileCorpus();
        c.json();
        c.numbers();
        c.ids();
        c.headers();
        c.keyVariables();
        c.blobFields();
        return List.copyOf(c.cases);
    }

    private void json() {
        json("not-json", Expect.DEAD_LETTERED, "not json at all");
        json("truncated-json", Expect.DEAD_LETTERED, "{\"a\":");
        json("trailing-garbage", Expect.DEAD_LETTERED, "{\"a\":1} x");
        byte[] garbage = new byte[512];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xff;
        add("binary-garbage-as-json", Expect.DEAD_LETTERED, null, garbage, headers("h-garbage", "application/json"));
        add(
                "invalid-utf8-in-string",
                Expect.DEAD_LETTERED,
                null,
                bytes("{\"s\":\"", new byte[] {(byte) 0xc3, 0x28, (byte) 0xff}, "\"}"),
                headers("h-utf8", "application/json"));
        json("empty-value", Expect.DEAD_LETTERED, "");
        json("whitespace-value", Expect.DEAD_LETTERED, " \n\t ");
        add("tombstone", Expect.DEAD_LETTERED, null, null, headers("h-tombstone", "application/json"));
        json("scalar-number", Expect.STORED, "42");
        json("scalar-string", Expect.STORED, "\"just a string\"");
        json("scalar-null", Expect.STORED, "null");
        json("scalar-true", Expect.STORED, "true");
        json("array", Expect.STORED, "[1,{\"a\":2},[]]");
        json("huge-string", Expect.STORED, "{\"s\":\"" + "x".repeat(700_000) + "\"}");
        json("huge-name", Expect.DEAD_LETTERED, "{\"name\":\"" + "n".repeat(5000) + "\"}");
        json("deep-array", Expect.DEAD_LETTERED, "[".repeat(50_000) + "]".repeat(50_000));
        json("deep-object", Expect.EITHER, "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        json("duplicate-keys", Expect.STORED, "{\"a\":1,\"a\":2,\"a\":{\"b\":3}}");
        json("nul-escape", Expect.DEAD_LETTERED, "{\"s\":\"a\\u0000b\"}");
        json("nul-escape-in-key", Expect.DEAD_LETTERED, "{\"a\\u0000\":1}");
        add(
                "raw-nul-byte",
                Expect.DEAD_LETTERED,
                null,
                bytes("{\"s\":\"a", new byte[] {0}, "b\"}"),
                headers("h-raw-nul", "application/json"));
        json("lone-high-surrogate", Expect.DEAD_LETTERED, "{\"s\":\"\\ud800\"}");
        json("lone-low-surrogate", Expect.DEAD_LETTERED, "{\"s\":\"x\\udc00y\"}");
        json("reversed-surrogates", Expect.DEAD_LETTERED, "{\"s\":\"\\udc00\\ud800\"}");
        json("control-characters-escaped", Expect.STORED, "{\"s\":\"\\u0001\\u001f\\u007f\"}");
        json("bom-prefixed", Expect.EITHER, "\ufeff{\"a\":1}");
        json("sql-in-values", Expect.STORED, "{\"s\":\"'); drop table events; --\",\"$where\":\"1\"}");
    }

    private void numbers() {
        json("number-1e400", Expect.STORED, "{\"a\":1e400}");
        json("number-minus-zero", Expect.STORED, "{\"a\":-0,\"b\":-0.0}");
        json("number-30-digits", Expect.STORED, "{\"a\":123456789012345678901234567890}");
        json("number-tiny", Expect.STORED, "{\"a\":1e-400}");
        json("number-nan-literal", Expect.DEAD_LETTERED, "{\"a\":NaN}");
        json("qty-30-digits", Expect.DEAD_LETTERED, "{\"qty\":123456789012345678901234567890}");
        json("qty-1e400", Expect.DEAD_LETTERED, "{\"qty\":1e400}");
        json("qty-negative", Expect.DEAD_LETTERED, "{\"qty\":-1}");
        json("qty-text", Expect.DEAD_LETTERED, "{\"qty\":\"many\"}");
        json("qty-int-max-plus-one", Expect.DEAD_LETTERED, "{\"qty\":2147483648}");
        json("price-overflow", Expect.DEAD_LETTERED, "{\"price\":123456789012.5}");
    }

    private void ids() {
        StringBuilder longId = new StringBuilder();
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            longId.append((char) ('a' + random.nextInt(26)));
        }
        add("id-10k-chars", Expect.EITHER, null, utf8("{\"a\":1}"), headers(longId.toString(), "application/json"));
        add("id-nul", Expect.DEAD_LETTERED, null, utf8("{\"a\":1}"), headers("h-a\u0000b", "application/json"));
        add(
                "id-unicode",
                Expect.STORED,
                null,
                utf8("{\"a\":1}"),
                headers("h-\u0438\u0434-\ud83d\ude42", "application/json"));
        add("id-traversal-json", Expect.STORED, null, utf8("{\"a\":1}"), headers("../../h-etc", "application/json"));
        add("id-blank", Expect.STORED, null, utf8("{\"a\":1}"), headers("   ", "application/json"));
        Map<String, byte[]> invalidUtf8 = new LinkedHashMap<>();
        invalidUtf8.put(Event.ID_HEADER, new byte[] {'h', '-', (byte) 0xff, (byte) 0xfe});
        invalidUtf8.put(Event.CONTENT_TYPE_HEADER, utf8("application/json"));
        add("id-invalid-utf8", Expect.STORED, null, utf8("{\"a\":1}"), invalidUtf8);
        Map<String, byte[]> noId = new LinkedHashMap<>();
        noId.put(Event.CONTENT_TYPE_HEADER, utf8("application/json"));
        add("no-id-header", Expect.STORED, null, utf8("{\"a\":1}"), noId);
        // binary: the default key template {topic}/{id} refuses these ids; {customer_id}/{uuid} does not use them
        image("id-traversal-binary", Expect.EITHER, "../../h-bin", "image/png", Map.of());
        image("id-backslash-binary", Expect.EITHER, "h-a\\b", "image/png", Map.of());
    }

    private void headers() {
        image("content-type-odd-parameter", Expect.STORED, "h-ct-x", "image/png; x", Map.of()); // the user's report
        image("content-type-many-odd-parameters", Expect.STORED, "h-ct-params", "image/png;;; a; b=\"", Map.of());
        image("content-type-control", Expect.STORED, "h-ct-ctl", "image/png\u0001", Map.of());
        image("content-type-crlf", Expect.STORED, "h-ct-crlf", "image/png\r\nX-Evil: 1", Map.of());
        image("content-type-non-ascii", Expect.STORED, "h-ct-utf", "image/p\u00e9ng", Map.of());
        image("content-type-nul", Expect.DEAD_LETTERED, "h-ct-nul", "image/png\u0000", Map.of());
        image("content-type-huge", Expect.STORED, "h-ct-huge", "image/png; a=" + "b".repeat(4000), Map.of());
        Map<String, byte[]> noType = new LinkedHashMap<>();
        noType.put(Event.ID_HEADER, utf8("h-no-type"));
        add("content-type-missing", Expect.STORED, null, utf8("{\"a\":1}"), noType);
        add(
                "kafka-key-nul",
                Expect.DEAD_LETTERED,
                new byte[] {'k', 0, 'k'},
                utf8("{\"a\":1}"),
                headers("h-key-nul", "application/json"));
        add(
                "kafka-key-invalid-utf8",
                Expect.STORED,
                new byte[] {(byte) 0xff, (byte) 0xfe},
                utf8("{\"a\":1}"),
                headers("h-key-utf8", "application/json"));
        add(
                "kafka-key-empty",
                Expect.STORED,
                new byte[0],
                utf8("{\"a\":1}"),
                headers("h-key-empty", "application/json"));
        image("meta-nul", Expect.DEAD_LETTERED, "h-meta-nul", "image/png", Map.of("note", "a\u0000b"));
        image("meta-huge", Expect.STORED, "h-meta-huge", "image/png", Map.of("note", "m".repeat(50_000)));
        image("meta-lone-surrogate", Expect.STORED, "h-meta-sur", "image/png", Map.of("note", "\ud800"));
    }

    /** Binary events whose key variables the template must refuse; the images check refuses them too. */
    private void keyVariables() {
        String[] customers = {
            "",
            "..",
            ".",
            "../1",
            "1/2",
            "1\\2",
            "%2e%2e",
            "%2F",
            "\uff0e\uff0e",
            "\u2025",
            "1\u2215",
            "1\u0001",
            "\u202e1",
            "1\u200b",
            "\ud800",
            "9".repeat(2000),
            "1\n2"
        };
        for (int i = 0; i < customers.length; i++) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("customer_id", customers[i]);
            meta.put("uuid", GOOD_UUID);
            image("customer-id-hostile-" + i, Expect.DEAD_LETTERED, "h-cust-" + i, "image/png", meta, false);
        }
        image(
                "customer-id-missing",
                Expect.DEAD_LETTERED,
                "h-cust-missing",
                "image/png",
                Map.of("uuid", GOOD_UUID),
                false);
        image("uuid-missing", Expect.DEAD_LETTERED, "h-uuid-missing", "image/png", Map.of("customer_id", "1"), false);
        image(
                "uuid-not-a-uuid",
                Expect.DEAD_LETTERED,
                "h-uuid-bad",
                "image/png",
                Map.of("customer_id", "1", "uuid", "x"),
                false);
        image(
                "uuid-traversal",
                Expect.DEAD_LETTERED,
                "h-uuid-trav",
                "image/png",
                Map.of("customer_id", "1", "uuid", "../../" + GOOD_UUID),
                false);
        image(
                "customer-id-out-of-int-range",
                Expect.DEAD_LETTERED,
                "h-cust-big",
                "image/png",
                Map.of("customer_id", "123456789012345678901234567890", "uuid", GOOD_UUID),
                false);
    }

    /** JSON events with a base64 blob field {@code image_data}: a blob only where {@code blob.fields} names it. */
    private void blobFields() {
        String png = Base64.getEncoder().encodeToString(PNG);
        json(
                "blob-not-base64",
                Expect.EITHER,
                "{\"customer_id\":1,\"uuid\":\"" + GOOD_UUID + "\",\"image_data\":\"%%%\"}");
        json("blob-a-number", Expect.EITHER, "{\"customer_id\":1,\"uuid\":\"" + GOOD_UUID + "\",\"image_data\":5}");
        json(
                "blob-customer-object",
                Expect.EITHER,
                "{\"customer_id\":{\"x\":1},\"uuid\":\"u\",\"image_data\":\"" + png + "\"}");
        json(
                "blob-customer-traversal",
                Expect.EITHER,
                "{\"customer_id\":\"..\",\"uuid\":\"u\",\"image_data\":\"" + png + "\"}");
        json("blob-uuid-1e400", Expect.EITHER, "{\"customer_id\":1,\"uuid\":1e400,\"image_data\":\"" + png + "\"}");
        json(
                "blob-with-nul",
                Expect.DEAD_LETTERED,
                "{\"customer_id\":1,\"uuid\":\"" + GOOD_UUID + "\",\"note\":\"\\u0000\",\"image_data\":\"" + png
                        + "\"}");
    }

    private void json(String name, Expect expect, String value) {
        add(name, expect, null, utf8(value), headers("h-" + name, "application/json"));
    }

    private void image(String name, Expect expect, String id, String contentType, Map<String, String> extraMeta) {
        image(name, expect, id, contentType, extraMeta, true);
    }

    private void image(
            String name, Expect expect, String id, String contentType, Map<String, String> meta, boolean withIdentity) {
        Map<String, byte[]> headers = headers(id, contentType);
        if (withIdentity) {
            headers.put("meta.customer_id", utf8("1"));
            // one object per case under {customer_id}/{uuid}
            headers.put(
                    "meta.uuid",
                    utf8(java.util.UUID.nameUUIDFromBytes(utf8(name)).toString()));
        }
        meta.forEach((k, v) -> headers.put("meta." + k, utf8(v)));
        add(name, expect, null, PNG, headers);
    }

    private void add(String name, Expect expect, byte[] key, byte[] value, Map<String, byte[]> headers) {
        cases.add(new Case(name, expect, key, value, headers));
    }

    private static Map<String, byte[]> headers(String id, String contentType) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(Event.ID_HEADER, utf8(id));
        headers.put(Event.CONTENT_TYPE_HEADER, utf8(contentType));
        return headers;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] a = utf8(before);
        byte[] c = utf8(after);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }
}
