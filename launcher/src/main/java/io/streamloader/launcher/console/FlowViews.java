package io.streamloader.launcher.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The console's flows views, read from the flows' Kafka topics (the launcher has no store clients: sinks are plugins):
 * the newest records of each view's topic through a consumer that joins no group (assign and seek, nothing committed),
 * bounded in records, bytes per fetch and time. Each record is reduced to what its view shows as it is read; nothing
 * of a value is kept but that. One answer per view is reused for {@link #CACHE_NANOS}, however many consoles look.
 *
 * <p>Every value is hostile: JSON is parsed only up to {@link #MAX_JSON_BYTES}, strings are cut and escaped like a
 * dead letter's preview ({@link LetterPreview}), numbers that are not finite are dropped, and a value that is not what
 * the view expects is shown as its size and type. Images are served only when their signature is PNG, JPEG, GIF or
 * WebP ({@link ImageType}) and they are at most {@link #MAX_IMAGE_BYTES}.
 */
public final class FlowViews {
    /** Values larger than this are not parsed as JSON. */
    static final int MAX_JSON_BYTES = 64 * 1024;
    /** Images larger than this get no thumbnail. */
    public static final int MAX_IMAGE_BYTES = 4 * 1024 * 1024;
    /** Characters of a field a view shows. */
    static final int MAX_TEXT = 200;

    private static final long CACHE_NANOS = 2_000_000_000L;
    private static final int MAX_VEHICLES = 500;
    private static final int MAX_COUNTRIES = 20;
    private static final int PAGES_PER_COUNTRY = 5;

    private final FlowsConfig config;
    private final DeadLetterStore reader;
    private final Map<FlowsConfig.Kind, byte[]> cached = new EnumMap<>(FlowsConfig.Kind.class);
    private final Map<FlowsConfig.Kind, Long> cachedAt = new EnumMap<>(FlowsConfig.Kind.class);

    /**
     * @param kafka client properties (bootstrap servers, security)
     * @param timeout how long one view may read
     */
    public FlowViews(FlowsConfig config, Map<String, Object> kafka, Duration timeout) {
        this.config = config;
        this.reader = new DeadLetterStore(kafka, timeout, "sl-console-flows-");
    }

    /** The views that are on. */
    public List<FlowsConfig.View> views() {
        return config.views();
    }

    /** The view named {@code name} ({@link FlowsConfig.Kind#key()}), if it is on. */
    public Optional<FlowsConfig.View> view(String name) {
        return config.views().stream().filter(v -> v.kind().key().equals(name)).findFirst();
    }

    /** The view's answer as JSON bytes. */
    public byte[] json(FlowsConfig.View view) {
        synchronized (cached) {
            Long at = cachedAt.get(view.kind());
            if (at != null && System.nanoTime() - at < CACHE_NANOS) {
                return cached.get(view.kind());
            }
        }
        byte[] answer = ConsoleJson.bytes(build(view));
        synchronized (cached) {
            cached.put(view.kind(), answer);
            cachedAt.put(view.kind(), System.nanoTime());
        }
        return answer;
    }

    /** An image the images view may show: its bytes and the media type its signature gives. */
    public record Image(String type, byte[] bytes) {}

    /**
     * The record at {@code offset} of the images view's topic, when it is an image of at most {@link #MAX_IMAGE_BYTES}.
     */
    public Optional<Image> image(int partition, long offset) {
        Optional<FlowsConfig.View> images = view(FlowsConfig.Kind.IMAGES.key());
        if (images.isEmpty()) {
            return Optional.empty();
        }
        return reader.one(new TopicPartition(images.get().topic(), partition), offset)
                .map(ConsumerRecord::value)
                .filter(v -> v.length <= MAX_IMAGE_BYTES)
                .flatMap(v -> ImageType.of(v).map(type -> new Image(type, v)));
    }

    ObjectNode build(FlowsConfig.View view) {
        ObjectNode root = ConsoleJson.object();
        root.put("name", view.kind().key());
        root.put("title", view.kind().title());
        root.put("topic", view.topic());
        root.put("time", System.currentTimeMillis());
        switch (view.kind()) {
            case FLEET -> fleet(view, root);
            case CLICKS -> clicks(view, root);
            case IMAGES -> newest(view, root, "images", FlowViews::image);
            case MATCHES -> newest(view, root, "matches", FlowViews::match);
            case SOMEDATA -> newest(view, root, "documents", FlowViews::document);
        }
        return root;
    }

    /** Reads the newest {@code perPartition} records of each partition; notes a missing topic and an incomplete read. */
    private void tail(String topic, int perPartition, ObjectNode root, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        long[] read = new long[1];
        boolean complete = true;
        try (KafkaConsumer<byte[], byte[]> consumer = reader.consumer()) {
            List<TopicPartition> partitions = reader.partitions(consumer, topic);
            root.put("missing", partitions.isEmpty());
            if (!partitions.isEmpty()) {
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, reader.timeout());
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, reader.timeout());
                Map<TopicPartition, long[]> ranges = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    long last = end.get(tp) - 1;
                    ranges.put(tp, new long[] {Math.max(begin.get(tp), end.get(tp) - perPartition), last});
                }
                complete = reader.read(consumer, ranges, record -> {
                    read[0]++;
                    each.accept(record);
                });
            }
        }
        root.put("read", read[0]);
        root.put("complete", complete);
    }

    /** The newest {@code view.records()} records, newest first, each as {@code row} makes it. */
    private void newest(
            FlowsConfig.View view,
            ObjectNode root,
            String field,
            java.util.function.Function<ConsumerRecord<byte[], byte[]>, ObjectNode> row) {
        Comparator<ObjectNode> newestFirst = Comparator.<ObjectNode>comparingLong(
                        n -> n.get("timestamp").asLong())
                .thenComparingLong(n -> n.get("offset").asLong())
                .reversed();
        java.util.PriorityQueue<ObjectNode> kept = new java.util.PriorityQueue<>(newestFirst.reversed());
        tail(view.topic(), view.records(), root, record -> {
            kept.add(row.apply(record));
            if (kept.size() > view.records()) {
                kept.poll();
            }
        });
        List<ObjectNode> rows = new ArrayList<>(kept);
        rows.sort(newestFirst);
        ArrayNode array = root.putArray(field);
        rows.forEach(array::add);
    }

    private static ObjectNode base(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = ConsoleJson.object();
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        return node;
    }

    private static ObjectNode document(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = base(record);
        node.set("key", ConsoleJson.MAPPER.valueToTree(LetterPreview.of(record.key(), LetterPreview.HEADER_BYTES)));
        node.set("value", ConsoleJson.MAPPER.valueToTree(LetterPreview.of(record.value())));
        return node;
    }

    private static ObjectNode image(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = base(record);
        byte[] value = record.value();
        node.put("size", value == null ? 0 : value.length);
        Optional<String> type = ImageType.of(value);
        if (type.isPresent()) {
            node.put("type", type.get());
            node.put("thumbnail", value.length <= MAX_IMAGE_BYTES);
        } else {
            node.put("thumbnail", false);
            node.set("value", ConsoleJson.MAPPER.valueToTree(LetterPreview.of(value, 256)));
        }
        node.set("key", ConsoleJson.MAPPER.valueToTree(LetterPreview.of(record.key(), LetterPreview.HEADER_BYTES)));
        return node;
    }

    private static ObjectNode match(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = base(record);
        JsonNode m = parse(record.value());
        if (m == null || !m.isObject()) {
            node.set("value", ConsoleJson.MAPPER.valueToTree(LetterPreview.of(record.value(), 256)));
            return node;
        }
        putText(node, "id", m.path("id"));
        putText(node, "date", m.path("utcDate"));
        putText(node, "competition", m.path("competition").path("name"));
        putText(node, "matchday", m.path("matchday"));
        putText(node, "status", m.path("status"));
        putText(node, "home", m.path("homeTeam").path("name"));
        putText(node, "away", m.path("awayTeam").path("name"));
        putNumber(node, "homeGoals", m.path("score").path("fullTime").path("home"));
        putNumber(node, "awayGoals", m.path("score").path("fullTime").path("away"));
        putText(node, "winner", m.path("score").path("winner"));
        return node;
    }

    /** The latest position and speed per vehicle ({@code vin}), from the telemetry among the topic's records. */
    private void fleet(FlowsConfig.View view, ObjectNode root) {
        Map<String, ObjectNode> latest = new TreeMap<>();
        long[] other = new long[1];
        tail(view.topic(), view.records(), root, record -> {
            JsonNode t = parse(record.value());
            String vin =
                    t != null && t.path("vin").isValueNode() ? t.path("vin").asText() : "";
            if (vin.isEmpty()) {
                other[0]++;
                return;
            }
            ObjectNode before = latest.get(safe(vin));
            if (before != null && before.get("timestamp").asLong() > record.timestamp()) {
                return;
            }
            if (before == null && latest.size() >= MAX_VEHICLES) {
                return;
            }
            ObjectNode v = base(record);
            v.put("vin", safe(vin));
            putText(v, "make", t.path("make"));
            putText(v, "model", t.path("model"));
            putNumber(v, "x", t.path("position_x"));
            putNumber(v, "y", t.path("position_y"));
            putNumber(v, "z", t.path("position_z"));
            putNumber(v, "speed", t.path("speed"));
            putNumber(v, "time", t.path("timestamp"));
            latest.put(safe(vin), v);
        });
        root.put("other", other[0]);
        ArrayNode vehicles = root.putArray("vehicles");
        latest.values().forEach(vehicles::add);
    }

    /** The rollup's latest document per pair, grouped by country: countries by clicks, each with its top pages. */
    private void clicks(FlowsConfig.View view, ObjectNode root) {
        Map<String, ObjectNode> pairs = new LinkedHashMap<>();
        long[] other = new long[1];
        tail(view.topic(), view.records(), root, record -> {
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            JsonNode doc = parse(record.value());
            if (record.value() == null) {
                pairs.remove(key); // a tombstone
                return;
            }
            if (doc == null
                    || !doc.path("url").isTextual()
                    || !doc.path("country").isTextual()
                    || !doc.path("clicks").canConvertToLong()) {
                other[0]++;
                return;
            }
            ObjectNode pair = ConsoleJson.object();
            pair.put("url", safe(doc.get("url").asText()));
            pair.put("country", safe(doc.get("country").asText()));
            pair.put("clicks", Math.max(0, doc.get("clicks").asLong()));
            pair.put("uniqueUsers", Math.max(0, doc.path("unique_users").asLong()));
            putText(pair, "lastClick", doc.path("last_click"));
            pairs.remove(key); // re-inserted: the newest per key wins (a key's records stay in one partition)
            pairs.put(key, pair);
        });
        Map<String, List<ObjectNode>> byCountry = new HashMap<>();
        pairs.values()
                .forEach(p -> byCountry
                        .computeIfAbsent(p.get("country").asText(), c -> new ArrayList<>())
                        .add(p));
        Comparator<ObjectNode> byClicks = Comparator.<ObjectNode>comparingLong(
                        p -> p.get("clicks").asLong())
                .reversed()
                .thenComparing(p -> p.get("url").asText());
        List<Map.Entry<String, List<ObjectNode>>> countries = new ArrayList<>(byCountry.entrySet());
        countries.sort(Comparator.<Map.Entry<String, List<ObjectNode>>>comparingLong(e -> total(e.getValue()))
                .reversed()
                .thenComparing(Map.Entry::getKey));
        root.put("pairs", pairs.size());
        root.put("other", other[0]);
        root.put("countryCount", countries.size());
        ArrayNode out = root.putArray("countries");
        for (var entry : countries.subList(0, Math.min(MAX_COUNTRIES, countries.size()))) {
            ObjectNode country = out.addObject();
            country.put("country", entry.getKey());
            country.put("clicks", total(entry.getValue()));
            country.put("pairs", entry.getValue().size());
            ArrayNode pages = country.putArray("pages");
            entry.getValue().stream()
                    .sorted(byClicks)
                    .limit(PAGES_PER_COUNTRY)
                    .forEach(p -> pages.addObject()
                            .put("url", p.get("url").asText())
                            .put("clicks", p.get("clicks").asLong())
                            .put("uniqueUsers", p.get("uniqueUsers").asLong()));
        }
    }

    private static long total(List<ObjectNode> pairs) {
        long sum = 0;
        for (ObjectNode p : pairs) {
            sum += p.get("clicks").asLong();
        }
        return sum;
    }

    /** The value as JSON when it is small enough and parses, else null. */
    static JsonNode parse(byte[] value) {
        if (value == null || value.length == 0 || value.length > MAX_JSON_BYTES) {
            return null;
        }
        try {
            return ConsoleJson.MAPPER.readTree(value);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** A field shown as text: scalars only, cut to {@link #MAX_TEXT} characters and escaped like a preview. */
    private static void putText(ObjectNode node, String field, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            node.put(field, safe(value.asText()));
        }
    }

    /** A field shown as a number: finite numbers, or strings that are one (form posts may send either). */
    private static void putNumber(ObjectNode node, String field, JsonNode value) {
        double d;
        if (value.isNumber()) {
            d = value.asDouble();
        } else if (value.isTextual() && value.asText().length() <= 40) {
            try {
                d = Double.parseDouble(value.asText());
            } catch (NumberFormatException e) {
                return;
            }
        } else {
            return;
        }
        if (Double.isFinite(d)) {
            node.put(field, d);
        }
    }

    /** Cut to {@link #MAX_TEXT} characters, invisible and misleading characters escaped. */
    static String safe(String text) {
        String cut = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
        LetterPreview preview = LetterPreview.of(cut.getBytes(StandardCharsets.UTF_8), MAX_TEXT * 4 + 8);
        return preview.kind().equals("text") ? preview.text() : "(" + preview.type() + ")";
    }
}
