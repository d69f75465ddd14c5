package io.streamloader.sink.mongo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A growing corpus of event values that a MongoDB sink must survive: each is either stored or dead-lettered with a
 * reason, never an exception out of the sink, a stuck runner or an endless retry. {@link Fate} says what MongoDB
 * itself would do with it (so the sink must refuse, client-side, what the lenient test server would accept); {@link
 * Fate#EITHER} where both are defensible. Add to it when a new hostile shape turns up.
 */
final class TestingHostileEvents {

    /** What must become of a sample. */
    enum Fate {
        /** Stored as a document. */
        STORED,
        /** Dead-lettered with a reason. */
        REFUSED,
        /** Stored or dead-lettered; never lost, never fatal. */
        EITHER
    }

    /** One hostile value, named for the test report. */
    record Sample(String name, byte[] value, Fate fate) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** 100 levels of nesting is MongoDB's documented limit; the top-level document is the first. */
    static final int MONGO_MAX_DEPTH = 100;

    private TestingHostileEvents() {}

    static List<Sample> all() {
        List<Sample> out = new ArrayList<>();
        notJsonObjects(out);
        numbersAndStrings(out);
        extendedJson(out);
        fieldNames(out);
        ids(out);
        depthAndSize(out);
        return List.copyOf(out);
    }

    private static void add(List<Sample> out, String name, String json, Fate fate) {
        out.add(new Sample(name, json.getBytes(StandardCharsets.UTF_8), fate));
    }

    private static void addBytes(List<Sample> out, String name, byte[] value, Fate fate) {
        out.add(new Sample(name, value, fate));
    }

    private static void notJsonObjects(List<Sample> out) {
        addBytes(out, "empty value", new byte[0], Fate.REFUSED);
        add(out, "white space only", " \n\t ", Fate.REFUSED);
        add(out, "not JSON", "hello, world", Fate.REFUSED);
        addBytes(out, "binary garbage", HexFormat.of().parseHex("00ff10fe7b22613a"), Fate.REFUSED);
        addBytes(out, "invalid UTF-8 in a string", bytes("7b2261223a22c328227d"), Fate.REFUSED);
        addBytes(out, "invalid UTF-8 in a name", bytes("7b22ff223a317d"), Fate.REFUSED);
        addBytes(out, "UTF-16 encoded object", "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE), Fate.REFUSED);
        add(out, "JSON string", "\"just a string\"", Fate.REFUSED);
        add(out, "JSON number", "42", Fate.REFUSED);
        add(out, "JSON true", "true", Fate.REFUSED);
        add(out, "JSON null", "null", Fate.REFUSED);
        add(out, "JSON array", "[{\"a\":1}]", Fate.REFUSED);
        add(out, "unclosed object", "{\"a\":1", Fate.REFUSED);
        add(out, "unclosed string", "{\"a\":\"b}", Fate.REFUSED);
        add(out, "two objects", "{\"a\":1}{\"b\":2}", Fate.REFUSED);
        add(out, "trailing comma", "{\"a\":1,}", Fate.EITHER);
        add(out, "single quotes", "{'a':'b'}", Fate.EITHER);
        add(out, "unquoted name", "{a:1}", Fate.EITHER);
        add(out, "comment", "{/* c */\"a\":1}", Fate.EITHER);
        add(out, "bare word value", "{\"a\":nope}", Fate.REFUSED);
        add(out, "control character in a string", "{\"a\":\"x\u0001y\"}", Fate.EITHER);
        add(out, "bad escape", "{\"a\":\"\\q\"}", Fate.EITHER);
        add(out, "short unicode escape", "{\"a\":\"\\u12\"}", Fate.REFUSED);
        add(out, "non-hex unicode escape", "{\"a\":\"\\uzzzz\"}", Fate.REFUSED);
    }

    private static void numbersAndStrings(List<Sample> out) {
        add(out, "1e400", "{\"n\":1e400}", Fate.EITHER);
        add(out, "-1e400", "{\"n\":-1e400}", Fate.EITHER);
        add(out, "1e-400", "{\"n\":1e-400}", Fate.STORED);
        add(out, "-0", "{\"n\":-0}", Fate.STORED);
        add(out, "-0.0", "{\"n\":-0.0}", Fate.STORED);
        add(out, "30-digit integer", "{\"n\":123456789012345678901234567890}", Fate.EITHER);
        add(out, "2^63", "{\"n\":9223372036854775808}", Fate.EITHER);
        add(out, "-2^63", "{\"n\":-9223372036854775808}", Fate.STORED);
        add(out, "1000-digit integer", "{\"n\":" + "9".repeat(1000) + "}", Fate.EITHER);
        add(out, "leading zeros", "{\"n\":007}", Fate.EITHER);
        add(out, "NaN literal", "{\"n\":NaN}", Fate.EITHER);
        add(out, "Infinity literal", "{\"n\":Infinity}", Fate.EITHER);
        add(out, "hex literal", "{\"n\":0x10}", Fate.EITHER);
        add(out, "NUL in a string", "{\"s\":\"a\\u0000b\"}", Fate.STORED);
        add(out, "raw NUL byte in a string", "{\"s\":\"a\u0000b\"}", Fate.EITHER);
        add(out, "lone high surrogate", "{\"s\":\"\\ud800\"}", Fate.EITHER);
        add(out, "lone low surrogate", "{\"s\":\"\\udc00x\"}", Fate.EITHER);
        add(out, "reversed surrogates", "{\"s\":\"\\udc00\\ud800\"}", Fate.EITHER);
        add(out, "surrogate pair", "{\"s\":\"\\ud83d\\ude00\"}", Fate.STORED);
        add(out, "1 MB string", "{\"s\":\"" + "x".repeat(1 << 20) + "\"}", Fate.STORED);
        // MongoDB: "inserting these documents into MongoDB isn't supported even if the insert succeeds"
        add(out, "duplicate keys", "{\"a\":1,\"a\":2}", Fate.REFUSED);
        add(out, "duplicate keys, one escaped", "{\"a\":1,\"\\u0061\":2}", Fate.REFUSED);
        add(out, "duplicate nested keys", "{\"a\":{\"b\":1,\"c\":2,\"b\":3}}", Fate.REFUSED);
        add(out, "duplicate keys in an array's object", "{\"l\":[1,{\"x\":1,\"x\":1}]}", Fate.REFUSED);
        add(out, "duplicate keys beside extended JSON", "{\"d\":{\"$date\":0},\"d\":1}", Fate.REFUSED);
        add(out, "duplicate _id keys", "{\"x\":1,\"_id\":1,\"_id\":2}", Fate.REFUSED);
        add(out, "same names in sibling objects", "{\"a\":{\"x\":1},\"b\":{\"x\":1},\"x\":[{\"x\":1}]}", Fate.STORED);
        add(out, "100000 escapes", "{\"s\":\"" + "\\n".repeat(100_000) + "\"}", Fate.STORED);
    }

    /**
     * Odd extended JSON that MongoDB itself takes: a {@code $binary} that is no wrapper (stored as a sub-document with
     * {@code $}-prefixed names), and regular-expression options the server does not check on insert.
     */
    private static final java.util.Set<String> LENIENT = java.util.Set.of(
            "$binary number", "$binary legacy bad type", "$regularExpression bad options", "$regex legacy bad options");

    private static void extendedJson(List<Sample> out) {
        String[][] bad = {
            {"$oid of 2 chars", "{\"$oid\":\"zz\"}"},
            {"$oid of 24 non-hex chars", "{\"$oid\":\"zzzzzzzzzzzzzzzzzzzzzzzz\"}"},
            {"$oid of 23 chars", "{\"$oid\":\"0123456789abcdef0123456\"}"},
            {"$oid number", "{\"$oid\":12}"},
            {"$oid object", "{\"$oid\":{\"a\":1}}"},
            {"$oid null", "{\"$oid\":null}"},
            {"$date bad string", "{\"$date\":\"not a date\"}"},
            {"$date month 13", "{\"$date\":\"2024-13-45T99:99:99Z\"}"},
            {"$date empty string", "{\"$date\":\"\"}"},
            {"$date 1e400", "{\"$date\":1e400}"},
            {"$date huge integer", "{\"$date\":123456789012345678901234567890}"},
            {"$date boolean", "{\"$date\":true}"},
            {"$date null", "{\"$date\":null}"},
            {"$date array", "{\"$date\":[1]}"},
            {"$date empty object", "{\"$date\":{}}"},
            {"$date $numberLong text", "{\"$date\":{\"$numberLong\":\"soon\"}}"},
            {"$date $numberLong number", "{\"$date\":{\"$numberLong\":12}}"},
            {"$date $numberLong too big", "{\"$date\":{\"$numberLong\":\"99999999999999999999\"}}"},
            {"$date other object", "{\"$date\":{\"x\":1}}"},
            {"$numberLong text", "{\"$numberLong\":\"abc\"}"},
            {"$numberLong too big", "{\"$numberLong\":\"99999999999999999999\"}"},
            {"$numberLong fraction", "{\"$numberLong\":\"1.5\"}"},
            {"$numberLong number", "{\"$numberLong\":1}"},
            {"$numberLong null", "{\"$numberLong\":null}"},
            {"$numberInt text", "{\"$numberInt\":\"abc\"}"},
            {"$numberInt too big", "{\"$numberInt\":\"2147483648\"}"},
            {"$numberInt object", "{\"$numberInt\":{}}"},
            {"$numberDouble text", "{\"$numberDouble\":\"abc\"}"},
            {"$numberDouble number", "{\"$numberDouble\":1.5}"},
            {"$numberDecimal text", "{\"$numberDecimal\":\"abc\"}"},
            {"$numberDecimal out of range", "{\"$numberDecimal\":\"1e99999\"}"},
            {"$numberDecimal too many digits", "{\"$numberDecimal\":\"" + "1".repeat(100) + "\"}"},
            {"$numberDecimal number", "{\"$numberDecimal\":1}"},
            {"$binary bad base64", "{\"$binary\":{\"base64\":\"!!!!\",\"subType\":\"00\"}}"},
            {"$binary bad subtype", "{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"zz\"}}"},
            {"$binary subtype 300", "{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"300\"}}"},
            {"$binary missing base64", "{\"$binary\":{\"subType\":\"00\"}}"},
            {"$binary number", "{\"$binary\":5}"},
            {"$binary legacy bad base64", "{\"$binary\":\"!!!\",\"$type\":\"00\"}"},
            {"$binary legacy bad type", "{\"$binary\":\"AAAA\",\"$type\":\"qq\"}"},
            {"$binary uuid subtype of 3 bytes", "{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"04\"}}"},
            {"$binary md5 subtype of 3 bytes", "{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"05\"}}"},
            {"$uuid bad", "{\"$uuid\":\"not-a-uuid\"}"},
            {"$uuid empty", "{\"$uuid\":\"\"}"},
            {"$uuid number", "{\"$uuid\":7}"},
            {"$uuid too long", "{\"$uuid\":\"00000000-0000-0000-0000-0000000000000\"}"},
            {"$regularExpression pattern number", "{\"$regularExpression\":{\"pattern\":1,\"options\":\"\"}}"},
            {"$regularExpression bad options", "{\"$regularExpression\":{\"pattern\":\"a\",\"options\":\"zq\"}}"},
            {"$regularExpression missing options", "{\"$regularExpression\":{\"pattern\":\"a\"}}"},
            {"$regularExpression NUL in pattern", "{\"$regularExpression\":{\"pattern\":\"a\\u0000\",\"options\":\"\"}}"
            },
            {"$regex legacy bad options", "{\"$regex\":\"a\",\"$options\":\"!\"}"},
            {"$timestamp negative", "{\"$timestamp\":{\"t\":-1,\"i\":1}}"},
            {"$timestamp too big", "{\"$timestamp\":{\"t\":4294967296,\"i\":1}}"},
            {"$timestamp text", "{\"$timestamp\":{\"t\":\"x\",\"i\":1}}"},
            {"$timestamp empty", "{\"$timestamp\":{}}"},
            {"$timestamp number", "{\"$timestamp\":5}"},
            {"$code number", "{\"$code\":1}"},
            {"$code bad scope", "{\"$code\":\"f()\",\"$scope\":1}"},
            {"$symbol number", "{\"$symbol\":1}"},
            {"$minKey 0", "{\"$minKey\":0}"},
            {"$minKey text", "{\"$minKey\":\"x\"}"},
            {"$maxKey 2", "{\"$maxKey\":2}"},
            {"$maxKey null", "{\"$maxKey\":null}"},
            {"$undefined false", "{\"$undefined\":false}"},
            {"$dbPointer bad $id", "{\"$dbPointer\":{\"$ref\":\"c\",\"$id\":{\"$oid\":\"zz\"}}}"},
            {"$dbPointer number", "{\"$dbPointer\":1}"},
            {"$dbPointer ref number", "{\"$dbPointer\":{\"$ref\":1,\"$id\":{\"$oid\":\"5f0000000000000000000000\"}}}"},
        };
        for (String[] sample : bad) {
            Fate fate = LENIENT.contains(sample[0]) ? Fate.EITHER : Fate.REFUSED;
            // at the top of a field, inside an array, and after a plain field (the fast path hands over mid-object)
            add(out, sample[0], "{\"a\":" + sample[1] + "}", fate);
            add(out, sample[0] + " in an array", "{\"ok\":1,\"list\":[1," + sample[1] + "]}", fate);
        }
        add(out, "unknown $foo", "{\"a\":{\"$foo\":1}}", Fate.EITHER);
        add(out, "unknown $foo after a field", "{\"a\":{\"b\":1,\"$foo\":1}}", Fate.EITHER);
        add(out, "$oid with extra field", "{\"a\":{\"$oid\":\"5f0000000000000000000000\",\"x\":1}}", Fate.EITHER);
        add(out, "$date with extra field", "{\"a\":{\"$date\":\"2024-05-01T12:00:00Z\",\"x\":1}}", Fate.EITHER);
        add(out, "valid $oid", "{\"a\":{\"$oid\":\"5f0000000000000000000000\"}}", Fate.STORED);
        add(out, "valid $date", "{\"a\":{\"$date\":\"2024-05-01T12:00:00Z\"}}", Fate.STORED);
        add(out, "valid $numberDecimal", "{\"a\":{\"$numberDecimal\":\"1.5\"}}", Fate.STORED);
        add(out, "valid $binary", "{\"a\":{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"00\"}}}", Fate.STORED);
        add(out, "valid $uuid", "{\"a\":{\"$uuid\":\"00112233-4455-6677-8899-aabbccddeeff\"}}", Fate.STORED);
        add(out, "valid $minKey", "{\"a\":{\"$minKey\":1}}", Fate.STORED);
    }

    private static void fieldNames(List<Sample> out) {
        add(out, "$-prefixed top-level name", "{\"$set\":{\"a\":1}}", Fate.REFUSED);
        add(out, "$-prefixed top-level name after a field", "{\"a\":1,\"$inc\":{\"n\":1}}", Fate.REFUSED);
        add(out, "top-level $oid", "{\"$oid\":\"5f0000000000000000000000\"}", Fate.REFUSED);
        add(out, "bare $", "{\"$\":1}", Fate.REFUSED);
        add(out, "NUL in a name", "{\"a\\u0000b\":1}", Fate.REFUSED);
        add(out, "NUL in a nested name", "{\"a\":{\"b\\u0000\":1}}", Fate.REFUSED);
        add(out, "raw NUL byte in a name", "{\"a\u0000b\":1}", Fate.REFUSED);
        add(out, "empty name", "{\"\":1}", Fate.EITHER);
        add(out, "empty nested name", "{\"a\":{\"\":1}}", Fate.EITHER);
        add(out, "dotted name", "{\"a.b\":1}", Fate.EITHER);
        add(out, "name of 100000 chars", "{\"" + "n".repeat(100_000) + "\":1}", Fate.EITHER);
        add(out, "100000 fields", fields(100_000), Fate.STORED);
    }

    private static void ids(List<Sample> out) {
        add(out, "own _id", "{\"_id\":\"mine\",\"a\":1}", Fate.EITHER);
        add(out, "array _id", "{\"_id\":[1,2]}", Fate.REFUSED);
        add(out, "regex _id", "{\"_id\":{\"$regularExpression\":{\"pattern\":\"a\",\"options\":\"\"}}}", Fate.REFUSED);
        add(out, "undefined _id", "{\"_id\":{\"$undefined\":true}}", Fate.REFUSED);
        add(out, "_id with $-prefixed names", "{\"_id\":{\"a\":1,\"$b\":2}}", Fate.REFUSED);
        add(out, "null _id", "{\"_id\":null}", Fate.EITHER);
    }

    private static void depthAndSize(List<Sample> out) {
        add(out, "nesting at MongoDB's limit", levels(MONGO_MAX_DEPTH), Fate.STORED);
        add(out, "nesting one past MongoDB's limit", levels(MONGO_MAX_DEPTH + 1), Fate.REFUSED);
        add(out, "arrays at MongoDB's limit", arrays(MONGO_MAX_DEPTH), Fate.STORED);
        add(out, "arrays one past MongoDB's limit", arrays(MONGO_MAX_DEPTH + 1), Fate.REFUSED);
        add(out, "nesting 200", levels(200), Fate.REFUSED);
        add(out, "nesting 1001 (past the fast parser's limit)", levels(1001), Fate.REFUSED);
        add(out, "objects nested 100000", levels(100_000), Fate.REFUSED);
        add(out, "arrays nested 100000", arrays(100_000), Fate.REFUSED);
        add(out, "unclosed nesting 100000", "{\"a\":" + "[".repeat(100_000), Fate.REFUSED);
        add(out, "$date leaf at MongoDB's limit", around(MONGO_MAX_DEPTH, "{\"$date\":0}"), Fate.STORED);
        add(out, "$binary leaf at MongoDB's limit", around(MONGO_MAX_DEPTH, BINARY), Fate.STORED);
        add(out, "$binary leaf one past MongoDB's limit", around(MONGO_MAX_DEPTH + 1, BINARY), Fate.REFUSED);
        add(out, "$date leaf nested 150", around(150, "{\"$date\":0}"), Fate.REFUSED);
        add(out, "just over 16 MB", "{\"s\":\"" + "x".repeat(16 << 20) + "\"}", Fate.REFUSED);
        add(out, "exactly MongoDB's max with the _id", sized((16 << 20)), Fate.STORED);
        add(out, "one byte past MongoDB's max with the _id", sized((16 << 20) + 1), Fate.REFUSED);
    }

    private static final String BINARY = "{\"$binary\":{\"base64\":\"AAAA\",\"subType\":\"00\"}}";

    /** Objects nested {@code levels} deep, the top-level document being the first level. */
    static String levels(int levels) {
        return around(levels, "1");
    }

    /** A top-level object holding arrays nested to {@code levels} levels in all. */
    static String arrays(int levels) {
        return "{\"a\":" + "[".repeat(levels - 1) + "1" + "]".repeat(levels - 1) + "}";
    }

    /** {@code leaf} as the value of the innermost of {@code levels} nested objects. */
    static String around(int levels, String leaf) {
        return "{\"a\":".repeat(levels) + leaf + "}".repeat(levels);
    }

    private static String fields(int count) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    /**
     * A document whose BSON, with the {@code _id} the sink adds for an event id of {@link #SIZED_ID_LENGTH} ASCII
     * characters, is exactly {@code bytes} long: int32 length, {@code _id} string element, {@code s} string element,
     * trailing 0.
     */
    static String sized(int bytes) {
        int idElement = 1 + 4 + 4 + SIZED_ID_LENGTH + 1;
        int sElement = bytes - 4 - idElement - 1;
        int chars = sElement - 1 - 2 - 4 - 1;
        return "{\"s\":\"" + "y".repeat(chars) + "\"}";
    }

    /** Event ids the sized samples are computed for. */
    static final int SIZED_ID_LENGTH = 8;

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
