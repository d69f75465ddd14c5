package io.streamloader.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Click events for tests and the expected {@code click_events} documents for them, computed here independently of the
 * topology (plain grouping, as seed 001's batch job meant to do it).
 */
final class TestingClicks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One click as posted: its event id, and the fields. */
    record Posted(String id, String user, LocalDateTime time, String url, String country, boolean positional) {

        String json() {
            String ts = time.toString();
            if (positional) {
                return "[\"%s\",\"%s\",\"%s\",\"%s\",\"Brandonstad\",\"Mozilla/5.0 (X11)\",\"X11; Linux i686\",\"fire\"]"
                        .formatted(user, ts, url, country);
            }
            return ("{\"user_id\":\"%s\",\"timestamp\":\"%s\",\"url\":\"%s\",\"country\":\"%s\",\"city\":\"Brandonstad\","
                            + "\"browser\":\"Mozilla/5.0 (X11)\",\"os\":\"X11; Linux x86_64\",\"device\":\"fire\"}")
                    .formatted(user, ts, url, country);
        }
    }

    private TestingClicks() {}

    /** {@code count} random clicks with ids {@code prefix + i} over a few urls, countries and users within 10 days. */
    static List<Posted> random(String prefix, int count, long seed) {
        Random random = new Random(seed);
        LocalDateTime start = LocalDateTime.of(2023, 7, 1, 0, 0);
        List<Posted> clicks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            clicks.add(new Posted(
                    prefix + i,
                    "user-" + random.nextInt(40),
                    start.plusSeconds(random.nextInt(10 * 86_400)),
                    "https://site-" + random.nextInt(12) + ".example/page?q=" + random.nextInt(2),
                    List.of("Chile", "Dominican Republic", "Czech Republic").get(random.nextInt(3)),
                    random.nextInt(4) == 0));
        }
        return clicks;
    }

    /** The documents the rollup must hold for {@code clicks}, by {@code url|country}; repeated ids count once. */
    static Map<String, JsonNode> expected(List<Posted> clicks) {
        Map<String, List<Posted>> byPair = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (Posted c : clicks) {
            if (ids.add(c.id())) {
                byPair.computeIfAbsent(c.url() + "|" + c.country(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        byPair.forEach((pair, group) -> {
            long users = group.stream().map(Posted::user).distinct().count();
            Instant first = group.stream()
                    .map(c -> c.time().toInstant(ZoneOffset.UTC))
                    .min(Instant::compareTo)
                    .orElseThrow();
            Instant last = group.stream()
                    .map(c -> c.time().toInstant(ZoneOffset.UTC))
                    .max(Instant::compareTo)
                    .orElseThrow();
            long spent = last.getEpochSecond() - first.getEpochSecond();
            long avg = spent / users;
            ObjectNode doc = JSON.createObjectNode();
            doc.put("url", group.get(0).url());
            doc.put("country", group.get(0).country());
            doc.put("clicks", group.size());
            doc.put("unique_users", users);
            doc.put("first_click", first.toString());
            doc.put("last_click", last.toString());
            doc.put("time_spent_sec", spent);
            doc.put(
                    "average_time_sec",
                    BigDecimal.valueOf(spent)
                            .divide(BigDecimal.valueOf(users), 3, RoundingMode.HALF_UP)
                            .stripTrailingZeros());
            String clock = "%02d:%02d:%02d".formatted(avg % 86_400 / 3600, avg % 3600 / 60, avg % 60);
            doc.put("average_time", avg >= 86_400 ? avg / 86_400 + "." + clock : clock);
            docs.put(pair, doc);
        });
        return docs;
    }

    /** Compares documents with numbers by value ({@code 1.5} and {@code 1.50} are equal). */
    static Map<String, String> normalized(Map<String, JsonNode> docs) {
        Map<String, String> out = new java.util.TreeMap<>();
        docs.forEach((key, doc) -> {
            ObjectNode copy = doc.deepCopy();
            copy.put(
                    "average_time_sec",
                    doc.get("average_time_sec")
                            .decimalValue()
                            .stripTrailingZeros()
                            .toPlainString());
            out.put(key, copy.toString());
        });
        return out;
    }
}
