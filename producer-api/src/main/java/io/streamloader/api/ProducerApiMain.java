package io.streamloader.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts the API alone, until SIGTERM.
 *
 * <ul>
 *   <li>{@code ProducerApiMain --config streamloader.yaml}: {@code kafka:}, {@code topics:} and {@code api:} from the
 *       file, exactly as the launcher will;
 *   <li>{@code ProducerApiMain --bootstrap host:port [--port 8080] [--topics a,b]}: defaults otherwise (used by the
 *       benchmark).
 * </ul>
 *
 * Prints {@code READY port=<port>} once listening.
 */
public final class ProducerApiMain {

    private ProducerApiMain() {}

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        ApiConfig config;
        Map<String, Object> kafka;
        if (a.contains("--config")) {
            var file = ConfigLoader.load(Path.of(arg(a, "--config", null)));
            config = ApiConfig.from(file);
            kafka = file.kafka().clientProperties();
        } else {
            // bound like the file's api: section, so a bad --port is reported with its key
            config = ApiConfig.from(Map.of("port", arg(a, "--port", "8080"), "topics", arg(a, "--topics", "")));
            kafka = Map.of("bootstrap.servers", arg(a, "--bootstrap", "localhost:9092"));
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var app = ProducerApi.connect(config, kafka, registry).create();
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "producer-api-shutdown"));
        app.start();
        System.out.println("READY port=" + app.port());
    }

    private static String arg(List<String> args, String name, String defaultValue) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return defaultValue;
        }
        return args.get(i + 1);
    }
}
