package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamloader dev}: the whole platform on real local services (no Docker), on their usual ports so everyday
 * tools connect without flags, until Ctrl-C or SIGTERM (exit 0). The services come from devstack, which is not in
 * the distribution's {@code lib/}: {@code bin/streamloader dev} adds {@code dev-lib/} to the classpath, and only
 * {@link DevServices} touches it, so this class loads (for {@code --help}, say) without it.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Starts Kafka, Elasticsearch, PostgreSQL, an S3 server and a MongoDB wire server on localhost, creates the",
            "topics, and runs the producer API with every sink and demo flow. Ctrl-C stops everything; data is",
            "deleted unless --keep-data."
        })
final class DevCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DevCommand.class);
    static final String DEV_STACK_CLASS = "io.streamloader.devstack.DevStack";

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--elasticsearch-port",
            defaultValue = "9200",
            description = "Elasticsearch (default ${DEFAULT-VALUE}).")
    int elasticsearchPort;

    @Option(
            names = "--postgres-port",
            defaultValue = "5432",
            description = "PostgreSQL, user/database postgres (default ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(
            names = "--s3-port",
            defaultValue = "9000",
            description = "S3 server, keys minioadmin/minioadmin (default ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(
            names = "--mongo-port",
            defaultValue = "27017",
            description = "MongoDB wire server (default ${DEFAULT-VALUE}).")
    int mongoPort;

    @Option(names = "--api-port", defaultValue = "8080", description = "Producer API (default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(
            names = "--admin-port",
            defaultValue = "8081",
            description = "Health and metrics (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--no-elasticsearch", description = "Do not start Elasticsearch (and its sink).")
    boolean noElasticsearch;

    @Option(names = "--no-mongo", description = "Do not start the MongoDB server (and its sink).")
    boolean noMongo;

    @Option(
            names = {"--no-postgres", "--no-s3"},
            description = "Do not start PostgreSQL and S3 (and their sinks).")
    boolean noArchive;

    @Option(names = "--keep-data", description = "Keep the services' data directory after exit.")
    boolean keepData;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private record Service(String name, String flag, int port, boolean enabled) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!devStackAvailable()) {
            err.println("dev: the dev stack (devstack: Kafka, Elasticsearch, PostgreSQL, S3 and MongoDB servers) is not"
                    + " on the classpath. Start dev with the distribution's bin/streamloader, which adds dev-lib/ for"
                    + " this command, or ./streamloader dev from a checkout; the container image has no dev stack (use"
                    + " compose/ there).");
            return ExitCodes.FAILURE;
        }
        List<Service> services = List.of(
                new Service("Kafka", "--kafka-port", kafkaPort, true),
                new Service("Elasticsearch", "--elasticsearch-port", elasticsearchPort, !noElasticsearch),
                new Service("PostgreSQL", "--postgres-port", postgresPort, !noArchive),
                new Service("S3", "--s3-port", s3Port, !noArchive),
                new Service("MongoDB", "--mongo-port", mongoPort, !noMongo),
                new Service("producer API", "--api-port", apiPort, true),
                new Service("admin endpoint", "--admin-port", adminPort, true));
        List<String> taken = new ArrayList<>();
        for (Service s : services) {
            if (s.enabled() && !isFree(s.port())) {
                taken.add(s.name() + ": port " + s.port() + " is already in use; choose another with " + s.flag()
                        + " PORT, or stop what uses it");
            }
        }
        if (!taken.isEmpty()) {
            taken.forEach(err::println);
            return ExitCodes.INVALID;
        }
        DevServices.configure(this);

        Platform platform;
        try {
            out.println("Starting local services (Elasticsearch takes 10-30 s)...");
            out.flush();
            Map<String, String> env = DevServices.start(this);
            StreamloaderConfig config = ConfigLoader.parse(devConfig(), env);
            createTopics(config);
            platform = new Platform(Startup.validate("dev configuration", config)).start();
        } catch (DevServices.StartFailure e) {
            err.println("dev: could not start: " + e.getMessage());
            DevServices.stopAll();
            return ExitCodes.FAILURE;
        } catch (ConfigException e) {
            err.println("dev: " + e.getMessage());
            DevServices.stopAll();
            return ExitCodes.FAILURE;
        }
        printWelcome(out, platform);
        exitZeroOnStopSignals();
        return RunCommand.runUntilStopped(platform, DevServices::stopAll);
    }

    /** True when devstack is on the classpath (looked up without loading it). */
    static boolean devStackAvailable() {
        try {
            Class.forName(DEV_STACK_CLASS, false, DevCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * SIGTERM and Ctrl-C are how dev is meant to stop, so they exit 0 once the shutdown hook stopped the platform and
     * the services (the JVM's own handlers exit 143 and 130).
     */
    @SuppressWarnings("sunapi") // sun.misc.Signal (jdk.unsupported): the JDK offers no supported way to do this
    private static void exitZeroOnStopSignals() {
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> System.exit(ExitCodes.OK));
        }
    }

    private static String devConfig() throws IOException {
        try (InputStream in = DevCommand.class.getResourceAsStream("dev.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void createTopics(StreamloaderConfig config) throws Exception {
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            admin.createTopics(TopicsCommand.wanted(config).values()).all().get();
        }
        log.info("created topics {}", TopicsCommand.wanted(config).keySet());
    }

    private void printWelcome(PrintWriter out, Platform platform) {
        String api = "http://localhost:" + apiPort;
        out.println();
        out.println("streamloader dev is running. Ctrl-C stops everything.");
        out.println();
        out.println("  Producer API     " + api + "/openapi.json");
        out.println("  Health, metrics  http://localhost:" + adminPort + "/health/ready  /metrics");
        out.println("  Kafka            localhost:" + kafkaPort);
        if (!noElasticsearch) {
            out.println("  Elasticsearch    http://localhost:" + elasticsearchPort);
        }
        if (!noArchive) {
            out.println("  PostgreSQL       jdbc:postgresql://localhost:" + postgresPort
                    + "/postgres (user postgres, password postgres)");
            out.println(
                    "  S3               http://localhost:" + s3Port + " (access key minioadmin, secret minioadmin)");
        }
        if (!noMongo) {
            out.println("  MongoDB          mongodb://localhost:" + mongoPort + " (database streamloader)");
        }
        out.println();
        out.println("Try:");
        tryCommands(api, noElasticsearch ? 0 : elasticsearchPort).forEach(line -> out.println("  " + line));
        out.println();
        out.flush();
        log.info("dev mode ready: API port {}, admin port {}", platform.apiPort(), platform.adminPort());
    }

    /**
     * The shell commands the banner suggests, one per flow, ready to paste into bash or zsh: the image's uuid comes
     * from a command substitution, so that part of its URL is in double quotes.
     *
     * @param elasticsearchPort 0 when Elasticsearch is off
     */
    static List<String> tryCommands(String api, int elasticsearchPort) {
        List<String> lines = new ArrayList<>(List.of(
                "curl -s '" + api + "/somedata/truck?number=3'",
                "curl -s -H 'Content-Type: application/json' " + api
                        + "/footdata -d '[{\"id\":1,\"home\":\"Lyon\",\"away\":\"Nice\"},"
                        + "{\"id\":2,\"home\":\"Lens\",\"away\":\"Brest\"}]'",
                "curl -s " + api + "/events -d 'timestamp=1714557600.5&make=Volvo&model=FH16&vin=YV2A4C2A5RA123456"
                        + "&position_x=1.5&position_y=2.5&position_z=0&speed=85.6'",
                "curl -s -H 'Content-Type: image/png' --data-binary @picture.png \"" + api
                        + "/topics/images?customer_id=42&uuid=$(cat /proc/sys/kernel/random/uuid)\"",
                "./streamloader generate clickstream --url " + api + "/topics/clickstream --count 1000"));
        if (elasticsearchPort > 0) {
            lines.add("curl -s 'http://localhost:" + elasticsearchPort
                    + "/click_events/_search?size=3&sort=clicks:desc'   # the rollup: one document per (url, country)");
        }
        return lines;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
