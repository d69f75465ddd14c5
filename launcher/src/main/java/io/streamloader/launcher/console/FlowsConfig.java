package io.streamloader.launcher.console;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The console's flows views: section {@code console.flows}, one entry per {@link Kind}, each reading the newest
 * records of one topic. A view is on when its topic is listed under {@code topics:}; with its default topic absent it
 * is simply off, while a {@code topic} set explicitly but not listed is a problem naming the key.
 *
 * <pre>
 * console:
 *   flows:
 *     fleet:    { enabled: true, topic: events, records: 500 }
 *     clicks:   { topic: click_events, records: 2000 }
 *     images:   { topic: images, records: 12 }
 *     matches:  { topic: footdata, records: 50 }
 *     somedata: { topic: somedata, records: 20 }
 * </pre>
 *
 * @param views the views that are on, in {@link Kind} order
 */
public record FlowsConfig(List<View> views) {
    /** Records a view may read per partition at most. */
    public static final int MAX_RECORDS = 5000;

    /** The demo flows a view exists for. */
    public enum Kind {
        /** Seed 004: the latest position and speed per vehicle ({@code vin}) from its telemetry. */
        FLEET("events", 500, "Fleet: positions and speeds"),
        /** Seed 001: the rollup's documents, top pages by country. */
        CLICKS("click_events", 2000, "Clicks: top pages by country"),
        /** Seed 003: the latest images as thumbnails. */
        IMAGES("images", 12, "Images: the latest uploads"),
        /** Seed 002: the latest football matches. */
        MATCHES("footdata", 50, "Matches: the latest results"),
        /** Seed 002's somedata: the latest documents. */
        SOMEDATA("somedata", 20, "Somedata: the latest documents");

        final String defaultTopic;
        final int defaultRecords;
        final String title;

        Kind(String defaultTopic, int defaultRecords, String title) {
            this.defaultTopic = defaultTopic;
            this.defaultRecords = defaultRecords;
            this.title = title;
        }

        /** The view's name in the config and the URL. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String title() {
            return title;
        }
    }

    /**
     * One view that is on.
     *
     * @param kind which flow
     * @param topic the topic it reads
     * @param records newest records it reads per partition (the images view: in all)
     */
    public record View(Kind kind, String topic, int records) {
        public View {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(topic, "topic");
            if (records < 1 || records > MAX_RECORDS) {
                throw new IllegalArgumentException("records must be 1.." + MAX_RECORDS);
            }
        }
    }

    public FlowsConfig {
        views = List.copyOf(views);
    }

    /** Binds {@code console:} into {@code problems}; unknown keys and views are problems naming their key. */
    public static FlowsConfig from(StreamloaderConfig config, ConfigProblems problems) {
        ConfigNode console = config.console().bind(problems);
        ConfigNode flows = console.section("flows");
        List<View> views = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            ConfigNode node = flows.section(kind.key());
            boolean enabled = node.bool("enabled", true);
            String topic = node.string("topic", kind.defaultTopic);
            int records = node.integer("records", kind.defaultRecords, 1, MAX_RECORDS);
            boolean listed = config.topic(topic).isPresent();
            if (!listed && node.has("topic") && enabled) {
                node.problem("topic", "topic '" + topic + "' is not listed under topics:");
            }
            if (enabled && listed) {
                views.add(new View(kind, topic, records));
            }
        }
        console.finish(); // unknown keys and views, each named with a suggestion
        return new FlowsConfig(views);
    }
}
