package io.streamloader.generator;

import java.io.IOException;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link LoadRun.Sender} over Apache HttpClient's blocking client: one pooled keep-alive connection per sending
 * thread, no retries, redirects, cookies or decompression. Chosen over {@code java.net.http}, whose asynchronous
 * machinery cost about 250 µs of client CPU per request against the bench's lean client's 43: on a small machine the
 * load client then takes the CPU the API under test needs, and the numbers measure the client.
 */
final class HttpSender implements LoadRun.Sender, AutoCloseable {

    private final CloseableHttpClient client;

    HttpSender(int connections, Duration connectTimeout, Duration responseTimeout) {
        var pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .setDefaultSocketConfig(
                        SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(responseTimeout))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    @Override
    public int send(Workload.Request request) throws IOException {
        var http = new HttpUriRequestBase(request.method(), request.uri());
        for (String[] header : request.headers()) {
            http.addHeader(header[0], header[1]);
        }
        if (request.body() != null) {
            http.setEntity(new ByteArrayEntity(request.body(), null));
        }
        return client.execute(http, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
