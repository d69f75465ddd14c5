package io.streamloader.sink.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.WriteConcern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Driver settings from a {@link MongoSinkConfig}: credentials, TLS, short timeouts and the write concern. */
final class MongoClientSettingsFactory {
    private MongoClientSettingsFactory() {}

    static MongoClientSettings settings(MongoSinkConfig config) {
        ConnectionString connection =
                new ConnectionString(config.connectionString().reveal());
        MongoClientSettings.Builder builder = MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applicationName(
                        connection.getApplicationName() == null
                                ? "streamloader-" + config.sinkName()
                                : connection.getApplicationName())
                // an outage must surface within seconds, as a retriable failure, not hang a worker
                .applyToClusterSettings(c ->
                        c.serverSelectionTimeout(config.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(
                        s -> s.connectTimeout((int) config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                                .readTimeout((int) config.socketTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .writeConcern(writeConcern(config, connection));
        config.username()
                .ifPresent(user -> builder.credential(MongoCredential.createCredential(
                        user, config.authSource(), config.password().reveal().toCharArray())));
        if (config.tls() || config.tlsCaFile().isPresent() || config.tlsAllowInvalidHostnames()) {
            builder.applyToSslSettings(ssl -> {
                ssl.enabled(true).invalidHostNameAllowed(config.tlsAllowInvalidHostnames());
                config.tlsCaFile().ifPresent(ca -> ssl.context(trusting(ca)));
            });
        }
        return builder.build();
    }

    private static WriteConcern writeConcern(MongoSinkConfig config, ConnectionString connection) {
        WriteConcern base = config.writeConcern()
                .map(w -> w.equals("majority") ? WriteConcern.MAJORITY : new WriteConcern(Integer.parseInt(w)))
                .orElseGet(() -> connection.getWriteConcern() != null
                                && connection.getWriteConcern().getWObject() != null
                        ? connection.getWriteConcern()
                        : WriteConcern.MAJORITY);
        return base.withWTimeout(config.writeConcernTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An SSL context trusting exactly the certificates in a PEM file. */
    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    MongoSinkConfig.TLS_CA_FILE + ": cannot load CA certificates from " + pem + ": " + e.getMessage(),
                    e);
        }
    }
}
