package io.streamloader.core.transform;

import static io.streamloader.core.transform.TestingEvents.event;
import static io.streamloader.core.transform.TestingEvents.json;
import static io.streamloader.core.transform.TestingEvents.problems;
import static io.streamloader.core.transform.TestingEvents.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** filter (keep/drop by content type, header, JSON pointer) and route (the sl-route header). */
class FilterAndRouteTest {

    @Test
    void keepsEventsWithAFieldAndDropsTheRestWithoutFailingOnHostileValues() throws Exception {
        Transform keepVin = transform("filter", Map.of("json-pointer", "/vin"));
        Event telemetry = json("{\"vin\":\"1HGCM82633A004352\"}");
        assertThat(keepVin.apply(telemetry)).isSameAs(telemetry);
        for (String other :
                new String[] {"{\"page\":\"/\"}", "", "not json", "[1]", "{\"vin\"", "{\"a\":" + "[".repeat(5000)}) {
            assertThat(keepVin.apply(json(other))).as(other).isNull();
        }
        byte[] badUtf8 = {'{', '"', 'v', 'i', 'n', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertThat(keepVin.apply(event(badUtf8, Map.of(), null))).isNotNull(); // present, whatever its bytes
        assertThat(keepVin.apply(event(telemetry.valueBytes(), Map.of(), "image/png")))
                .isNull(); // not JSON: no fields
    }

    @Test
    void equalsMatchesAndDrop() throws Exception {
        Transform clicks = transform("filter", Map.of("json-pointer", "/type", "equals", "click,view"));
        assertThat(clicks.apply(json("{\"type\":\"click\"}"))).isNotNull();
        assertThat(clicks.apply(json("{\"type\":\"buy\"}"))).isNull();
        assertThat(clicks.apply(json("{\"type\":{\"nested\":1}}"))).isNull();
        Transform dropBots = transform("filter", Map.of("header", "ua", "matches", ".*bot.*", "action", "drop"));
        assertThat(dropBots.apply(event(new byte[0], Map.of("ua", "googlebot/2"), null)))
                .isNull();
        assertThat(dropBots.apply(event(new byte[0], Map.of("ua", "firefox"), null)))
                .isNotNull();
        assertThat(dropBots.apply(event(new byte[0], Map.of(), null))).isNotNull();
    }

    @Test
    void contentTypeComparesTheBaseTypeCaseInsensitively() throws Exception {
        Transform images = transform("filter", Map.of("content-type", "image/png,image/JPEG"));
        assertThat(images.apply(event(new byte[1], Map.of(), "image/png; q=1"))).isNotNull();
        assertThat(images.apply(event(new byte[1], Map.of(), "IMAGE/JPEG"))).isNotNull();
        assertThat(images.apply(event(new byte[1], Map.of(), "image/gif"))).isNull();
        assertThat(images.apply(json("{}"))).isNull(); // no header: application/json
    }

    @Test
    void filterConfigProblemsNameTheKeyPath() {
        assertThat(problems("filter", Map.of()))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].header: set exactly one"));
        assertThat(problems("filter", Map.of("header", "a", "json-pointer", "/a")))
                .anyMatch(p -> p.contains("set exactly one"));
        assertThat(problems("filter", Map.of("json-pointer", "vin")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].json-pointer: is not a JSON pointer"));
        assertThat(problems("filter", Map.of("header", "a", "matches", "(")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].matches: is not a regular expression"));
        assertThat(problems("filter", Map.of("header", "a", "action", "keepp")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].action: must be one of keep, drop"));
        assertThat(problems("filter", Map.of("content-type", "a/b", "equals", "x")))
                .anyMatch(p -> p.contains("content-type: is its own test"));
        assertThat(problems("filter", Map.of("header", "a", "exists", "false")))
                .anyMatch(p -> p.contains("exists: may only be true"));
    }

    @Test
    void routeSetsTheLowerCasedSuffixHeaderWithoutCopyingTheValue() throws Exception {
        Transform route = transform("route", Map.of("json-pointer", "/kind"));
        Event in = event("{\"kind\":\"Click\"}".getBytes(StandardCharsets.UTF_8), Map.of("h", "1"), null);
        Event out = route.apply(in);
        assertThat(out.headers()).containsEntry(Transform.ROUTE_HEADER, "click").containsEntry("h", "1");
        assertThat(out.value()).isEqualTo(in.value());
        assertThat(out.offset()).isEqualTo(in.offset());
        assertThat(route.apply(out)).isSameAs(out); // already routed there
        Event numeric = json("{\"kind\":7}");
        assertThat(route.apply(numeric).headers()).containsEntry(Transform.ROUTE_HEADER, "7");
    }

    @Test
    void aMissingRoutePassesOrFailsAsConfigured() throws Exception {
        Event none = json("{\"other\":1}");
        assertThat(transform("route", Map.of("json-pointer", "/kind")).apply(none))
                .isSameAs(none);
        Event nullKind = json("{\"kind\":null}");
        assertThat(transform("route", Map.of("json-pointer", "/kind")).apply(nullKind))
                .isSameAs(nullKind);
        Transform strict = transform("route", Map.of("json-pointer", "/kind", "missing", "fail"));
        assertThatThrownBy(() -> strict.apply(none)).hasMessageContaining("no route: field /kind is missing");
        Event blob = event(new byte[] {1, 2}, Map.of(), "image/png");
        assertThatThrownBy(() -> strict.apply(blob)).hasMessageContaining("no route");
    }

    @Test
    void hostileRouteValuesFail() {
        Transform route = transform("route", Map.of("json-pointer", "/kind"));
        for (String kind : new String[] {
            "\"../etc\"",
            "\"a b\"",
            "\"\"",
            "\"_all,other\"",
            "\"x".repeat(1) + "y".repeat(65) + "\"",
            "\"é\"",
            "\"a*\"",
            "{\"x\":1}",
            "[1]"
        }) {
            assertThatThrownBy(() -> route.apply(json("{\"kind\":" + kind + "}")))
                    .as(kind)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> route.apply(json("{not json"))).hasMessageContaining("not valid JSON");
    }

    @Test
    void routeByHeader() throws Exception {
        Transform route = transform("route", Map.of("header", "tenant"));
        assertThat(route.apply(event(new byte[0], Map.of("tenant", "ACME"), null))
                        .headers())
                .containsEntry(Transform.ROUTE_HEADER, "acme");
        assertThat(problems("route", Map.of())).anyMatch(p -> p.contains("set exactly one of json-pointer"));
        assertThat(problems("route", Map.of("header", "t", "missing", "drop")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].missing: must be one of pass, fail"));
    }
}
