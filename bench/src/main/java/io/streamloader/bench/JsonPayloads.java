package io.streamloader.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The 1 KB-class JSON events the benches write: the same documents in every run (fixed seed). */
public final class JsonPayloads {
    private JsonPayloads() {}

    /**
     * {@code distinct} click documents {@code {"id":i,"type":"click","user":"u…","payload":"…"}} of exactly {@code
     * size} bytes, the payload padding them with random letters.
     */
    public static byte[][] clicks(int distinct, int size) {
        byte[][] out = new byte[distinct][];
        Random random = new Random(42);
        for (int i = 0; i < distinct; i++) {
            StringBuilder json = new StringBuilder(
                    "{\"id\":" + i + ",\"type\":\"click\",\"user\":\"u" + random.nextInt(10_000) + "\",\"payload\":\"");
            while (json.length() < size - 2) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            json.append("\"}");
            out[i] = json.toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
