package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A corpus of hostile Kafka records for the elasticsearch sink: every one must end up stored or dead-lettered with a
 * reason, never failing or stalling the runner. Grow it: add a case to {@link #all()}.
 *
 * <p>Some cases conflict with {@link #MAPPINGS}, which the index under test is created with first, so that the
 * conflicts do not depend on which event Elasticsearch saw first.
 */
final class TestingHostileEvents {
    /** The header each record carries with its case's name; dead letters keep the original headers. */
    static final String CASE_HEADER = "corpus-case";

    /** Mappings of the index under test: good events use only {@code good}/{@code g_*}, hostile ones collide. */
    static final String MAPPINGS = """
            {"mappings":{"properties":{
              "good":{"type":"boolean"},"g_n":{"type":"long"},"g_name":{"type":"text"},
              "h_num":{"type":"long"},"h_date":{"type":"date"},"h_obj":{"type":"object"},
              "h_kw":{"type":"keyword"},"h_bool":{"type":"boolean"},"h_ip":{"type":"ip"}}}}""";

    /**
     * One hostile record.
     *
     * @param name what it is, unique in the corpus
     * @param id the {@code sl-event-id} header, or null for none (the id is then topic-partition-offset)
     * @param value the record value; null for a tombstone
     * @param headers further headers, raw bytes
     */
    record Case(String name, String id, byte[] value, Map<String, byte[]> headers) {
        Case {
            headers = Map.copyOf(headers);
        }
    }

    private TestingHostileEvents() {}

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        // not JSON, not UTF-8, not an object
        json(cases, "not-json", "this is not json");
        bytes(
                cases,
                "invalid-utf8",
                concat("{\"a\":\"".getBytes(UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe}, q("\"}")));
        bytes(cases, "overlong-utf8", concat(q("{\"a\":\""), new byte[] {(byte) 0xc0, (byte) 0xaf}, q("\"}")));
        bytes(cases, "truncated-utf8", concat(q("{\"a\":\""), new byte[] {(byte) 0xe6, (byte) 0x97}, q("\"}")));
        bytes(cases, "utf8-bom", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, q("{\"a\":1}")));
        bytes(cases, "empty-value", new byte[0]);
        bytes(cases, "tombstone", null);
        json(cases, "whitespace-only", " \t\r\n ");
        json(cases, "scalar-number", "42");
        json(cases, "scalar-string", "\"just a string\"");
        json(cases, "scalar-true", "true");
        json(cases, "scalar-null", "null");
        json(cases, "array-of-numbers", "[1,2,3]");
        json(cases, "array-of-objects", "[{\"a\":1},{\"b\":2}]");
        json(
                cases,
                "positional-click",
                "[\"u1\",\"2023-07-01T10:00:00\",\"https://a.example/x\",\"Chile\",\"Santiago\","
                        + "\"Chrome\",\"Linux\",\"desktop\"]");
        json(cases, "truncated-object", "{\"a\":");
        json(cases, "trailing-garbage", "{\"a\":1} xyz");
        json(cases, "two-objects", "{\"a\":1}{\"b\":2}");
        json(cases, "single-quotes", "{'a':1}");
        json(cases, "unquoted-key", "{a:1}");
        json(cases, "comment", "{\"a\":1 /* c */}");
        json(cases, "nan", "{\"a\":NaN}");
        json(cases, "leading-zero", "{\"a\":0123}");
        json(cases, "raw-newline-in-string", "{\"a\":\"line1\nline2\"}");
        json(cases, "pretty-printed", "{\r\n  \"a\": 1,\n  \"b\": [\n 2\n ]\n}\n");
        // NUL bytes and surrogates
        json(cases, "raw-nul-in-string", "{\"a\":\"x\u0000y\"}");
        json(cases, "raw-nul-after-object", "{\"a\":1}\u0000");
        json(cases, "escaped-nul", "{\"h_nul\":\"x\\u0000y\"}"); // own field: "a" may be mapped as a number by then
        json(cases, "nul-in-field-name", "{\"a\\u0000b\":1}");
        json(cases, "lone-high-surrogate", "{\"a\":\"\\ud800\"}");
        json(cases, "lone-low-surrogate", "{\"a\":\"\\udc00x\"}");
        json(cases, "reversed-surrogates", "{\"a\":\"\\udc00\\ud800\"}");
        json(cases, "surrogate-field-name", "{\"\\ud800\":1}");
        // numbers
        json(cases, "number-1e400", "{\"h_big1\":1e400}");
        json(cases, "number-minus-1e400", "{\"h_big2\":-1e400}");
        json(cases, "number-tiny", "{\"h_tiny\":1e-400}");
        json(cases, "number-minus-zero", "{\"h_zero\":-0}");
        json(cases, "number-huge-integer", "{\"h_bigint\":123456789012345678901234567890}");
        json(cases, "number-huge-into-long", "{\"h_num\":123456789012345678901234567890}");
        json(cases, "number-long-digits", "{\"h_digits\":" + "9".repeat(5000) + "}");
        // duplicate keys
        json(cases, "duplicate-key", "{\"a\":1,\"a\":2}");
        json(cases, "duplicate-key-nested", "{\"o\":{\"b\":1,\"b\":{\"c\":1}}}");
        // field names Elasticsearch refuses
        json(cases, "empty-field-name", "{\"\":1}");
        json(cases, "dot-field-name", "{\".\":1}");
        json(cases, "dots-field-name", "{\"...\":1}");
        json(cases, "inner-empty-segment", "{\"a..b\":1}");
        json(cases, "trailing-dot", "{\"a.\":1}");
        json(cases, "blank-field-name", "{\" \":1}");
        for (String meta : List.of(
                "_id", "_source", "_index", "_routing", "_version", "_seq_no", "_field_names", "_ignored", "_doc")) {
            json(cases, "metadata-field" + meta, "{\"" + meta + "\":\"x\"}");
        }
        json(cases, "metadata-field-nested-source", "{\"_source\":{\"enabled\":false}}");
        json(cases, "long-field-name", "{\"" + "n".repeat(40_000) + "\":1}");
        // mapping conflicts (see MAPPINGS) and dynamic-mapping conflicts inside one document
        json(cases, "object-into-long", "{\"h_num\":{\"a\":1}}");
        json(cases, "string-into-long", "{\"h_num\":\"many\"}");
        json(cases, "garbage-date", "{\"h_date\":\"last tuesday\"}");
        json(cases, "impossible-date", "{\"h_date\":\"2024-13-45T99:99:99Z\"}");
        json(cases, "scalar-into-object", "{\"h_obj\":5}");
        json(cases, "string-into-boolean", "{\"h_bool\":\"maybe\"}");
        json(cases, "garbage-ip", "{\"h_ip\":\"999.1.1.1\"}");
        json(cases, "immense-keyword", "{\"h_kw\":\"" + "k".repeat(40_000) + "\"}");
        json(cases, "mixed-array", "{\"h_mixed\":[1,\"x\",{\"b\":1}]}");
        json(cases, "number-then-object-in-one-doc", "{\"h_same\":[1,{\"a\":1}]}");
        // limits
        json(cases, "too-many-fields", manyFields(1_100));
        json(cases, "deep-objects-30", nestedObjects(30));
        json(cases, "deep-objects-5000", nestedObjects(5_000));
        json(cases, "deep-arrays-5000", "{\"h_arr\":" + "[".repeat(5_000) + "1" + "]".repeat(5_000) + "}");
        json(cases, "huge-string", "{\"h_huge\":\"" + "x".repeat(500_000) + "\"}");
        json(cases, "huge-escaped-string", "{\"h_esc\":\"" + "\\u00e9".repeat(100_000) + "\"}");
        json(cases, "long-array", "{\"h_longarr\":[" + "1,".repeat(100_000) + "1]}");
        // odd ids (the sink writes _id = event id) and headers
        Map<String, byte[]> none = Map.of();
        cases.add(new Case("id-513-bytes", "i".repeat(513), q("{\"a\":1}"), none));
        cases.add(new Case("id-512-bytes", "j".repeat(512), q("{\"a\":1}"), none));
        cases.add(new Case("id-171-three-byte-chars", "\u65e5".repeat(171), q("{\"a\":1}"), none));
        cases.add(new Case("id-10k", "k".repeat(10_000), q("{\"a\":1}"), none));
        cases.add(new Case("id-quotes-backslashes", "\"id\\\" \\\\ \n\t{}", q("{\"a\":1}"), none));
        cases.add(new Case("id-unicode", "caf\u00e9-\ud83d\ude00-\u0000", q("{\"a\":1}"), none));
        cases.add(new Case("id-lone-surrogate", "x\ud800y", q("{\"a\":1}"), none));
        cases.add(new Case("id-blank", "   ", q("{\"a\":1}"), none));
        cases.add(new Case("id-underscore", "_all", q("{\"a\":1}"), none));
        cases.add(new Case("id-missing", null, q("{\"a\":1}"), none));
        cases.add(new Case("content-type-text", "ct-text", q("{\"a\":1}"), Map.of("content-type", q("text/plain"))));
        cases.add(new Case(
                "content-type-binary",
                "ct-bin",
                q("{\"a\":1}"),
                Map.of("content-type", q("application/octet-stream"))));
        cases.add(new Case(
                "content-type-params",
                "ct-params",
                q("{\"a\":1}"),
                Map.of("content-type", q("application/json; charset=utf-8"))));
        cases.add(new Case("content-type-garbage", "ct-garbage", q("{\"a\":1}"), Map.of("content-type", new byte[] {
            (byte) 0xff, 0, '/', ';'
        })));
        cases.add(new Case(
                "header-invalid-utf8", "hdr-utf8", q("{\"a\":1}"), Map.of("x-odd", new byte[] {(byte) 0xc3, 0x28})));
        return cases;
    }

    private static void json(List<Case> cases, String name, String value) {
        bytes(cases, name, value.getBytes(UTF_8));
    }

    private static void bytes(List<Case> cases, String name, byte[] value) {
        cases.add(new Case(name, "hostile-" + name, value, Map.of()));
    }

    private static String manyFields(int n) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("\"h_f").append(i).append("\":").append(i);
        }
        return s.append('}').toString();
    }

    private static String nestedObjects(int depth) {
        return "{\"h_deep\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
    }

    private static byte[] q(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The cases by name, in corpus order. */
    static Map<String, Case> byName() {
        Map<String, Case> out = new LinkedHashMap<>();
        all().forEach(c -> out.put(c.name(), c));
        return out;
    }
}
