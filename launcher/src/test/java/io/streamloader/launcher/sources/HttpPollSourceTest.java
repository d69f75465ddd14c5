package io.streamloader.launcher.sources;

import static io.streamloader.launcher.sources.TestingFootballData.match;
import static io.streamloader.launcher.sources.TestingFootballData.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.launcher.sources.TestingFootballData.Reply;
import io.streamloader.spi.Event;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The poller against a local fake of football-data.org, publishing into a list. */
class HttpPollSourceTest {
    record Published(String topic, String key, String value, Map<String, String> headers) {}

    private final List<Published> published = new ArrayList<>();
    private final HttpPollSource.Publisher toList = (topic, key, value, headers) -> published.add(new Published(
            topic, new String(key, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8), headers));

    private static HttpPollSourceConfig config(URI url, String token) {
        return new HttpPollSourceConfig(
                "footdata",
                url,
                "footdata",
                Map.of("X-Auth-Token", token),
                "/matches",
                "id",
                "lastUpdated",
                Duration.ofSeconds(60),
                10,
                Duration.ofSeconds(5));
    }

    @Test
    void publishesEachMatchOnceKeyedByItsIdAndAgainWhenItChanges() throws Exception {
        try (TestingFootballData upstream = new TestingFootballData()) {
            upstream.then(Reply.ok(matches(match(1, "2025-03-23T16:00:00Z"), match(2, "2025-03-23T16:00:00Z"))))
                    .then(Reply.ok(matches(match(1, "2025-03-23T16:00:00Z"), match(2, "2025-03-23T17:00:00Z"))));
            HttpPollSource source = new HttpPollSource(config(upstream.url(), TestingFootballData.TOKEN), toList);
            HttpPollSource.Poll first = source.pollOnce();
            assertThat(first.published()).isEqualTo(2);
            assertThat(first.next()).isEqualTo(Duration.ofSeconds(60));
            HttpPollSource.Poll second = source.pollOnce();
            assertThat(second.published()).isEqualTo(1);
            assertThat(second.unchanged()).isEqualTo(1);
            assertThat(published).extracting(Published::key).containsExactly("1", "2", "2");
            assertThat(published).extracting(Published::topic).containsOnly("footdata");
            assertThat(published.getFirst().headers())
                    .containsEntry(Event.ID_HEADER, "footdata-1")
                    .containsEntry(Event.CONTENT_TYPE_HEADER, "application/json");
            assertThat(published.getFirst().value())
                    .startsWith("{\"id\":1,")
                    .contains("\"homeTeam\":{\"name\":\"Lyon\"}");
            assertThat(published.get(2).value()).contains("2025-03-23T17:00:00Z");
        }
    }

    @Test
    void aRateLimitedAnswerWaitsItsRetryAfterAndNeverLessThanTheSpacing() throws Exception {
        try (TestingFootballData upstream = new TestingFootballData()) {
            upstream.then(new Reply(429, "{\"message\":\"You reached your request limit.\"}", "37"))
                    .then(new Reply(429, "{}", "1"))
                    .then(new Reply(429, "{}", "999999"))
                    .then(new Reply(429, "{}", "soon"));
            HttpPollSource source = new HttpPollSource(config(upstream.url(), TestingFootballData.TOKEN), toList);
            assertThat(source.pollOnce().next()).isEqualTo(Duration.ofSeconds(37));
            assertThat(source.pollOnce().next())
                    .as("10 requests/min: 6 s apart")
                    .isEqualTo(Duration.ofSeconds(6));
            assertThat(source.pollOnce().next()).isEqualTo(HttpPollSource.MAX_RETRY_AFTER);
            assertThat(source.pollOnce().next()).isEqualTo(Duration.ofSeconds(6));
            assertThat(published).isEmpty();
        }
    }

