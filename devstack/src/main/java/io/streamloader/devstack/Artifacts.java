package io.streamloader.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds the distributions devstack runs as processes (the Elasticsearch zip, the s3proxy fat jar). Maven downloads
 * them while building this module; {@code devstack.properties} (filtered at build time) records their paths in the
 * local repository. {@value #DIRECTORY_PROPERTY} overrides that with a directory holding the files under their
 * plain names, as the launcher distribution ships them.
 */
final class Artifacts {

    static final String DIRECTORY_PROPERTY = "streamloader.devstack.artifacts";

    private static final Properties PROPERTIES = load();

    private Artifacts() {}

    static Path elasticsearchZip() {
        return locate("elasticsearch");
    }

    static Path s3proxyJar() {
        return locate("s3proxy");
    }

    static String elasticsearchVersion() {
        return PROPERTIES.getProperty("elasticsearch.version");
    }

    private static Path locate(String key) {
        String fileName = PROPERTIES.getProperty(key + ".file");
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        Path file = directory != null
                ? Path.of(directory).resolve(fileName)
                : Path.of(PROPERTIES.getProperty("maven.repository")).resolve(PROPERTIES.getProperty(key + ".path"));
        if (!Files.isRegularFile(file)) {
            String hint = directory != null
                    ? "copy " + fileName + " into " + directory + " (set by -D" + DIRECTORY_PROPERTY + ")"
                    : "build the devstack module (./mvnw -pl devstack -am verify) or fetch it with ./mvnw"
                            + " dependency:get -Dartifact=" + PROPERTIES.getProperty(key + ".coordinates");
            throw new DevStackException(key + ": distribution " + file + " not found; " + hint);
        }
        return file;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Artifacts.class.getResourceAsStream("/devstack.properties")) {
            if (in == null) {
                throw new IllegalStateException("devstack.properties is missing from the devstack jar");
            }
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
