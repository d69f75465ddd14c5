package io.streamloader.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, combined broker and controller) running inside this JVM. The log directory is
 * formatted once; a restart reopens it, so topics, records and committed offsets survive {@link #stop()}.
 */
public final class KafkaService implements DevService {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaService.class);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final boolean saslSsl;
    private int port;
    private int saslPort;
    private int controllerPort;
    private KafkaTls tls;
    private KafkaRaftServer server;

    /** A broker on {@code port} (0 = a free port, chosen at the first start) keeping its logs in {@code dataDir}. */
    public KafkaService(Path dataDir, int port) {
        this(dataDir, port, false);
    }

    private KafkaService(Path dataDir, int port, boolean saslSsl) {
        this.dataDir = dataDir;
        this.port = port;
        this.saslSsl = saslSsl;
    }

    /**
     * A broker that also listens with {@code SASL_SSL} (SCRAM over TLS, a self-signed certificate for {@code
     * localhost}/{@code 127.0.0.1}) on a free port: what a production cluster asks of its clients. Users are added
     * with {@link #addScramUser}; {@link #saslSslBootstrapServers()} and {@link #caPem()} are what clients need.
     */
    public static KafkaService withSaslSsl(Path dataDir) {
        return new KafkaService(dataDir, 0, true);
    }

    @Override
    public String name() {
        return "Kafka";
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        port = Ports.claim(name(), port);
        controllerPort = Ports.claim(name() + " controller", controllerPort);
        long started = System.nanoTime();
        KafkaRaftServer candidate = null;
        try {
            Properties props = KafkaSettings.broker(dataDir.resolve("logs"), port, controllerPort);
            if (saslSsl) {
                saslPort = Ports.claim(name() + " SASL_SSL", saslPort);
                tls = KafkaTls.in(dataDir.resolve("tls"));
                KafkaSettings.withSaslSsl(props, port, saslPort, controllerPort, tls);
            }
            formatOnce(props);
            candidate = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            candidate.startup(); // returns once the broker is unfenced, i.e. ready for clients
            server = candidate;
        } catch (RuntimeException | IOException e) {
            if (candidate != null) {
                shutdown(candidate);
            }
            throw new DevStackException(name() + " failed to start on " + bootstrapServers() + ": " + e, e);
        }
        LOG.info("{} started on {} in {} ms (data in {})", name(), bootstrapServers(), millisSince(started), dataDir);
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        shutdown(server);
        server = null;
        LOG.info("{} on {} stopped", name(), bootstrapServers());
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    public synchronized int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}; stable across restarts once the service has started. */
    public synchronized String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    /** {@code 127.0.0.1:<port>} of the {@code SASL_SSL} listener; only for a broker made {@link #withSaslSsl}. */
    public synchronized String saslSslBootstrapServers() {
        requireSaslSsl();
        return Ports.HOST + ":" + saslPort;
    }

    /** The PEM certificate clients of the {@code SASL_SSL} listener trust; only once such a broker started. */
    public synchronized Path caPem() {
        requireSaslSsl();
        return tls.caPem();
    }

    /** Creates or updates a SCRAM user for both mechanisms (through the plaintext listener). */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            // one alteration per user and request: the broker refuses two for the same user at once
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
                UserScramCredentialAlteration upsert =
                        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, 4096), password);
                admin.alterUserScramCredentials(List.of(upsert)).all().get();
            }
        } catch (ExecutionException e) {
            throw new DevStackException(name() + ": cannot add SCRAM user " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException(name() + ": interrupted while adding SCRAM user " + user, e);
        }
    }

    private void requireSaslSsl() {
        if (!saslSsl || tls == null) {
            throw new IllegalStateException(
                    name() + " has no SASL_SSL listener (use KafkaService.withSaslSsl and start it)");
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    }

    /**
     * Creates the topic (replication factor 1) and returns once every partition has a leader, so producers and
     * consumers can use it at once (partitions ready on the broker). A topic that already exists is left as it is.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                LOG.debug("{}: topic {} already exists", name(), name);
            }
            KafkaTopics.awaitReady(admin, name, TOPIC_READY_TIMEOUT);
        } catch (ExecutionException e) {
            throw new DevStackException(name() + " on " + bootstrapServers() + ": cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException(name() + ": interrupted while creating topic " + name, e);
        }
    }

    /** Formats the log directory on the first start only; a restart must keep the existing cluster metadata. */
    private void formatOnce(Properties props) throws IOException {
        Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logs);
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "streamloader devstack Kafka");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()};
        // StorageTool.main would call System.exit; execute returns the exit code instead.
        int rc = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException(
                    "formatting " + logs + " failed (" + rc + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void shutdown(KafkaRaftServer target) {
        try {
            target.shutdown();
            target.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("{} on {}: shutdown failed", name(), bootstrapServers(), e);
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
