package io.streamloader.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.streamloader.sink.support.Secret;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.nio.reactor.IOReactorConfig;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/** Builds the low-level {@link RestClient} (for raw NDJSON bulks) and the typed client on top of it. */
final class Connections {
    private Connections() {}

    /** The clients of one runner's sink, shared by its workers' writers; closing the typed client's transport closes the rest client too. */
    record Clients(RestClient rest, ElasticsearchClient typed) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            typed._transport().close();
        }
    }

    static Clients open(SinkContext context, ElasticsearchSinkConfig config) {
        HttpHost[] hosts = config.urls().stream().map(Connections::host).toArray(HttpHost[]::new);
        SSLContext ssl = config.caFile().map(f -> sslContext(context, f)).orElse(null);
        var builder = RestClient.builder(hosts)
                .setCompressionEnabled(false)
                .setRequestConfigCallback(
                        rc -> rc.setConnectTimeout((int) config.connectTimeout().toMillis())
                                .setSocketTimeout((int) config.requestTimeout().toMillis())
                                .setConnectionRequestTimeout(
                                        (int) config.requestTimeout().toMillis()))
                .setHttpClientConfigCallback(http -> {
                    // one I/O thread per worker, as when each worker had a client of its own
                    http.setDefaultIOReactorConfig(IOReactorConfig.custom()
                            .setIoThreadCount(context.workers())
                            .build());
                    // every writer may have bulk.max-in-flight requests out at once (plus room for health checks)
                    int connections = config.bulkMaxInFlight() * context.workers() + 2;
                    http.setMaxConnTotal(connections * hosts.length).setMaxConnPerRoute(connections);
                    if (ssl != null) {
                        http.setSSLContext(ssl);
                    }
                    if (!config.verifyHostname()) {
                        http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                    }
                    if (config.username().isPresent()) {
                        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                        credentials.setCredentials(
                                AuthScope.ANY,
                                new UsernamePasswordCredentials(
                                        config.username().get(),
                                        config.password().map(Secret::reveal).orElse("")));
                        http.setDefaultCredentialsProvider(credentials);
                    }
                    return http;
                });
        config.apiKey()
                .ifPresent(key -> builder.setDefaultHeaders(
                        new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + key.reveal())}));
        RestClient rest = builder.build();
        ElasticsearchClient typed = new ElasticsearchClient(new RestClientTransport(rest, new Jackson3JsonpMapper()));
        return new Clients(rest, typed);
    }

    private static HttpHost host(URI url) {
        int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        return new HttpHost(url.getHost(), port, url.getScheme());
    }

    /** Trusts exactly the certificates in {@code caFile} (as the original clickstream project's http_ca.crt). */
    static SSLContext sslContext(SinkContext context, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new SinkConfigException(List.of(context.keyPath(ElasticsearchSinkConfig.TLS_CA_FILE) + ": cannot use "
                    + caFile.toAbsolutePath() + " as CA certificate: " + e.getMessage()));
        }
    }
}
