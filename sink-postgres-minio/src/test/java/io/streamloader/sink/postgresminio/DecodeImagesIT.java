package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.pipeline.TransformChain;
import io.streamloader.core.pipeline.TransformSpec;
import io.streamloader.core.transform.BuiltinTransforms;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Seed 003's own producer format, written straight to Kafka without headers (zlib of a msgpack map), decoded by the
 * {@code decode} transform into the same object and image_storage row as an HTTP upload; a zip bomb and a truncated
 * message are dead-lettered with the reason.
 */
class DecodeImagesIT {

    /** As the original producer: zlib(msgpack {uuid: bin16, customer_id: int, sent_at: float64, image_data: bin}). */
    static byte[] original(UUID uuid, int customer, double sentAt, byte[] image) throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(4).packString("uuid").packBinaryHeader(16);
        p.writePayload(ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array());
        p.packString("customer_id").packInt(customer).packString("sent_at").packDouble(sentAt);
        p.packString("image_data").packBinaryHeader(image.length);
        p.writePayload(image);
        return zlib(p.toByteArray());
    }

    static byte[] zlib(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void theOriginalProducersMessagesBecomeTheSameObjectsAndRowsAsUploads() throws Exception {
        TestingStores stores = new TestingStores("images");
        try (TestingPipeline pipeline = new TestingPipeline("images", 1)) {
            TransformChain decode = TransformChain.of(List.of(new TransformSpec(
                            "sinks.archive.transforms[0]",
                            "decode",
                            Map.of("format", "msgpack-zlib", "max-inflated-bytes", "4MiB"))))
                    .resolve(BuiltinTransforms::find);
            pipeline.start(
                    "images-" + stores.schema,
                    1,
                    stores.config(Map.of(
                            "s3.key-template", "{customer_id}/{uuid}",
                            "id.template", "{uuid}",
                            "migrations.locations", TestingStores.examples("images"))),
                    decode);
            Random random = new Random(7);
            Map<String, byte[]> sent = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                UUID uuid = UUID.randomUUID();
                byte[] image = ImagesEndToEndIT.png(random, 40, 30);
                sent.put((i + 1) + "/" + uuid, image);
                TestingPipeline.await(pipeline.send(
                        new ProducerRecord<>(pipeline.topic, original(uuid, i + 1, 1742700000.25, image))));
            }
            // an HTTP upload on the same topic passes the transform unchanged
            String uploaded = UUID.randomUUID().toString();
            byte[] upload = ImagesEndToEndIT.png(random, 8, 8);
            sent.put("9/" + uploaded, upload);
            TestingPipeline.await(pipeline.send(
                    UUID.randomUUID().toString(), upload, "image/png", Map.of("customer_id", "9", "uuid", uploaded)));
            byte[] bomb = zlib(new byte[16 << 20]);
            TestingPipeline.await(pipeline.send(new ProducerRecord<>(pipeline.topic, bomb)));
            byte[] good = original(UUID.randomUUID(), 4, 1.0, upload);
            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
            TestingPipeline.await(pipeline.send(new ProducerRecord<>(pipeline.topic, truncated)));

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> stores.count("select count(*) from image_storage") == 4);
            List<Map<String, Object>> rows = stores.query(
                    "select uuid::text as uuid, customer_id, image_address, sent_at::text as sent_at from image_storage");
            for (Map<String, Object> row : rows) {
                String address = (String) row.get("image_address");
                assertThat(address).isEqualTo(row.get("customer_id") + "/" + row.get("uuid"));
                assertThat(TestingStores.sha256(stores.object(address)))
                        .isEqualTo(TestingStores.sha256(sent.get(address)));
                if (!row.get("uuid").equals(uploaded)) {
                    assertThat(row.get("sent_at")).isEqualTo("2025-03-23 03:20:00.25");
                }
            }
            assertThat(stores.objectKeys()).containsExactlyInAnyOrderElementsOf(sent.keySet());
            List<ConsumerRecord<byte[], byte[]>> letters = pipeline.testing.readAll(pipeline.topic + ".dlq", 2);
            assertThat(letters).hasSize(2);
            assertThat(letters)
                    .extracting(l ->
                            new String(l.headers().lastHeader("sl.error.reason").value()))
                    .anyMatch(r -> r.contains("transform sinks.archive.transforms[0] (decode) failed")
                            && r.contains("inflates to more than max-inflated-bytes"))
                    .anyMatch(r -> r.contains("truncated"));
        }
    }
}
