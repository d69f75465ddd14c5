package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link JsonToBson}) against the JsonReader path, on generated and hand-written JSON: same bytes to
 * insert, same replacement document, same id, same rejection. Seeded, so a failure names what reproduces it.
 */
class JsonToBsonDifferentialTest {
    private static final long SEED = 20_240_501L;
    private static final int DOCUMENTS = 5_000;

    private static final List<DocumentConverter> CONVERTERS = List.of(
            new DocumentConverter(Optional.empty(), List.of(), 16 << 20),
            new DocumentConverter(Optional.of("id"), List.of(), 16 << 20),
            new DocumentConverter(Optional.of("_id"), List.of(), 16 << 20),
            new DocumentConverter(Optional.empty(), List.of(), 300),
            new DocumentConverter(Optional.of("id"), List.of(), 300));

    private static final String[] NUMBERS = {
        "0",
        "-0",
        "1",
        "-1",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775808",
        "1e3",
        "1E3",
        "1e+3",
        "1E-7",
        "1.5",
        "-1.5",
        "0.0",
        "-0.0",
        "-0e0",
        "0.1e2",
        "1e400",
        "-1e400",
        "1e-400",
        "4.9e-324",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "3.141592653589793238462643383279",
        "123456789.123456789e-5",
        "1" + "0".repeat(300) + ".5",
        "0." + "3".repeat(400),
        "100000000000000000000e-20"
    };
    private static final String[] ODD_NUMBERS = {
        "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1".repeat(1200)
    };

