package io.streamloader.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.spi.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickRollupTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ClickRollupConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> clicks;
    private TestOutputTopic<String, byte[]> rollups;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        config = new ClickRollupConfig(
                "clickstream",
                "clickstream",
                "click_events",
                "clickstream.dlq",
                "rollup-test",
                stateDir,
                1,
                true,
                Duration.ofMillis(100),
                1 << 20,
                Duration.ofDays(1),
                Map.of());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        RollupMetrics metrics =
                new RollupMetrics("clickstream", registry, () -> new RunnerHealth(RunnerHealth.State.RUNNING, "", NOW));
        driver = new TopologyTestDriver(ClickRollupTopology.build(config, metrics), props, NOW);
        clicks = driver.createInputTopic("clickstream", new ByteArraySerializer(), new ByteArraySerializer());
        rollups = driver.createOutputTopic("click_events", new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters =
                driver.createOutputTopic("clickstream.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void post(String id, String json) {
        post(id, json, NOW);
    }

    private void post(String id, String json, Instant kafkaTime) {
        RecordHeaders headers = new RecordHeaders();
        if (id != null) {
            headers.add(Event.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
        clicks.pipeInput(new TestRecord<>(
                id == null ? null : id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8),
                headers,
                kafkaTime));
    }

    private static String click(String user, String timestamp, String url, String country) {
        return "{\"user_id\":\"" + user + "\",\"timestamp\":\"" + timestamp + "\",\"url\":\"" + url
                + "\",\"country\":\"" + country
                + "\",\"city\":\"Brandonstad\",\"browser\":\"Mozilla/5.0\",\"os\":\"X11; Linux i686\",\"device\":\"fire\"}";
    }

    private static String positional(String user, String timestamp, String url, String country) {
        return "[\"" + user + "\",\"" + timestamp + "\",\"" + url + "\",\"" + country
                + "\",\"Brandonstad\",\"Mozilla/5.0\",\"X11; Linux i686\",\"fire\"]";
    }

    /** The latest document per key, with the headers of the last record checked on the way. */
    private Map<String, JsonNode> documents() {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        for (TestRecord<String, byte[]> r : rollups.readRecordsToList()) {
            assertThat(new String(r.headers().lastHeader(Event.ID_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo(r.key());
            docs.put(r.key(), json(r.value()));
        }
        return docs;
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode doc(
            String url,
            String country,
            long clicks,
            long users,
            String first,
            String last,
            long spent,
            String avgSec,
            String avg) {
        return json(("{\"url\":\"%s\",\"country\":\"%s\",\"clicks\":%d,\"unique_users\":%d,\"first_click\":\"%s\","
                        + "\"last_click\":\"%s\",\"time_spent_sec\":%d,\"average_time_sec\":%s,\"average_time\":\"%s\"}")
                .formatted(url, country, clicks, users, first, last, spent, avgSec, avg)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aggregatesClicksPerUrlAndCountryWithExactUniqueUsersAndDaysInTheAverage() {
        String a = "http://bradley-lopez.com/";
        post("e1", click("u1", "2023-07-01T10:00:00", a, "Chile"));
        post("e2", click("u1", "2023-07-01T10:05:00", a, "Chile")); // same user, same page
        post("e3", positional("u2", "2023-07-04T10:00:00", a, "Chile")); // 3 days later, positional form
        post("e4", click("u3", "2023-07-02T00:00:00", a, "Peru")); // same url, other country

        Map<String, JsonNode> docs = documents();
        assertThat(docs).containsOnlyKeys(a + "|Chile", a + "|Peru");
        // 259200 s over 2 users = 129600 s = 1 day 12 h
        assertThat(docs.get(a + "|Chile"))
                .isEqualTo(doc(
                        a,
                        "Chile",
                        3,
                        2,
                        "2023-07-01T10:00:00Z",
                        "2023-07-04T10:00:00Z",
                        259_200,
                        "129600",
                        "1.12:00:00"));
        assertThat(docs.get(a + "|Peru"))
                .isEqualTo(doc(a, "Peru", 1, 1, "2023-07-02T00:00:00Z", "2023-07-02T00:00:00Z", 0, "0", "00:00:00"));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void lateAndOutOfOrderClicksMoveFirstAndLastClick() {
        String url = "https://larsen.info/";
        post("e1", click("u1", "2023-07-10T12:00:00", url, "Czech Republic"));
        post("e2", click("u2", "2023-07-20T12:00:00", url, "Czech Republic"));
        post("e3", click("u3", "2023-07-01T00:00:00", url, "Czech Republic"), NOW.plusSeconds(3600)); // late
        post("e4", click("u1", "2023-07-15T00:00:00", url, "Czech Republic")); // inside the span

        JsonNode doc = documents().get(url + "|Czech Republic");
        assertThat(doc.get("first_click").asText()).isEqualTo("2023-07-01T00:00:00Z");
        assertThat(doc.get("last_click").asText()).isEqualTo("2023-07-20T12:00:00Z");
        assertThat(doc.get("clicks").asLong()).isEqualTo(4);
        assertThat(doc.get("unique_users").asLong()).isEqualTo(3);
        assertThat(doc.get("time_spent_sec").asLong()).isEqualTo(1_684_800);
        assertThat(doc.get("average_time_sec").decimalValue()).isEqualByComparingTo("561600");
        assertThat(doc.get("average_time").asText()).isEqualTo("6.12:00:00");
    }

    @Test
    void anEventPostedTwiceWithTheSameIdCountsOnce() {
        String url = "http://a.example/";
        post("dup-1", click("u1", "2023-07-01T00:00:00", url, "Chile"));
        post("dup-1", click("u1", "2023-07-01T00:00:00", url, "Chile"), NOW.plusSeconds(60));
        post("dup-2", click("u2", "2023-07-01T00:00:30", url, "Chile"));
        post("dup-2", click("u2", "2023-07-01T00:00:30", url, "Chile"), NOW.plusSeconds(120));

        JsonNode doc = documents().get(url + "|Chile");
        assertThat(doc.get("clicks").asLong()).isEqualTo(2);
        assertThat(doc.get("unique_users").asLong()).isEqualTo(2);
        assertThat(doc.get("average_time_sec").decimalValue()).isEqualByComparingTo("15");
    }

    @Test
    void eventsWithoutAnIdAreEachCounted() {
        String url = "http://a.example/";
        post(null, click("u1", "2023-07-01T00:00:00", url, "Chile"));
        post(null, click("u1", "2023-07-01T00:00:00", url, "Chile"));

        assertThat(documents().get(url + "|Chile").get("clicks").asLong()).isEqualTo(2);
    }

    @Test
    void averageTimeKeepsMillisecondsAsANumberAndTruncatesTheClock() {
        String url = "http://a.example/";
        post("e1", click("u1", "2023-07-01T00:00:00", url, "Chile"));
        post("e2", click("u2", "2023-07-01T00:00:10", url, "Chile"));
        post("e3", click("u3", "2023-07-01T00:00:10.900", url, "Chile"));

        JsonNode doc = documents().get(url + "|Chile");
        assertThat(doc.get("last_click").asText()).isEqualTo("2023-07-01T00:00:10.900Z");
        assertThat(doc.get("time_spent_sec").asLong()).isEqualTo(10);
        assertThat(doc.get("average_time_sec").isNumber()).isTrue();
        assertThat(doc.get("average_time_sec").decimalValue()).isEqualByComparingTo("3.333");
        assertThat(doc.get("average_time").asText()).isEqualTo("00:00:03");
    }

    @Test
    void timestampsWithAnOffsetAreConvertedToUtc() {
        String url = "http://a.example/";
        post("e1", click("u1", "2023-07-01T02:00:00+02:00", url, "Chile"));

        assertThat(documents().get(url + "|Chile").get("first_click").asText()).isEqualTo("2023-07-01T00:00:00Z");
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicWithReasonAndSourceAndTheRestIsCounted() {
        String url = "http://a.example/";
        post("bad-url", "{\"user_id\":\"u1\",\"timestamp\":\"2023-07-01T00:00:00\",\"country\":\"Chile\"}");
        post("bad-time", click("u1", "yesterday", url, "Chile"));
        post("not-json", "not json {");
        post("short", "[\"u1\",\"2023-07-01T00:00:00\",\"" + url + "\"]");
        post("scalar", "42");
        post("blank-country", click("u1", "2023-07-01T00:00:00", url, " "));
        post("good", click("u1", "2023-07-01T00:00:00", url, "Chile"));

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(6);
        Map<String, String> reasons = new LinkedHashMap<>();
        for (int i = 0; i < letters.size(); i++) {
            TestRecord<byte[], byte[]> letter = letters.get(i);
            assertThat(header(letter, ParseProcessor.ERROR_SINK)).isEqualTo("clickstream");
            assertThat(header(letter, ParseProcessor.SOURCE_TOPIC)).isEqualTo("clickstream");
            assertThat(header(letter, ParseProcessor.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(letter, ParseProcessor.SOURCE_OFFSET)).isEqualTo(Integer.toString(i));
            assertThat(header(letter, ParseProcessor.ERROR_TIME)).isNotBlank();
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(header(letter, Event.ID_HEADER));
            reasons.put(
                    header(letter, Event.ID_HEADER),
                    header(letter, ParseProcessor.ERROR_CLASS) + ": " + header(letter, ParseProcessor.ERROR_REASON));
        }
        assertThat(new String(letters.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
        assertThat(reasons)
                .containsExactly(
                        Map.entry("bad-url", "invalid_click: missing url"),
                        Map.entry(
                                "bad-time",
                                "invalid_click: bad timestamp 'yesterday': expected ISO-8601 such as"
                                        + " 2023-07-10T22:04:43 (UTC)"),
                        Map.entry("not-json", reasons.get("not-json")),
                        Map.entry(
                                "short",
                                "invalid_click: positional click must have 8 elements [user_id, timestamp, url,"
                                        + " country, city, browser, os, device], had 3"),
                        Map.entry("scalar", "invalid_click: click must be a JSON object or an array of 8, was NUMBER"),
                        Map.entry("blank-country", "invalid_click: missing country"));
        assertThat(reasons.get("not-json")).startsWith("parse_error: value is not JSON");
        assertThat(documents()).containsOnlyKeys(url + "|Chile");
    }

    @Test
    void countsEventsInDeadLettersByClassDuplicatesAndRollupsOutTaggedWithTheProcessor() {
        String url = "http://a.example/";
        post("e1", click("u1", "2023-07-01T00:00:00", url, "Chile"));
        post("e1", click("u1", "2023-07-01T00:00:00", url, "Chile"));
        post("e2", click("u2", "2023-07-01T00:00:01", url, "Peru"));
        post("bad-1", "{not json");
        post("bad-2", "{\"user_id\":\"u1\",\"timestamp\":\"2023-07-01T00:00:00\",\"country\":\"Chile\"}");
        post("bad-3", "{\"user_id\":\"u1\",\"timestamp\":\"yesterday\",\"url\":\"u\",\"country\":\"Chile\"}");
        int published = rollups.readRecordsToList().size();

        assertThat(count(RollupMetrics.EVENTS_IN, null)).isEqualTo(6);
        assertThat(count(RollupMetrics.DUPLICATES, null)).isEqualTo(1);
        assertThat(count(RollupMetrics.DEAD_LETTERED, ClickParser.PARSE_ERROR)).isEqualTo(1);
        assertThat(count(RollupMetrics.DEAD_LETTERED, ClickParser.INVALID_CLICK))
                .isEqualTo(2);
        assertThat(deadLetters.readRecordsToList()).hasSize(3);
        assertThat(published).isPositive();
        assertThat(count(RollupMetrics.ROLLUPS_OUT, null)).isEqualTo(published);
        assertThat(registry.get(RollupMetrics.STATE)
                        .tags("processor", "clickstream", "state", "RUNNING")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(registry.get(RollupMetrics.STATE)
                        .tags("processor", "clickstream", "state", "FAILED")
                        .gauge()
                        .value())
                .isZero();
    }

    private double count(String meter, String reason) {
        var search = registry.get(meter).tag("processor", "clickstream");
        return (reason == null ? search : search.tag("reason", reason))
                .counter()
                .count();
    }

    @Test
    void theSameUserOnAnotherPairIsNewThere() {
        post("e1", click("u1", "2023-07-01T00:00:00", "http://a.example/", "Chile"));
        post("e2", click("u1", "2023-07-01T00:00:00", "http://b.example/", "Chile"));
        post("e3", click("u1", "2023-07-01T00:00:00", "http://a.example/", "Peru"));

        Map<String, JsonNode> docs = documents();
        assertThat(docs).hasSize(3);
        docs.values().forEach(d -> assertThat(d.get("unique_users").asLong()).isEqualTo(1));
    }

    private static String header(TestRecord<byte[], byte[]> record, String key) {
        var h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
