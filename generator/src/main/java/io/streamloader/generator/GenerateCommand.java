package io.streamloader.generator;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code generate somedata|footdata|clickstream|fleet|images --rate R --count N --url U}: posts the original demos'
 * data to the producer API, shows a progress bar and prints a summary (sent, failed, rates, client CPU per request,
 * latency p50/p90/p99/p99.9/max measured from each request's intended send time at a fixed rate) plus one {@code
 * SUMMARY ...} line for scripts. Exit code 0 when every request got a 2xx, {@value #EXIT_REQUESTS_FAILED} when any
 * did not, 2 for an invalid command line (picocli's usage error). Without {@code --count} it runs until SIGINT (Ctrl-C)
 * or SIGTERM, then stops sending, waits for the answers in flight and prints the same summary with the same exit
 * codes; a second signal ends the process at once.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Post demo data (somedata, footdata, clickstream, fleet, images) to the producer API.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every request got a 2xx answer.",
            "2:Invalid command line; nothing was sent.",
            "3:Some requests failed (no answer, or not 2xx); the summary counts them per status."
        })
public final class GenerateCommand implements Callable<Integer> {

    /** The exit code when any request got no 2xx answer: not 2, which means the input was invalid. */
    public static final int EXIT_REQUESTS_FAILED = 3;

    private static final int MAX_CONCURRENCY = 4096;

    /** The workloads, named after the original demos' data. */
    public enum Kind {
        somedata,
        footdata,
        clickstream,
        fleet,
        images
    }

    @Parameters(index = "0", description = "one of ${COMPLETION-CANDIDATES}")
    Kind kind;

    @Option(
            names = "--rate",
            defaultValue = "0",
            converter = RateConverter.class,
            description = "requests per second, each timed from when it was due (no coordinated omission); 0 (the"
                    + " default) = the original's pace (somedata, footdata: one every 10 s; clickstream 10/s; fleet:"
                    + " vehicles / period; images 3/s); max = as fast as --concurrency allows")
    double rate;

