package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@DevStackTest
class ElasticsearchServiceIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void indexesAndSearches(ElasticsearchService elasticsearch) throws Exception {
        String index = "round-trip-" + UUID.randomUUID();
        indexDocument(elasticsearch, index, "e1", "{\"type\":\"click\",\"n\":1}");

        HttpResponse<String> search = send(
                elasticsearch, "POST", "/" + index + "/_search", "{\"query\":{\"term\":{\"type.keyword\":\"click\"}}}");

        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("\"_id\":\"e1\"").contains("\"total\":{\"value\":1");
    }

    @Test
    void keepsIndicesAcrossARestartOnTheSamePort(ElasticsearchService elasticsearch) throws Exception {
        String index = "restart-" + UUID.randomUUID();
        indexDocument(elasticsearch, index, "kept", "{\"n\":1}");
        String url = elasticsearch.url();

        elasticsearch.stop();
        assertThat(elasticsearch.isRunning()).isFalse();
        elasticsearch.stop();
        elasticsearch.start();

        assertThat(elasticsearch.url()).isEqualTo(url);
        HttpResponse<String> doc = send(elasticsearch, "GET", "/" + index + "/_doc/kept", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("\"found\":true");
    }

    private void indexDocument(ElasticsearchService es, String index, String id, String json) throws Exception {
        // one shard, no replica: green on one node
        send(es, "PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        HttpResponse<String> put = send(es, "PUT", "/" + index + "/_doc/" + id + "?refresh=true", json);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    private HttpResponse<String> send(ElasticsearchService es, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body =
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest request = HttpRequest.newBuilder(URI.create(es.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
