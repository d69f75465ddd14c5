package io.streamloader.generator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.imageio.ImageIO;

/**
 * Seed 003's images: random-noise PNGs posted as {@code image/png} with customer_id, uuid and sent_at (POSIX seconds)
 * as query parameters, which the API keeps as metadata headers. As the original: 1920×1080 by default (about 6 MB of
 * noise each), 3 per second ({@link #RATE}) unless {@code --rate} says otherwise.
 */
final class Images implements Workload {

    /** The original's BATCH_SIZE of 3 images per one-second tick. */
    static final double RATE = 3;

    static final int DEFAULT_WIDTH = 1920;
    static final int DEFAULT_HEIGHT = 1080;

    private final String path;
    private final int width;
    private final int height;
    private final int customerId;

    Images(String path, int width, int height, int customerId) {
        this.path = path;
        this.width = width;
        this.height = height;
        this.customerId = customerId;
    }

    @Override
    public Request request(URI base, long seq, RandomGenerator random) {
        String query = "?customer_id=" + customerId + "&uuid=" + new UUID(random.nextLong(), random.nextLong())
                + "&sent_at=" + String.format(java.util.Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0);
        return Workload.post(base, path + query, "image/png", png(width, height, random))
                .build();
    }

    @Override
    public double naturalRate() {
        return RATE;
    }

    static byte[] png(int width, int height, RandomGenerator random) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
