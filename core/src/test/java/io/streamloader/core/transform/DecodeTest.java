package io.streamloader.core.transform;

import static io.streamloader.core.transform.TestingEvents.event;
import static io.streamloader.core.transform.TestingEvents.problems;
import static io.streamloader.core.transform.TestingEvents.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** decode msgpack-zlib: seed 003's producer messages, and what a hostile producer could write instead. */
class DecodeTest {
    private static final UUID ID = UUID.fromString("0b7e3c1a-5f2d-4c9e-8a61-2f0d9c4b7a10");
    private static final byte[] PNG = {
        (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };

    private final Transform decode = transform("decode", Map.of("format", "msgpack-zlib"));

    /** What seed 003's producer writes: zlib(msgpack {uuid: bin16, customer_id: int, sent_at: float64, image_data}). */
    static byte[] original(UUID uuid, int customer, double sentAt, byte[] image) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(4);
        p.packString("uuid");
        ByteBuffer b =
                ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        p.packBinaryHeader(16);
        p.writePayload(b.array());
        p.packString("customer_id");
        p.packInt(customer);
        p.packString("sent_at");
        p.packDouble(sentAt);
        p.packString("image_data");
        p.packBinaryHeader(image.length);
        p.writePayload(image);
        return zlib(p.toByteArray());
    }

