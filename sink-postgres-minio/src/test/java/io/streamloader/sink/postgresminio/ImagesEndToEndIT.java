package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Seed 003 end to end: PNG images, posted as binary events with metadata customer_id and uuid, become objects under
 * {customer_id}/{uuid} and rows of the image_storage view pointing at them.
 */
class ImagesEndToEndIT {

    static byte[] png(Random random, int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void twentyImagesBecomeTwentyObjectsAndTwentyImageStorageRows() throws Exception {
        TestingStores stores = new TestingStores("images");
        try (TestingPipeline pipeline = new TestingPipeline("images", 2)) {
            pipeline.start(
                    "images-" + stores.schema,
                    2,
                    stores.config(Map.of(
                            "s3.key-template",
                            "{customer_id}/{uuid}",
                            "migrations.locations",
                            TestingStores.examples("images"))));
            Random random = new Random(3);
            Map<String, byte[]> sent = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                String uuid = UUID.randomUUID().toString();
                String customer = Integer.toString(1 + i % 3);
                byte[] image = png(random, 64, 48);
                sent.put(customer + "/" + uuid, image);
                TestingPipeline.await(pipeline.send(
                        UUID.randomUUID().toString(),
                        image,
                        "image/png",
                        Map.of("customer_id", customer, "uuid", uuid)));
            }

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> stores.count("select count(*) from image_storage") == 20);

            List<Map<String, Object>> rows = stores.query(
                    "select uuid::text as uuid, customer_id, image_address, sent_at, received_at from image_storage");
            assertThat(rows).hasSize(20);
            for (Map<String, Object> row : rows) {
                String address = (String) row.get("image_address");
                assertThat(address).isEqualTo(row.get("customer_id") + "/" + row.get("uuid"));
                assertThat(row.get("sent_at")).isNotNull();
                assertThat(row.get("received_at")).isNotNull();
                assertThat(TestingStores.sha256(stores.object(address)))
                        .as("object %s holds the bytes that were sent", address)
                        .isEqualTo(TestingStores.sha256(sent.get(address)));
            }
            assertThat(stores.objectKeys()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        }
    }

    @Test
    void reSendingAUuidUpdatesItsOneRowAndSentAtIsTheClients() throws Exception {
        TestingStores stores = new TestingStores("images");
        try (TestingPipeline pipeline = new TestingPipeline("images", 1)) {
            pipeline.start(
                    "images-" + stores.schema,
                    1,
                    stores.config(Map.of(
                            "s3.key-template",
                            "{customer_id}/{uuid}",
                            "id.template",
                            "{uuid}",
                            "migrations.locations",
                            TestingStores.examples("images"))));
            Random random = new Random(5);
            String uuid = "3f2b8c1e-5d4a-4b6f-9e2d-1a7c3b5d9f01";
            byte[] second = png(random, 32, 16);
            // the same uuid three times (as the original's producer may re-send it), the last with other pixels; one
            // partition, so the three keep their order as one client's re-sends do
            for (byte[] image : List.of(png(random, 32, 16), png(random, 32, 16), second)) {
                TestingPipeline.await(pipeline.send(
                        UUID.randomUUID().toString(),
                        image,
                        "image/png",
                        Map.of("customer_id", "1", "uuid", uuid, "sent_at", "1742700000.25")));
            }
            String iso = UUID.randomUUID().toString();
            TestingPipeline.await(pipeline.send(
                    UUID.randomUUID().toString(),
                    png(random, 8, 8),
                    "image/png",
                    Map.of("customer_id", "2", "uuid", iso, "sent_at", "2025-03-23T04:20:00+01:00")));
            String none = UUID.randomUUID().toString();
            TestingPipeline.await(pipeline.send(
                    UUID.randomUUID().toString(),
                    png(random, 8, 8),
                    "image/png",
                    Map.of("customer_id", "2", "uuid", none)));
            String bad = UUID.randomUUID().toString();
            TestingPipeline.await(pipeline.send(
                    UUID.randomUUID().toString(),
                    png(random, 8, 8),
                    "image/png",
                    Map.of("customer_id", "2", "uuid", bad, "sent_at", "now")));

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions() // the view exists once the sink's migrations ran
                    .until(() -> stores.count("select count(*) from image_storage") == 3);
            assertThat(stores.count("select count(*) from image_storage where uuid = ?::uuid", uuid))
                    .isEqualTo(1);
            List<Map<String, Object>> rows = stores.query(
                    "select uuid::text as uuid, sent_at::text as sent_at from image_storage order by uuid");
            Map<String, Object> sentAt = new HashMap<>();
            rows.forEach(r -> sentAt.put((String) r.get("uuid"), r.get("sent_at")));
            assertThat(sentAt.get(uuid)).isEqualTo("2025-03-23 03:20:00.25");
            assertThat(sentAt.get(iso)).isEqualTo("2025-03-23 03:20:00");
            assertThat(sentAt.get(none)).as("no sent_at: the record's time").isNotNull();
            assertThat(sentAt).doesNotContainKey(bad);
            assertThat(TestingStores.sha256(stores.object("1/" + uuid))).isEqualTo(TestingStores.sha256(second));
            String reason = new String(pipeline.testing
                    .readAll(pipeline.topic + ".dlq", 1)
                    .getFirst()
                    .headers()
                    .lastHeader("sl.error.reason")
                    .value());
            assertThat(reason).contains("sent_at must be epoch seconds or an ISO-8601 date-time");
            List<Map<String, Object>> columns = stores.query("select column_name, data_type from"
                    + " information_schema.columns where table_schema = '" + stores.schema
                    + "' and table_name = 'image_storage' order by ordinal_position");
            assertThat(columns.stream().map(c -> c.get("column_name") + " " + c.get("data_type")))
                    .containsExactly(
                            "uuid uuid",
                            "customer_id integer",
                            "image_address text",
                            "sent_at timestamp without time zone",
                            "received_at timestamp without time zone");
        }
    }
}
