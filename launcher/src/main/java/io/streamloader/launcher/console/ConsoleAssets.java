package io.streamloader.launcher.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's files, read once from the jar: the page and its script and style ({@code console/} resources) and
 * uPlot from its WebJar, so the console works without any network beyond the admin endpoint.
 */
public final class ConsoleAssets {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

    /** One file and its media type. */
    public record Asset(String type, byte[] bytes) {}

    private final Map<String, Asset> byPath;

    private ConsoleAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** Loads every file; a missing one is a packaging bug and fails the start. */
    public static ConsoleAssets load() {
        String uplot = WEBJAR + uplotVersion() + "/dist/";
        return new ConsoleAssets(Map.of(
                "/", asset("text/html; charset=utf-8", "console/index.html"),
                "/console/app.js", asset("text/javascript; charset=utf-8", "console/app.js"),
                "/console/app.css", asset("text/css; charset=utf-8", "console/app.css"),
                "/console/vendor/uPlot.iife.min.js",
                        asset("text/javascript; charset=utf-8", uplot + "uPlot.iife.min.js"),
                "/console/vendor/uPlot.min.css", asset("text/css; charset=utf-8", uplot + "uPlot.min.css")));
    }

    public Optional<Asset> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static String uplotVersion() {
        Properties pom = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static Asset asset(String type, String name) {
        try (InputStream in = resource(name)) {
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the console's file " + name + " is missing from the classpath");
        }
        return in;
    }
}