    @Test
    void generatedObjectsConvertAsJsonReaderConvertsThem() {
        Random random = new Random(SEED);
        int fast = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            Generator generator = new Generator(random);
            String json = generator.object(0, true);
            String context = "seed " + SEED + ", document " + i + ": " + json;
            for (DocumentConverter converter : CONVERTERS) {
                assertSameConversion(converter, event(i, json.getBytes(StandardCharsets.UTF_8), random), context);
            }
            boolean taken = new JsonToBson(Optional.empty())
                    .parse(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), "e")
                    .isPresent();
            if (generator.plain) {
                assertThat(taken)
                        .as("plain JSON takes the fast path; " + context)
                        .isTrue();
                fast++;
            }
        }
        assertThat(fast).as("documents on the fast path").isGreaterThan(DOCUMENTS / 4);
    }

    @Test
    void brokenAndOddInputIsRejectedOrStoredAsJsonReaderDoes() {
        Random random = new Random(SEED + 1);
        List<String> cases = new ArrayList<>(List.of(
                "",
                "   ",
                "{}",
                " \t\r\n{ } \n",
                "[1,2]",
                "\"text\"",
                "42",
                "null",
                "{\"a\":1} x",
                "{\"a\":1}\n{\"b\":2}",
                "{\"a\":1}\u000b",
                "{\"a\":1}\u2028",
                "\u000b{\"a\":1}",
                "\uFEFF{\"a\":1}",
                "{\"a\":1,}",
                "{\"a\":1 \"b\":2}",
                "{'a':'x'}",
                "{a:1}",
                "{\"a\":007}",
                "{\"a\":+1}",
                "{\"a\":.5}",
                "{\"a\":1.}",
                "{\"a\":NaN}",
                "{\"a\":Infinity,\"b\":-Infinity}",
                "{\"a\":undefined}",
                "{\"a\":/ab+c/i}",
                "{\"a\":ObjectId(\"5f0c6ab3e3a1a4b5c6d7e8f9\")}",
                "{\"a\":new Date(0)}",
                "{\"a\":\"\\uZZZZ\"}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\'\"}",
                "{\"a\":\"tab\there\"}",
                "{\"a\u0000b\":1}",
                "{\"a\\u0000b\":1}",
                "{\"a\":\"nul\\u0000inside\"}",
                "{\"$date\":\"2024-05-01T12:00:00Z\"}",
                "{\"$set\":{\"a\":1}}",
                "{\"a\":1,\"$set\":{\"b\":2}}",
                "{\"a\":{\"$date\":\"2024-05-01T12:00:00Z\"},\"$x\":1}",
                "{\"a\":{\"$oid\":\"5f0c6ab3e3a1a4b5c6d7e8f9\"}}",
                "{\"a\":{\"$numberLong\":\"7\"},\"b\":[{\"$numberDecimal\":\"1.5\"}]}",
                "{\"a\":{\"$binary\":{\"base64\":\"AQID\",\"subType\":\"00\"}}}",
                "{\"a\":{\"$unknown\":1}}",
                "{\"a\":{\"b\":1,\"$date\":2}}",
                "{\"\\u0024date\":1}",
                "{\"_id\":5,\"a\":1}",
                "{\"id\":1,\"_id\":1}",
                "{\"id\":1,\"_id\":2}",
                "{\"id\":{\"a\":1,\"b\":2},\"_id\":{\"b\":2,\"a\":1}}",
                "{\"id\":1.0,\"_id\":1}",
                "{\"id\":null}",
                "{\"id\":[1]}",
                "{\"id\":{\"x\":[1,{\"y\":null}]},\"z\":1}",
                "{\"id\":1,\"id\":2}",
                "{\"_id\":1,\"_id\":2,\"id\":2}",
                "{\"a\":[" + "[".repeat(1500) + "]".repeat(1500) + "]}",
                "{\"a\":" + "{\"b\":".repeat(900) + "1" + "}".repeat(900) + "}",
                "{\"a\":\"" + "x".repeat(400) + "\"}",
                "{\"a\":[" + "1,".repeat(1500) + "1]}",
                "{\"a\":\"unterminated}",
                "{\"a\":1",
                "{\"a\"",
                "{"));
        for (String number : NUMBERS) {
            cases.add("{\"n\":" + number + "}");
        }
        for (String number : ODD_NUMBERS) {
            cases.add("{\"n\":" + number + "}");
        }
        int i = 0;
        for (String json : cases) {
            for (DocumentConverter converter : CONVERTERS) {
                assertSameConversion(
                        converter, event(i, json.getBytes(StandardCharsets.UTF_8), random), "case " + i + ": " + json);
            }
            i++;
        }
    }

    @Test
    void illFormedUtf8IsDecodedAsJavaDecodesIt() {
        Random random = new Random(SEED + 2);
        for (String hex : Utf8Samples.EDGES) {
            byte[] bad = HexFormat.of().parseHex(hex);
            for (String template : List.of("{\"a\":\"x%sy\"}", "{\"k%s\":1}", "{\"a\":1}%s", "%s{\"a\":1}")) {
                String[] parts = template.split("%s", -1);
                byte[] json = concat(parts[0].getBytes(StandardCharsets.UTF_8), bad, parts[1].getBytes());
                for (DocumentConverter converter : CONVERTERS) {
                    assertSameConversion(converter, event(0, json, random), template + " with bytes " + hex);
                }
            }
        }
    }

    @Test
    void theEventIdIsEncodedAsTheDriverEncodesIt() {
        for (String id :
                List.of("ev-1", "é", "日本", "\uD83D\uDE00", "lone \uD800 high", "lone \uDC00 low", "nul\u0000")) {
            byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            Event event = Event.builder()
                    .id(id)
                    .topic("t")
                    .partition(0)
                    .offset(0)
                    .timestamp(Instant.EPOCH)
                    .value(json)
                    .build();
            assertSameConversion(CONVERTERS.get(0), event, "event id " + id);
        }
    }

    private static void assertSameConversion(DocumentConverter converter, Event event, String context) {
        Converted slow = converter.convertWithJsonReader(event);
        Converted fast = converter.convert(event);
        if (slow instanceof Converted.Rejected) {
            assertThat(fast).as(context).isEqualTo(slow);
            return;
        }
        assertThat(fast).as(context).isInstanceOf(Converted.Document.class);
        Converted.Document expected = (Converted.Document) slow;
        Converted.Document actual = (Converted.Document) fast;
        assertThat(actual.id()).as(context).isEqualTo(expected.id());
        assertThat(actual.idAdded()).as(context).isEqualTo(expected.idAdded());
        assertThat(bytes(actual.withId())).as(context).isEqualTo(bytes(expected.withId()));
        assertThat(bytes(actual.document())).as(context).isEqualTo(bytes(expected.document()));
    }

    private static String bytes(BsonDocument document) {
        RawBsonDocument raw =
                document instanceof RawBsonDocument r ? r : new RawBsonDocument(document, new BsonDocumentCodec());
        ByteBuffer buffer = raw.getByteBuffer().asNIO();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return HexFormat.of().formatHex(out);
    }

    /** Half the events read their value from the middle of a larger array, as consumer buffers do. */
    private static Event event(int i, byte[] json, Random random) {
        ByteBuffer value = ByteBuffer.wrap(json);
        if (random.nextBoolean()) {
            int before = random.nextInt(8);
            byte[] padded = new byte[before + json.length + random.nextInt(8)];
            padded[0] = '{';
            System.arraycopy(json, 0, padded, before, json.length);
            value = ByteBuffer.wrap(padded, before, json.length);
        }
        return Event.builder()
                .id("ev-" + i)
                .topic("somedata")
                .partition(0)
                .offset(i)
                .timestamp(Instant.EPOCH)
                .value(value)
                .build();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Random JSON objects: every value type, nesting, escapes, unicode, number edge cases, odd white space. */
    private static final class Generator {
        private final Random random;
        /**
         * Whether the fast path must take it: no extended JSON, no integer beyond 64 bits, no NUL in a name, no name
         * twice in one object.
         */
        boolean plain = true;

        Generator(Random random) {
            this.random = random;
        }

        String object(int depth, boolean topLevel) {
            StringBuilder json = new StringBuilder("{");
            int fields = random.nextInt(depth == 0 ? 12 : 5);
            if (!topLevel && random.nextInt(25) == 0) {
                plain = false;
                return extendedJson();
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < fields; i++) {
                json.append(i == 0 ? "" : ",").append(space());
                String name = name(topLevel, i == 0);
                if (!names.add(name)) {
                    plain = false; // a name repeated in one object: JsonReader's path rejects it
                }
                json.append(string(name)).append(space()).append(':').append(space());
                json.append(value(depth + 1)).append(space());
            }
            return json.append('}').toString();
        }

        private String name(boolean topLevel, boolean first) {
            String name = switch (random.nextInt(40)) {
                case 0 -> "_id";
                case 1, 2 -> "id";
                case 3 -> "";
                case 4 -> "$op"; // at the top level and not first: rejected; nested and not first: legal
                case 5 -> "a.b";
                case 6 -> "n\\u0000ul";
                default -> text(8);
            };
            if (first && name.startsWith("$") || name.contains("\\u0000") || hasLoneSurrogate(name)) {
                // extended JSON, a NUL no BSON name can hold, a name Jackson refuses: JsonReader's path
                plain = false;
            }
            return name;
        }

        /** Whether JSON string content decodes to an unpaired surrogate. */
        private static boolean hasLoneSurrogate(String text) {
            StringBuilder decoded = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && text.charAt(i + 1) == 'u') {
                    decoded.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                    i += 5;
                } else {
                    decoded.append(c);
                    i += c == '\\' ? 1 : 0;
                }
            }
            String s = decoded.toString();
            for (int i = 0; i < s.length(); i++) {
                if (Character.isHighSurrogate(s.charAt(i))
                        && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }

        private String value(int depth) {
            int pick = random.nextInt(depth > 4 ? 7 : 10);
            return switch (pick) {
                case 0, 1 -> string(text(random.nextInt(4) == 0 ? 200 : 16));
                case 2, 3 -> number();
                case 4 -> "true";
                case 5 -> random.nextBoolean() ? "false" : "null";
                case 6 -> Long.toString(random.nextLong() >> random.nextInt(64));
                case 7, 8 -> object(depth, false);
                default -> array(depth);
            };
        }

        private String array(int depth) {
            StringBuilder json = new StringBuilder("[").append(space());
            int items = random.nextInt(6);
            for (int i = 0; i < items; i++) {
                json.append(i == 0 ? "" : ",")
                        .append(space())
                        .append(value(depth + 1))
                        .append(space());
            }
            return json.append(']').toString();
        }

        private String number() {
            return switch (random.nextInt(6)) {
                case 0, 1 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 2 -> Integer.toString(random.nextInt());
                case 3 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
                case 4 -> random.nextInt(1000) + "." + random.nextInt(1000) + "e" + (random.nextInt(60) - 30);
                default -> {
                    if (random.nextInt(10) == 0) {
                        plain = false;
                        yield ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
                    }
                    yield Long.toString(random.nextLong());
                }
            };
        }

        private String extendedJson() {
            return switch (random.nextInt(5)) {
                case 0 -> "{\"$date\":\"2024-05-01T12:00:00Z\"}";
                case 1 -> "{\"$oid\":\"5f0c6ab3e3a1a4b5c6d7e8f9\"}";
                case 2 -> "{\"$numberLong\":\"" + random.nextLong() + "\"}";
                case 3 -> "{\"$numberDecimal\":\"1.25\"}";
                default -> "{\"$unknown\":1}";
            };
        }

        /** JSON string content: plain ASCII mostly, then escapes, BMP and non-BMP characters, lone surrogates. */
        private String text(int maxLength) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(maxLength + 1);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(30)) {
                    case 0 -> text.append("\\\"");
                    case 1 -> text.append("\\\\");
                    case 2 -> text.append(new String[] {"\\n", "\\t", "\\r", "\\b", "\\f", "\\/"}[random.nextInt(6)]);
                    case 3 ->
                        text.append(String.format("\\u%04X", 1 + random.nextInt(0x23)))
                                .append(String.format("\\u%04x", 0x25 + random.nextInt(0x10000 - 0x25)));
                    case 4 -> text.append("\\uD83D\\uDE00");
                    case 5 -> text.append(random.nextBoolean() ? "\\uD800" : "\\uDFFF");
                    case 6 -> text.appendCodePoint(0x80 + random.nextInt(0x780));
                    case 7 -> text.appendCodePoint(0x800 + random.nextInt(0xD000 - 0x800));
                    case 8 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                    default -> {
                        char c = (char) (0x20 + random.nextInt(0x5f));
                        text.append(c == '"' || c == '\\' ? 'q' : c);
                    }
                }
            }
            return text.toString();
        }

        private String string(String text) {
            return "\"" + text + "\"";
        }

        private String space() {
            return switch (random.nextInt(12)) {
                case 0 -> " ";
                case 1 -> "\n  ";
                case 2 -> "\t";
                case 3 -> "\r\n";
                default -> "";
            };
        }
    }
}
