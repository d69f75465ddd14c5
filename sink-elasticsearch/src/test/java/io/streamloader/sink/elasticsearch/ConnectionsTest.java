package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS with a CA file and both auth schemes against a fake HTTPS {@code _bulk} endpoint whose certificate is signed by
 * {@code test-ca.crt} (self-signed, SAN 127.0.0.1), as Elasticsearch's own {@code http_ca.crt} setup.
 */
class ConnectionsTest {
    private static final Path CA = Path.of("src/test/resources/test-ca.crt");

    private final AtomicReference<String> authorization = new AtomicReference<>();
    private HttpsServer server;
    private ElasticsearchWriter sink;
    private ElasticsearchSink runnerSink;

    @BeforeEach
    void startHttps() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/test-server.p12"))) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/_bulk", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.getRequestBody().readAllBytes();
            byte[] body;
            if (auth == null) { // as Elasticsearch with security on: challenge, then the client sends credentials
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\"");
                body = "{\"error\":\"missing authentication\"}".getBytes(UTF_8);
                exchange.sendResponseHeaders(401, body.length);
            } else {
                authorization.set(auth);
                body = "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}".getBytes(UTF_8);
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
            runnerSink.close();
        }
        server.stop(0);
    }

    private ElasticsearchWriter open(Map<String, String> settings) {
        Map<String, String> raw = new HashMap<>(settings);
        raw.put("urls", "https://127.0.0.1:" + server.getAddress().getPort());
        raw.put("connect-timeout", "2s");
        raw.put("request-timeout", "5s");
        SinkContext context = new SinkContext("search", raw);
        ElasticsearchSinkConfig config = ElasticsearchSinkConfig.from(context);
        runnerSink = new ElasticsearchSink("search", config, Connections.open(context, config));
        sink = (ElasticsearchWriter) runnerSink.newWriter();
        return sink;
    }

    @Test
    void basicAuthOverTlsTrustingTheCaFile() {
        open(Map.of("tls.ca-file", CA.toString(), "username", "elastic", "password", "changeme"));
        assertThat(sink.write(TestingEvents.events(1)).isSuccess()).isTrue();
        assertThat(authorization.get()).isEqualTo("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
    }

    @Test
    void apiKeyOverTls() {
        open(Map.of("tls.ca-file", CA.toString(), "api-key", "aWQ6a2V5"));
        assertThat(sink.write(TestingEvents.events(1)).isSuccess()).isTrue();
        assertThat(authorization.get()).isEqualTo("ApiKey aWQ6a2V5");
    }

    @Test
    void withoutTheCaFileTheServerIsNotTrusted() {
        open(Map.of("username", "elastic", "password", "changeme"));
        assertThatThrownBy(() -> sink.write(TestingEvents.events(1)))
                .isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("SSL");
    }

    @Test
    void missingCredentialsAreAFatalStoreFailureNotRetried() {
        open(Map.of("tls.ca-file", CA.toString()));
        assertThatThrownBy(() -> sink.write(List.of(TestingEvents.event("a", "{}"))))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("missing authentication");
    }
}