    static byte[] zlib(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void turnsTheOriginalMessageIntoTheBlobEventAnHttpUploadMakes() throws Exception {
        Event in = event(original(ID, 7, 1742700000.25, PNG), Map.of(), null);
        Event out = decode.apply(in);
        assertThat(out.valueBytes()).isEqualTo(PNG);
        assertThat(out.contentType()).isEqualTo("image/png");
        assertThat(out.headers())
                .containsEntry("content-type", "image/png")
                .containsEntry("meta.uuid", ID.toString())
                .containsEntry("meta.customer_id", "7")
                .containsEntry("meta.sent_at", "1742700000.25")
                .doesNotContainKey("meta.image_data");
        assertThat(out.id()).isEqualTo(in.id());
        assertThat(out.offset()).isEqualTo(in.offset());
        Event byUuid = transform("decode", Map.of("format", "msgpack-zlib", "id-field", "uuid"))
                .apply(in);
        assertThat(byUuid.id()).isEqualTo(ID.toString());
    }

    @Test
    void anEventWithAContentTypeHeaderPassesUnchanged() throws Exception {
        Event upload = event(PNG, Map.of("content-type", "image/png"), "image/png");
        assertThat(decode.apply(upload)).isSameAs(upload);
    }

    @Test
    void aZipBombIsRefusedAtTheBoundNotInflated() throws Exception {
        byte[] bomb = zlib(new byte[64 << 20]); // 64 MiB of zeros in ~64 KiB
        assertThat(bomb.length).isLessThan(100_000);
        Transform small = transform("decode", Map.of("format", "msgpack-zlib", "max-inflated-bytes", "1MiB"));
        assertThatThrownBy(() -> small.apply(event(bomb, Map.of(), null)))
                .hasMessageContaining("inflates to more than max-inflated-bytes (1048576 bytes)");
        byte[] bigger = zlib(new byte[(64 << 20) + 1]);
        assertThatThrownBy(() -> decode.apply(event(bigger, Map.of(), null)))
                .hasMessageContaining("max-inflated-bytes");
    }

    @Test
    void notZlibTruncatedZlibAndEmptyValuesFail() throws Exception {
        byte[] good = original(ID, 7, 1.5, PNG);
        assertThatThrownBy(() -> decode.apply(event("{\"a\":1}".getBytes(), Map.of(), null)))
                .hasMessageContaining("not a zlib stream");
        assertThatThrownBy(() -> decode.apply(event(Arrays.copyOf(good, good.length / 2), Map.of(), null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode.apply(event(new byte[0], Map.of(), null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedMsgpackFailsAtEveryCut() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(2)
                .packString("uuid")
                .packString("x")
                .packString("image_data")
                .packBinaryHeader(PNG.length);
        p.writePayload(PNG);
        byte[] plain = p.toByteArray();
        assertThat(decode.apply(event(zlib(plain), Map.of(), null)).valueBytes())
                .isEqualTo(PNG);
        for (int cut = 0; cut < plain.length; cut++) {
            byte[] truncated = zlib(Arrays.copyOf(plain, cut));
            assertThatThrownBy(() -> decode.apply(event(truncated, Map.of(), null)))
                    .as("cut at " + cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aForgedHugeLengthIsRefusedWithoutAllocatingIt() throws Exception {
        // bin32 header declaring 2 GiB - 1 with 4 bytes behind it
        byte[] plain = {
            (byte) 0x81,
            (byte) 0xaa,
            'i',
            'm',
            'a',
            'g',
            'e',
            '_',
            'd',
            'a',
            't',
            'a',
            (byte) 0xc6,
            0x7f,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            1,
            2,
            3,
            4
        };
        assertThatThrownBy(() -> decode.apply(event(zlib(plain), Map.of(), null)))
                .hasMessageContaining("truncated: declares 2147483647 bytes");
        byte[] str = {(byte) 0x81, (byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'};
        assertThatThrownBy(() -> decode.apply(event(zlib(str), Map.of(), null))).hasMessageContaining("truncated");
    }

    @Test
    void malformedMapsFailWithTheReason() throws Exception {
        assertThat(fail(p -> p.packArrayHeader(1).packInt(1))).contains("not a map");
        assertThat(fail(p -> p.packMapHeader(1).packInt(1).packInt(2))).contains("key #0 is not a string");
        assertThat(fail(p -> p.packMapHeader(1).packString("uuid").packString("x")))
                .contains("no 'image_data'");
        assertThat(fail(p -> p.packMapHeader(1).packString("image_data").packString("x")))
                .contains("must be one msgpack binary");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("a")
                        .packArrayHeader(0)
                        .packString("image_data")
                        .packBinaryHeader(0)))
                .contains("only scalars");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("Bad Name!")
                        .packInt(1)
                        .packString("image_data")
                        .packBinaryHeader(0)))
                .contains("must match [a-z0-9_.-]{1,64}");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("note")
                        .packString("x".repeat(2000))
                        .packString("image_data")
                        .packBinaryHeader(0)))
                .contains("at most 1024 characters");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("note")
                        .packString("a\nb")
                        .packString("image_data")
                        .packBinaryHeader(0)))
                .contains("without control characters");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("x")
                        .packDouble(Double.NaN)
                        .packString("image_data")
                        .packBinaryHeader(0)))
                .contains("is NaN");
        assertThat(fail(p -> p.packMapHeader(100_000))).contains("at most 33");
        assertThat(fail(p -> {
                    p.packMapHeader(1).packString("image_data").packBinaryHeader(0);
                    p.packInt(5);
                }))
                .contains("bytes follow the msgpack map");
        assertThat(fail(p -> p.packMapHeader(2)
                        .packString("a")
                        .packInt(1)
                        .packString("A")
                        .packInt(2)))
                .contains("given twice");
    }

    @Test
    void invalidUtf8InAMetadataStringFails() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(2).packString("note").packRawStringHeader(2);
        p.writePayload(new byte[] {(byte) 0xC3, (byte) 0x28});
        p.packString("image_data").packBinaryHeader(0);
        assertThatThrownBy(() -> decode.apply(event(zlib(p.toByteArray()), Map.of(), null)))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void otherScalarsBecomeText() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(6)
                .packString("flag")
                .packBoolean(true)
                .packString("none")
                .packNil()
                .packString("big")
                .packBigInteger(new java.math.BigInteger("18446744073709551615"))
                .packString("raw")
                .packBinaryHeader(3);
        p.writePayload(new byte[] {1, 2, 3});
        p.packString("n").packLong(-5).packString("image_data").packBinaryHeader(3);
        p.writePayload(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
        Event out = decode.apply(event(zlib(p.toByteArray()), Map.of(), null));
        assertThat(out.headers())
                .containsEntry("meta.flag", "true")
                .doesNotContainKey("meta.none")
                .containsEntry("meta.big", "18446744073709551615")
                .containsEntry("meta.raw", "AQID")
                .containsEntry("meta.n", "-5");
        assertThat(out.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void configProblemsNameTheKeyPath() {
        assertThat(problems("decode", Map.of()))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].format: is required"));
        assertThat(problems("decode", Map.of("format", "avro")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].format: must be one of msgpack-zlib"));
        assertThat(problems("decode", Map.of("format", "msgpack-zlib", "max-inflated-bytes", "lots")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].max-inflated-bytes:"));
        assertThat(problems("decode", Map.of("format", "msgpack-zlib", "id-field", "Bad Name")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].id-field:"));
    }

    interface Packing {
        void pack(MessageBufferPacker p) throws IOException;
    }

    private String fail(Packing packing) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        packing.pack(p);
        byte[] value = zlib(p.toByteArray());
        try {
            decode.apply(event(value, Map.of(), null));
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("decoded");
    }
}