    @Test
    void theTokenIsSentInXAuthTokenAndARefusedOneIsLoggedNotFatal() throws Exception {
        try (TestingFootballData upstream = new TestingFootballData()) {
            upstream.then(Reply.ok(matches(match(7, "x"))));
            HttpPollSource wrong = new HttpPollSource(config(upstream.url(), "wrong-token-0123456789"), toList);
            HttpPollSource.Poll refused = wrong.pollOnce();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.next()).isEqualTo(Duration.ofSeconds(60));
            assertThat(upstream.refused.get()).isEqualTo(1);
            assertThat(published).isEmpty();
            new HttpPollSource(config(upstream.url(), TestingFootballData.TOKEN), toList).pollOnce();
            assertThat(published).extracting(Published::key).containsExactly("7");
        }
    }

    @Test
    void hostileAnswersPublishNothingAndNeverThrow() throws Exception {
        try (TestingFootballData upstream = new TestingFootballData()) {
            String deep = "[".repeat(5000) + "]".repeat(5000);
            for (String body : List.of(
                    "",
                    "not json",
                    "{\"matches\":",
                    "{\"matches\":{\"id\":1}}",
                    "[1,2,3]",
                    "{\"matches\":" + deep + "}",
                    "{\"errorCode\":500}")) {
                upstream.then(Reply.ok(body));
            }
            upstream.then(new Reply(500, "<html>down</html>", null));
            upstream.then(Reply.ok(
                    "{\"matches\":[1,\"x\",null,{\"id\":null},{\"id\":{\"a\":1}},{\"no\":1},{\"id\":\" \"}]}"));
            HttpPollSource source = new HttpPollSource(config(upstream.url(), TestingFootballData.TOKEN), toList);
            for (int i = 0; i < 8; i++) {
                assertThat(source.pollOnce().published()).isZero();
            }
            assertThat(source.pollOnce().skipped()).isEqualTo(7);
            assertThat(published).isEmpty();
        }
    }

    @Test
    void anUnreachableUpstreamIsPolledAgainLater() throws Exception {
        HttpPollSource source = new HttpPollSource(
                config(URI.create("http://127.0.0.1:1/v4/matches"), TestingFootballData.TOKEN), toList);
        HttpPollSource.Poll poll = source.pollOnce();
        assertThat(poll.status()).isZero();
        assertThat(poll.next()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFailedPublishIsRetriedOnTheNextPoll() throws Exception {
        try (TestingFootballData upstream = new TestingFootballData()) {
            upstream.then(Reply.ok(matches(match(1, "a"))));
            int[] calls = {0};
            HttpPollSource.Publisher flaky = (topic, key, value, headers) -> {
                if (calls[0]++ == 0) {
                    throw new IllegalStateException("broker unreachable");
                }
                toList.publish(topic, key, value, headers);
            };
            HttpPollSource source = new HttpPollSource(config(upstream.url(), TestingFootballData.TOKEN), flaky);
            assertThat(source.pollOnce().published()).isZero();
            assertThat(source.pollOnce().published()).isEqualTo(1);
            assertThat(published).extracting(Published::key).containsExactly("1");
        }
    }

    @Test
    void configBindsWithDefaultsAndNamesEveryBadKey() {
        var config = ConfigLoader.parse("""
                topics: { footdata: {} }
                sources:
                  footdata:
                    type: http-poll
                    url: https://api.football-data.org/v4/matches
                    topic: footdata
                    headers: { X-Auth-Token: secret-token }
                    items: /matches
                    version-field: lastUpdated
                """, Map.of());
        ConfigProblems problems = new ConfigProblems();
        List<HttpPollSourceConfig> sources = HttpPollSourceConfig.fromConfig(config, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(sources).singleElement().satisfies(s -> {
            assertThat(s.pollEvery()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.maxRequestsPerMinute()).isEqualTo(10);
            assertThat(s.idField()).isEqualTo("id");
            assertThat(s.toString()).doesNotContain("secret-token");
        });

        var bad = ConfigLoader.parse("""
                topics: { footdata: {} }
                sources:
                  footdata:
                    type: ftp-poll
                    url: ftp://x
                    topic: nope
                    headers: { X-Auth-Token: "" }
                    items: matches
                    max-requests-per-minute: 0
                    colour: red
                """, Map.of());
        ConfigProblems badProblems = new ConfigProblems();
        assertThat(HttpPollSourceConfig.fromConfig(bad, badProblems)).isEmpty();
        assertThat(badProblems.list())
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.type: must be http-poll"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.url: must be an http or https URL"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.topic: topic nope must be listed"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.headers.X-Auth-Token: is empty"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.items: is not a JSON pointer"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.max-requests-per-minute:"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.footdata.colour:"));
    }
}