    @Option(
            names = "--count",
            description = "requests to send; without it, until Ctrl-C or SIGTERM (then the summary, exit code as"
                    + " below), as the originals' producers ran")
    Long count;

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "API base URL")
    URI url;

    @Option(
            names = "--concurrency",
            defaultValue = "32",
            description = "sending threads, each with one keep-alive connection: requests in flight at most")
    int concurrency;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "how long to wait for a response before counting the request failed (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(
            names = "--path",
            description = "route to post to (default: /somedata, /footdata, /topics/clickstream,"
                    + " /events, /topics/images)")
    String path;

    @Option(names = "--batch", defaultValue = "1", description = "clickstream: events per request (a JSON array)")
    int batch;

    @Option(names = "--event-bytes", defaultValue = "0", description = "clickstream: pad each event to about N bytes")
    int eventBytes;

    @Option(names = "--vehicles", defaultValue = "10", description = "fleet: number of vehicles")
    int vehicles;

    @Option(names = "--period", defaultValue = "3", description = "fleet: seconds between a vehicle's reports")
    double period;

    @Option(
            names = "--image-size",
            defaultValue = "1920x1080",
            description = "images: WIDTHxHEIGHT of the random PNG (the original's full HD; 3 per second by default)")
    String imageSize;

    @Option(names = "--make", defaultValue = "Ford", description = "fleet: every vehicle's make (VEHICLE_MAKE)")
    String make;

    @Option(
            names = "--model",
            description = "fleet: every vehicle's model (VEHICLE_MODEL); default a random Ford model")
    String model;

    @Option(
            names = "--velocity",
            defaultValue = "2,4,100",
            description = "fleet: maximum velocity per axis X,Y,Z in m/s (VEHICLE_VELOCITY_X/Y/Z)")
    String velocity;

    @Option(
            names = "--click-shape",
            defaultValue = "positional",
            description = "clickstream: positional (the original's JSON arrays, 10 per second by default) or object")
    String clickShape;

    @Option(names = "--customer-id", defaultValue = "1", description = "images: customer_id")
    int customerId;

    @Option(names = "--api-key", description = "sent as X-API-Key")
    String apiKey;

    @Option(
            names = "--warmup",
            defaultValue = "0",
            description = "requests sent first and left out of the summary (JIT and connections warm up; they still"
                    + " reach the API)")
    long warmup;

    @Option(names = "--no-progress", description = "no progress bar (for scripts)")
    boolean noProgress;

    /** The last run's summary (tests read its histograms). */
    LoadRun.Summary summary;

    @Override
    public Integer call() throws Exception {
        if ((count != null && count < 1)
                || concurrency < 1
                || batch < 1
                || vehicles < 1
                || period <= 0
                || rate < 0
                || warmup < 0
                || !timeout.isPositive()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--count, --concurrency, --batch, --vehicles, --period and --timeout must be positive, --rate and"
                            + " --warmup not negative");
        }
        if (concurrency > MAX_CONCURRENCY) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--concurrency must be at most " + MAX_CONCURRENCY + " (one thread each)");
        }
        Workload workload = withApiKey(workload());
        double pace = rate == RateConverter.MAX ? 0 : rate > 0 ? rate : workload.naturalRate();
        long requests = count == null ? Long.MAX_VALUE : count;
        try (var sender = new HttpSender(concurrency, Duration.ofSeconds(5), timeout)) {
            var run = new LoadRun(sender, url, workload);
            try (var signals = StopOnSignal.install(run::stop)) {
                if (warmup > 0) {
                    run.run(warmup, pace, concurrency, s -> {});
                }
                if (noProgress) {
                    summary = run.run(requests, pace, concurrency, s -> {});
                } else {
                    try (ProgressBar bar = new ProgressBarBuilder()
                            .setTaskName(kind.name())
                            .setInitialMax(count == null ? -1 : count) // -1: no end, the bar counts up
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(250)
                            .showSpeed()
                            .build()) {
                        summary = run.run(requests, pace, concurrency, s -> bar.step());
                    }
                }
            }
            if (run.stopped()) {
                System.out.println(kind + ": stopped by signal after " + summary.sent() + " request(s)");
            }
        }
        System.out.println(kind + ": " + summary.table());
        System.out.println(summary.line());
        return summary.failed() == 0 ? 0 : EXIT_REQUESTS_FAILED;
    }

    Workload workload() {
        return switch (kind) {
            case somedata -> Seed002.somedata(path == null ? "/somedata" : path);
            case footdata -> Seed002.footdata(path == null ? "/footdata" : path);
            case clickstream -> {
                if (!clickShape.equals("positional") && !clickShape.equals("object")) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this), "--click-shape must be positional or object, was " + clickShape);
                }
                yield new Clickstream(
                        path == null ? "/topics/clickstream" : path,
                        batch,
                        eventBytes,
                        System.nanoTime(),
                        clickShape.equals("positional"));
            }
            case fleet ->
                new Fleet(
                        path == null ? "/events" : path,
                        vehicles,
                        period,
                        System.nanoTime(),
                        make,
                        model,
                        velocities());
            case images -> {
                String[] wh = imageSize.toLowerCase(java.util.Locale.ROOT).split("x");
                yield new Images(
                        path == null ? "/topics/images" : path,
                        Integer.parseInt(wh[0]),
                        Integer.parseInt(wh[1]),
                        customerId);
            }
        };
    }

    private double[] velocities() {
        String[] parts = velocity.split(",");
        try {
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Double.parseDouble(parts[i].strip());
                if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
                    throw new NumberFormatException();
                }
            }
            if (v.length == 3) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(
                new CommandLine(this), "--velocity must be three non-negative numbers X,Y,Z, was " + velocity);
    }

    private Workload withApiKey(Workload w) {
        if (apiKey == null) {
            return w;
        }
        return new Workload() {
            @Override
            public Request request(URI base, long seq, java.util.random.RandomGenerator random) {
                return w.request(base, seq, random).with("X-API-Key", apiKey);
            }

            @Override
            public int eventsPerRequest() {
                return w.eventsPerRequest();
            }

            @Override
            public double naturalRate() {
                return w.naturalRate();
            }
        };
    }

    /** A non-negative finite number of requests per second, or {@code max} for as fast as possible. */
    static final class RateConverter implements CommandLine.ITypeConverter<Double> {
        /** {@code --rate max}: no schedule, each request sent as soon as a sender is free. */
        static final double MAX = Double.POSITIVE_INFINITY;

        @Override
        public Double convert(String value) {
            String v = value.strip();
            if (v.equalsIgnoreCase("max")) {
                return MAX;
            }
            if (v.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) { // ASCII digits only: no NaN, Infinity, 1e999 or 2d
                return Double.parseDouble(v);
            }
            throw new CommandLine.TypeConversionException(
                    "expected requests per second (a number, 0 for the original's pace) or max, was '" + value + "'");
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(value.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMinutes(n);
                };
            }
            try {
                return Duration.parse(value.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "expected a duration such as 500ms, 30s or 2m, was '" + value + "'");
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GenerateCommand()).execute(args));
    }
}
