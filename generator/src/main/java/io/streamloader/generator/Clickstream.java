package io.streamloader.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Seed 001's clickstream: user_id, timestamp, url, country, city, browser, os, device drawn from fixed pools (100
 * users, 100 URLs, 30 countries), as JSON objects with those field names; {@code batch} events per request as an array,
 * each optionally padded to about {@code eventBytes}.
 */
public final class Clickstream implements Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final String[] WORDS = {
        "bradley", "lopez", "larsen", "kim", "garcia", "novak", "okafor", "silva", "tanaka", "muller", "rossi",
        "dubois", "nowak", "smith", "jensen", "costa", "ivanov", "haddad", "singh", "chen"
    };
    private static final String[] TLDS = {"com", "info", "net", "org", "biz"};
    private static final String[] COUNTRIES = {
        "France",
        "Germany",
        "Czech Republic",
        "Dominican Republic",
        "Japan",
        "Brazil",
        "Canada",
        "India",
        "Nigeria",
        "Kenya",
        "Mexico",
        "Peru",
        "Chile",
        "Norway",
        "Sweden",
        "Finland",
        "Poland",
        "Spain",
        "Portugal",
        "Italy",
        "Greece",
        "Turkey",
        "Egypt",
        "Morocco",
        "Vietnam",
        "Thailand",
        "Australia",
        "New Zealand",
        "Ireland",
        "Iceland"
    };
    private static final String[] CITY_PARTS = {
        "Brandon", "East", "West", "North", "Lake", "Port", "New", "Fort", "Mount", "Saint"
    };
    private static final String[] CITY_SUFFIX = {"stad", "ville", "burgh", "ton", "haven", "field", "side", "mouth"};
    private static final String[] BROWSERS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4_8 like Mac OS X) AppleWebKit/535.1 (KHTML, like Gecko) CriOS/13.0.819.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/117.0.5938.92",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6"
    };
    private static final String[] OS = {"X11; Linux i686", "X11; Linux x86_64"};
    private static final String[] DEVICES = {"fire", "desk", "phone", "tablet", "tv", "watch", "kiosk", "car"};

    private final List<String> users = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final String path;
    private final int batch;
    private final int eventBytes;
    private final boolean positional;
    private final LocalDateTime monthStart;

    /**
     * @param path route to post to
     * @param batch events per request
     * @param eventBytes pad each event to about this many bytes; 0 for no padding
     * @param seed for the fixed pools
     */
    public Clickstream(String path, int batch, int eventBytes, long seed) {
        this(path, batch, eventBytes, seed, false);
    }

    /**
     * @param positional post each click as the original's positional JSON array {@code [user_id, timestamp, url,
     *     country, city, browser, os, device]} (needs {@code api.positional-topics}) instead of an object
     */
    public Clickstream(String path, int batch, int eventBytes, long seed, boolean positional) {
        this.positional = positional;
        this.path = path;
        this.batch = batch;
        this.eventBytes = eventBytes;
        var random = new Random(seed);
        for (int i = 0; i < 100; i++) {
            users.add(new UUID(random.nextLong(), random.nextLong()).toString());
            urls.add("http://" + WORDS[random.nextInt(WORDS.length)] + "-" + WORDS[random.nextInt(WORDS.length)] + "."
                    + TLDS[random.nextInt(TLDS.length)] + "/");
        }
        monthStart = LocalDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
    }

    @Override
    public Request request(URI base, long seq, RandomGenerator random) {
        byte[] body;
        try {
            if (batch == 1) {
                body = JSON.writeValueAsBytes(positional ? positional(event(random)) : event(random));
            } else {
                ArrayNode array = JSON.createArrayNode();
                for (int i = 0; i < batch; i++) {
                    array.add(positional ? positional(event(random)) : event(random));
                }
                body = JSON.writeValueAsBytes(array);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Workload.post(base, path, "application/json", body).build();
    }

    /** One clickstream event, as the generator posts it. */
    public ObjectNode event(RandomGenerator random) {
        long span = ChronoUnit.SECONDS.between(monthStart, LocalDateTime.now(ZoneOffset.UTC));
        ObjectNode e = JSON.createObjectNode()
                .put("user_id", users.get(random.nextInt(users.size())))
                .put(
                        "timestamp",
                        monthStart
                                .plusSeconds(random.nextLong(Math.max(1, span)))
                                .format(TS))
                .put("url", urls.get(random.nextInt(urls.size())))
                .put("country", COUNTRIES[random.nextInt(COUNTRIES.length)])
                .put(
                        "city",
                        CITY_PARTS[random.nextInt(CITY_PARTS.length)] + CITY_SUFFIX[random.nextInt(CITY_SUFFIX.length)])
                .put("browser", BROWSERS[random.nextInt(BROWSERS.length)])
                .put("os", OS[random.nextInt(OS.length)])
                .put("device", DEVICES[random.nextInt(DEVICES.length)]);
        if (eventBytes > 0) {
            int size = e.toString().length();
            if (eventBytes > size + 10) {
                e.put("pad", "x".repeat(eventBytes - size - 10));
            }
        }
        return e;
    }

    /** The original producer's shape: the eight values in column order, no field names. */
    static ArrayNode positional(ObjectNode event) {
        ArrayNode array = JSON.createArrayNode();
        for (String field : FIELDS) {
            array.add(event.get(field).asText());
        }
        return array;
    }

    /** The original's column order. */
    static final java.util.List<String> FIELDS =
            java.util.List.of("user_id", "timestamp", "url", "country", "city", "browser", "os", "device");

    /** The original producer sent one click every 0.1 s. */
    static final double RATE = 10;

    @Override
    public double naturalRate() {
        return RATE / batch;
    }

    @Override
    public int eventsPerRequest() {
        return batch;
    }
}
