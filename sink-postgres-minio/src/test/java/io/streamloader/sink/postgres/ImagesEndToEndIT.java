package io.streamloader.sink.postgres;

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
}
