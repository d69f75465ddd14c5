package io.streamloader.launcher.console;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.RunnerSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamloader dlq list|show|replay}: a sink's dead letters, from the command line. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Inspect a sink's dead letters and replay them to their source topic.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand {
    private static final int OK = 0;
    private static final int FAILURE = 1;
    private static final int INVALID = 2;

    /** What both subcommands need: the config and the sink. */
    abstract static class SinkCommand implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "FILE",
                description = "The streamloader.yaml naming the sink and Kafka.")
        Path config;

        @Option(names = "--sink", required = true, paramLabel = "NAME", description = "The sink (sinks.<NAME>).")
        String sink;

        @Option(
                names = "--timeout",
                defaultValue = "10s",
                paramLabel = "DURATION",
                description = "How long reading the dead-letter topics may take (default ${DEFAULT-VALUE}).")
        String timeout;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** Epoch ms of a {@code --since} option (0 when absent). */
        static long since(String since) {
            if (since == null) {
                return 0;
            }
            try {
                return Since.parse(since, java.time.Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + e.getMessage());
            }
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            StreamloaderConfig loaded;
            Duration limit;
            try {
                loaded = ConfigLoader.load(config, System.getenv());
                limit = Duration.parse("PT" + timeout.toUpperCase(java.util.Locale.ROOT));
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return INVALID;
            } catch (java.time.format.DateTimeParseException e) {
                err.println("--timeout: not a duration like 10s or 1m: " + timeout);
                return INVALID;
            }
            Optional<RunnerSettings> settings = loaded.sink(sink);
            if (settings.isEmpty()) {
                err.println("--sink: no sink '" + sink + "' in " + config + "; sinks: "
                        + loaded.sinks().stream().map(RunnerSettings::name).toList());
                return INVALID;
            }
            var store = new DeadLetterStore(loaded.kafka().clientProperties(), limit);
            try {
                return run(store, loaded, settings.get(), spec.commandLine().getOut());
            } catch (KafkaException e) {
                err.println("Kafka did not answer: " + e.getMessage());
                return FAILURE;
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return INVALID;
            }
        }

        abstract int run(StreamloaderConfig config, DeadLetterStore store, RunnerSettings sink, PrintWriter out);

        private int run(DeadLetterStore store, StreamloaderConfig config, RunnerSettings sink, PrintWriter out) {
            int code = run(config, store, sink, out);
            out.flush();
            return code;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Prints the sink's dead letters: counts by reason and the newest letters with a safe preview.")
    static final class ListLetters extends SinkCommand {
        @Option(
                names = "--limit",
                defaultValue = "20",
                paramLabel = "N",
                description = "Newest letters to print, 1 to 500 (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Only letters whose reason starts with TEXT.")
        String reason;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Only letters written since TIME: an ISO-8601 instant or a time back like 30m, 2h, 7d.")
        String since;

        @Override
        int run(StreamloaderConfig config, DeadLetterStore store, RunnerSettings sink, PrintWriter out) {
            if (limit < 1 || limit > DeadLetterStore.MAX_LIMIT) {
                throw new IllegalArgumentException("--limit: from 1 to " + DeadLetterStore.MAX_LIMIT);
            }
            var filter = new DeadLetterStore.Filter(since(since), Optional.ofNullable(reason));
            DeadLetterStore.Listing listing = store.list(sink, limit, filter);
            out.printf(
                    "sink %s: %d dead letter(s) in %s%s%n",
                    sink.name(),
                    listing.total(),
                    DeadLetterStore.topics(sink),
                    listing.missing().isEmpty() ? "" : " (missing: " + listing.missing() + ")");
            out.printf(
                    "by reason (newest %d scanned%s):%n",
                    listing.scanned(), listing.complete() ? "" : ", time ran out");
            listing.counts().forEach((reason, n) -> out.printf("  %8d  %s%n", n, reason.isEmpty() ? "(none)" : reason));
            for (DeadLetter letter : listing.letters()) {
                out.printf(
                        "%s/%d/%d  %s  from %s/%d@%d  %s%n",
                        letter.topic(),
                        letter.partition(),
                        letter.offset(),
                        Instant.ofEpochMilli(letter.timestamp()),
                        letter.sourceTopic(),
                        letter.sourcePartition(),
                        letter.sourceOffset(),
                        oneLine(letter.reason()));
                out.printf("    value: %s%n", describe(letter.value()));
            }
            return OK;
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = {
                "Sends the selected dead letters back to their source topic (original key, value and headers, plus",
                "sl.replayed-from and sl.replay.*). Select by --reason (letters whose reason starts with it) and/or",
                "--partition with --from/--to offsets. A letter replayed " + Replayer.MAX_REPLAYS + " times,",
                "truncated, or naming a topic the sink does not consume stays put."
            })
    static final class Replay extends SinkCommand {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Letters whose reason starts with TEXT.")
        String reason;

        @Option(names = "--topic", paramLabel = "DLQ", description = "One of the sink's dead-letter topics.")
        String topic;

        @Option(names = "--partition", paramLabel = "P", description = "A partition of the dead-letter topic.")
        Integer partition;

        @Option(names = "--from", defaultValue = "0", paramLabel = "OFFSET", description = "First offset (inclusive).")
        long from;

        @Option(names = "--to", paramLabel = "OFFSET", description = "Last offset (inclusive); default: the newest.")
        Long to;

        @Option(
                names = "--limit",
                defaultValue = "" + Replayer.MAX_LETTERS,
                paramLabel = "N",
                description = "Letters to replay at most (default and maximum ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--dry-run", description = "Count what would be replayed; send nothing.")
        boolean dryRun;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Only letters written since TIME: an ISO-8601 instant or a time back like 30m, 2h, 7d.")
        String since;

        @Override
        int run(StreamloaderConfig config, DeadLetterStore store, RunnerSettings sink, PrintWriter out) {
            if (reason == null && partition == null) {
                throw new IllegalArgumentException("name --reason and/or --partition (with --from/--to)");
            }
            if (topic != null && !DeadLetterStore.topics(sink).contains(topic)) {
                throw new IllegalArgumentException("--topic: one of " + DeadLetterStore.topics(sink));
            }
            if (partition != null
                    && topic == null
                    && DeadLetterStore.topics(sink).size() > 1) {
                throw new IllegalArgumentException(
                        "--topic: the sink has several dead-letter topics " + DeadLetterStore.topics(sink));
            }
            if (limit < 1 || limit > Replayer.MAX_LETTERS) {
                throw new IllegalArgumentException("--limit: from 1 to " + Replayer.MAX_LETTERS);
            }
            var selection = new Replayer.Selection(
                    Optional.ofNullable(topic),
                    partition == null ? OptionalInt.empty() : OptionalInt.of(partition),
                    from,
                    to == null ? Long.MAX_VALUE : to,
                    Optional.ofNullable(reason),
                    since(since),
                    limit);
            var replayer = new Replayer(store, config.kafka().clientProperties(), new ReplayLedger());
            Replayer.Report report = replayer.replay(sink, selection, dryRun, "cli:" + System.getProperty("user.name"));
            out.printf(
                    "%s%d of %d matched letter(s) %s; skipped: %d replayed %d times already, %d truncated, %d with a"
                            + " foreign source, %d already replayed; %d failed%s%n",
                    dryRun ? "dry run: " : "",
                    report.replayed(),
                    report.matched(),
                    dryRun ? "would be replayed" : "replayed",
                    report.loops(),
                    Replayer.MAX_REPLAYS,
                    report.truncated(),
                    report.foreignSource(),
                    report.alreadyReplayed(),
                    report.failed(),
                    report.complete() ? "" : " (stopped by --limit or --timeout: more may match)");
            report.letters().forEach(l -> out.println("  " + l));
            report.errors().forEach(e -> out.println("  error: " + oneLine(e)));
            return report.failed() > 0 || !report.errors().isEmpty() ? FAILURE : OK;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Prints one dead letter in full: coordinates, reason, source, every header, key and value. Text is",
                "shown with control, invisible and invalid characters escaped; binary as size and type."
            })
    static final class Show extends SinkCommand {
        @picocli.CommandLine.Parameters(
                paramLabel = "DLQ/PARTITION/OFFSET",
                description = "The letter, as dlq list prints it, e.g. somedata.dlq/0/17.")
        String letter;

        @Option(
                names = "--max-bytes",
                defaultValue = "1048576",
                paramLabel = "N",
                description = "Bytes of the value shown at most (default ${DEFAULT-VALUE}).")
        int maxBytes;

        @Override
        int run(StreamloaderConfig config, DeadLetterStore store, RunnerSettings sink, PrintWriter out) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.+)/(\\d{1,9})/(\\d{1,18})")
                    .matcher(letter);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "DLQ/PARTITION/OFFSET: like somedata.dlq/0/17, got " + oneLine(letter));
            }
            if (!DeadLetterStore.topics(sink).contains(m.group(1))) {
                throw new IllegalArgumentException(
                        "DLQ/PARTITION/OFFSET: the topic must be one of " + DeadLetterStore.topics(sink));
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("--max-bytes: 1 or more");
            }
            Optional<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> found = store.one(
                    new org.apache.kafka.common.TopicPartition(m.group(1), Integer.parseInt(m.group(2))),
                    Long.parseLong(m.group(3)));
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("no letter " + letter + " (not in the topic, or removed)");
                return INVALID;
            }
            var record = found.get();
            out.printf("letter:    %s/%d/%d%n", record.topic(), record.partition(), record.offset());
            out.printf("timestamp: %s%n", Instant.ofEpochMilli(record.timestamp()));
            DeadLetter summary = DeadLetter.of(record);
            out.printf("reason:    %s%n", oneLine(summary.reason()));
            out.printf(
                    "source:    %s/%d@%d%n",
                    oneLine(summary.sourceTopic()), summary.sourcePartition(), summary.sourceOffset());
            out.println("headers:");
            for (org.apache.kafka.common.header.Header h : record.headers()) {
                out.printf(
                        "  %s: %s%n",
                        oneLine(LetterPreview.of(h.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024)
                                .text()),
                        describe(LetterPreview.of(h.value(), 16 * 1024)));
            }
            out.printf("key:       %s%n", describe(LetterPreview.of(record.key(), 16 * 1024)));
            out.printf("value:     %s%n", describe(LetterPreview.of(record.value(), maxBytes)));
            return OK;
        }
    }

    static String describe(LetterPreview preview) {
        return switch (preview.kind()) {
            case "null" -> "(null)";
            case "binary" -> "(" + preview.size() + " bytes, " + preview.type() + ")";
            default -> oneLine(preview.text()) + (preview.truncated() ? " ... (" + preview.size() + " bytes)" : "");
        };
    }

    /** Newlines and tabs as escapes, so one letter is one line; other controls are escaped by the preview. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c == 0x7F ? '?' : c);
            }
        }
        return out.toString();
    }
}
