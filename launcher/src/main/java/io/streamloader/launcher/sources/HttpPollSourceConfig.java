package io.streamloader.launcher.sources;

import com.fasterxml.jackson.core.JsonPointer;
import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code sources:} of type {@code http-poll}: a URL polled on an interval, its items published to a topic.
 *
 * <pre>
 * sources:
 *   footdata:
 *     type: http-poll                 # the only type
 *     enabled: true
 *     url: https://api.football-data.org/v4/matches   # required, http or https
 *     topic: footdata                 # required; must be listed under topics:
 *     headers: { X-Auth-Token: "${FOOT_TOKEN}" }       # values are secrets: never logged
 *     items: /matches                 # JSON pointer to the array of items; "" = the body is the array
 *     id-field: id                    # each item's key and event id (source name + id)
 *     version-field: lastUpdated      # an item is published again only when this changes; "" = when anything does
 *     interval: 60s                   # between polls
 *     max-requests-per-minute: 10     # football-data.org's free tier
 *     request-timeout: 60s
 * </pre>
 *
 * @param name the entry's name
 * @param url what is polled
 * @param topic where items go
 * @param headers request headers (secrets)
 * @param items JSON pointer to the items array
 * @param idField each item's id field
 * @param versionField the field whose change republishes an item; empty: the whole item
 * @param interval time between polls (at least the rate limit's spacing)
 * @param maxRequestsPerMinute the upstream's rate limit
 * @param requestTimeout one request's timeout
 */
public record HttpPollSourceConfig(
        String name,
        URI url,
        String topic,
        Map<String, String> headers,
        String items,
        String idField,
        String versionField,
        Duration interval,
        int maxRequestsPerMinute,
        Duration requestTimeout) {

    public static final String TYPE = "http-poll";

    public HttpPollSourceConfig {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        JsonPointer.compile(items);
        if (maxRequestsPerMinute < 1) {
            throw new IllegalArgumentException("max-requests-per-minute must be at least 1");
        }
    }

    /** Least time between two requests the rate limit allows. */
    public Duration spacing() {
        return Duration.ofMillis((60_000L + maxRequestsPerMinute - 1) / maxRequestsPerMinute);
    }

    /** Time between polls: the configured interval, never below the rate limit's spacing. */
    public Duration pollEvery() {
        return interval.compareTo(spacing()) < 0 ? spacing() : interval;
    }

    /** The enabled sources of {@code sources:}; each problem recorded in {@code problems} with its key path. */
    public static List<HttpPollSourceConfig> fromConfig(StreamloaderConfig config, ConfigProblems problems) {
        List<HttpPollSourceConfig> out = new ArrayList<>();
        ConfigNode root = config.sources().bind(problems);
        var topics = config.topics().stream().map(t -> t.name()).toList();
        root.sections().forEach((name, node) -> {
            int before = problems.list().size();
            boolean enabled = node.bool("enabled", true);
            String type = node.requiredString("type");
            if (!type.isEmpty() && !type.equals(TYPE)) {
                node.problem("type", "must be " + TYPE + ", was \"" + type + "\"");
            }
            URI url = node.uri("url", null);
            if (url == null) {
                node.problem("url", "is required");
            } else if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                node.problem("url", "must be an http or https URL, was " + url);
            }
            String topic = node.requiredString("topic");
            if (!topic.isEmpty() && !topics.contains(topic)) {
                node.problem("topic", "topic " + topic + " must be listed under topics:");
            }
            Map<String, String> headers = new LinkedHashMap<>(node.flatStringMap("headers"));
            headers.forEach((header, value) -> {
                if (value.isBlank()) {
                    node.problem("headers." + header, "is empty (an unset environment variable?)");
                }
            });
            String items = node.string("items", "");
            try {
                JsonPointer.compile(items);
            } catch (IllegalArgumentException e) {
                node.problem("items", "is not a JSON pointer (such as /matches): " + e.getMessage());
                items = "";
            }
            String idField = node.string("id-field", "id");
            String versionField = node.string("version-field", "");
            Duration interval = node.duration("interval", Duration.ofSeconds(60));
            int perMinute = node.integer("max-requests-per-minute", 10, 1, 6000);
            Duration timeout = node.duration("request-timeout", Duration.ofSeconds(60));
            if (timeout.isZero()) {
                node.problem("request-timeout", "must be positive");
            }
            if (enabled && problems.list().size() == before) {
                out.add(new HttpPollSourceConfig(
                        name, url, topic, headers, items, idField, versionField, interval, perMinute, timeout));
            }
        });
        root.finish();
        return out;
    }

    /** Header values left out: they are tokens. */
    @Override
    public String toString() {
        return "HttpPollSourceConfig[name=" + name + ", url=" + url + ", topic=" + topic + ", headers="
                + headers.keySet() + " (values masked), items=" + items + ", idField=" + idField + ", versionField="
                + versionField + ", interval=" + interval + ", maxRequestsPerMinute=" + maxRequestsPerMinute + "]";
    }
}
