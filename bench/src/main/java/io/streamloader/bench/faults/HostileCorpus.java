package io.streamloader.bench.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The hostile values mixed into a campaign: malformed bytes, values a store's driver or server refuses, and sizes near
 * or past the limits. Each kind has a name (a row of the outcome table), a value (null: a Kafka tombstone), an optional
 * content type and an optional suffix for the event id (ids the stores may refuse).
 */
final class HostileCorpus {

    /** One hostile event's content. */
    record Hostile(String kind, byte[] value, String contentType, String idSuffix) {}

    private record Kind(String name, boolean big, Supplier<Hostile> make) {}

    private static final List<Kind> KINDS = List.of(
            json("invalid JSON", "{\"a\":"),
            raw("invalid UTF-8", bytes("{\"a\":\"", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "\"}")),
            raw("UTF-8 BOM", bytes("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"a\":1}")),
            json("$oid not hex", "{\"a\":{\"$oid\":\"zz\"}}"),
            json("$date not a date", "{\"a\":{\"$date\":\"yesterday\"}}"),
            json("$numberLong not a number", "{\"a\":{\"$numberLong\":\"12x\"}}"),
            json("$binary bad base64", "{\"a\":{\"$binary\":{\"base64\":\"!!!\",\"subType\":\"zz\"}}}"),
            json("$timestamp bad", "{\"a\":{\"$timestamp\":{\"t\":-1,\"i\":\"x\"}}}"),
            json("NUL escaped", "{\"a\":\"x\\u0000y\"}"),
            raw("NUL raw byte", bytes("{\"a\":\"x", new byte[] {0}, "y\"}")),
            json("lone surrogate", "{\"a\":\"\\ud800\"}"),
            json("1e400", "{\"big\":1e400}"),
            json("integer past 64 bits", "{\"big\":123456789012345678901234567890}"),
            json("mapping conflict", "{\"n\":\"not a number\"}"),
            json("duplicate keys", "{\"a\":1,\"a\":2}"),
            json("empty field name", "{\"\":1}"),
            json("$ field name", "{\"$x\":1}"),
            json("a..b field name", "{\"a..b\":1}"),
            json(". field name", "{\".\":1}"),
            json("_id field", "{\"_id\":{\"$oid\":\"zz\"}}"),
            json("_source field", "{\"_source\":1}"),
            json("1,100 fields", fields(1100)),
            json("nesting 200 objects", nest("{\"a\":", 200, "}", "1")),
            json("nesting 3,000 arrays", "{\"a\":" + nest("[", 3000, "]", "1") + "}"),
            json("top-level array", "[1,2]"),
            json("top-level scalar", "42"),
            json("JSON null", "null"),
            raw("empty value", new byte[0]),
            new Kind("tombstone (null value)", false, () -> new Hostile("tombstone (null value)", null, null, "")),
            new Kind("text/plain", false, () -> new Hostile("text/plain", utf8("hello"), "text/plain", "")),
            new Kind(
                    "content type image/png; x",
                    false,
                    () -> new Hostile(
                            "content type image/png; x",
                            bytes("", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, ""),
                            "image/png; x",
                            "")),
            new Kind(
                    "id of 600 chars",
                    false,
                    () -> new Hostile("id of 600 chars", utf8("{\"a\":1}"), null, "-" + "i".repeat(600))),
            new Kind(
                    "id with ../ and U+2028",
                    false,
                    () -> new Hostile("id with ../ and U+2028", utf8("{\"a\":1}"), null, "-../x\u2028")),
            new Kind(
                    "string of 900 KiB",
                    true,
                    () -> new Hostile(
                            "string of 900 KiB", utf8("{\"s\":\"" + "x".repeat(900 * 1024) + "\"}"), null, "")),
            new Kind(
                    "value of 3 MiB",
                    true,
                    () -> new Hostile(
                            "value of 3 MiB", utf8("{\"s\":\"" + "y".repeat(3 * 1024 * 1024) + "\"}"), null, "")));

    private HostileCorpus() {}

    /** The kind names, in table order. */
    static List<String> kinds() {
        return KINDS.stream().map(Kind::name).toList();
    }

    /**
     * The {@code ordinal}-th hostile event: the kinds in turn; a big kind only in the first {@code bigRounds} rounds
     * (later its turn goes to the next small kind), so a long campaign does not pour gigabytes through the stores.
     */
    static Hostile hostile(long ordinal, int bigRounds) {
        int n = KINDS.size();
        long round = ordinal / n;
        int index = (int) (ordinal % n);
        while (KINDS.get(index).big() && round >= bigRounds) {
            index = (index + 1) % n;
        }
        return KINDS.get(index).make().get();
    }

    private static Kind json(String name, String value) {
        return new Kind(name, false, () -> new Hostile(name, utf8(value), null, ""));
    }

    private static Kind raw(String name, byte[] value) {
        return new Kind(name, false, () -> new Hostile(name, value.clone(), null, ""));
    }

    private static String nest(String open, int depth, String close, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    private static String fields(int count) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(head));
        out.writeBytes(middle);
        out.writeBytes(utf8(tail));
        return out.toByteArray();
    }
}
