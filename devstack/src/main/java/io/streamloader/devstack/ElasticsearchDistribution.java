package io.streamloader.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Elasticsearch home, unpacked once per version into the devstack cache and shared read-only by every run
 * (each run has its own config, data, logs and tmp). Unpacking goes to a temporary sibling that is renamed into
 * place, so concurrent builds never see half a distribution.
 */
final class ElasticsearchDistribution {

    private ElasticsearchDistribution() {}

    static Path home() {
        Path home = Dirs.cache().resolve("elasticsearch-" + Artifacts.elasticsearchVersion());
        if (Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            return home;
        }
        Path zip = Artifacts.elasticsearchZip();
        try {
            Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
            unzip(zip, staging);
            // the zip holds one top-level directory, elasticsearch-<version>/
            Path unpacked;
            try (Stream<Path> children = Files.list(staging)) {
                unpacked = children.findFirst().orElseThrow(() -> new IOException(zip + " is empty"));
            }
            try {
                Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another JVM won the race (or the filesystem cannot rename atomically and the home exists)
                if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
                    throw e;
                }
            } finally {
                Dirs.deleteQuietly(staging);
            }
            return home;
        } catch (IOException e) {
            throw new DevStackException("Elasticsearch: cannot unpack " + zip + " into " + home + ": " + e, e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                // java.util.zip drops Unix modes; only the launch scripts need the executable bit
                if (out.getParent().getFileName().toString().equals("bin")) {
                    if (!out.toFile().setExecutable(true, false)) {
                        throw new UncheckedIOException(new IOException("cannot make " + out + " executable"));
                    }
                }
            }
        }
    }
}
