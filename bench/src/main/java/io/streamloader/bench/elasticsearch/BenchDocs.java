package io.streamloader.bench.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** The benchmark's documents: deterministic 1 KB-ish JSON events, identical in the producer and the raw client. */
final class BenchDocs {
    private BenchDocs() {}

    static String id(long i) {
        return "ev-" + i;
    }

    static byte[] doc(long i, int size) {
        Random random = new Random(i);
        String head = "{\"id\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"type\":\""
                + (random.nextBoolean() ? "click" : "view") + "\",\"userId\":\"u" + random.nextInt(10_000)
                + "\",\"ts\":\"" + Instant.ofEpochSecond(1_742_700_000L + i) + "\",\"attributes\":{\"country\":\"c"
                + random.nextInt(50) + "\",\"device\":\"d" + random.nextInt(5) + "\"},\"payload\":\"";
        StringBuilder json = new StringBuilder(size).append(head);
        while (json.length() < size - 2) {
            json.append(random.nextInt(8) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Lean mapping as in local-stack.md §5: strings as keywords, the large text not indexed, 2 shards, no refresh. */
    static String template(String pattern, int shards) {
        return "{\"index_patterns\":[\"" + pattern + "\"],\"priority\":200,\"template\":{\"settings\":{"
                + "\"number_of_shards\":" + shards + ",\"number_of_replicas\":0,\"refresh_interval\":\"-1\","
                + "\"translog.durability\":\"async\"},\"mappings\":{\"dynamic_templates\":[{\"strings\":{"
                + "\"match_mapping_type\":\"string\",\"mapping\":{\"type\":\"keyword\"}}}],"
                + "\"properties\":{\"payload\":{\"type\":\"text\",\"index\":false},\"ts\":{\"type\":\"date\"}}}}}";
    }
}
