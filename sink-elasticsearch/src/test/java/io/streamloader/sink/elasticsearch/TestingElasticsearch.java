package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads what landed in Elasticsearch over plain HTTP, independently of the sink's own client. */
final class TestingElasticsearch {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestingElasticsearch(String url) {
        this.url = url;
    }

    byte[] request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + ": "
                        + new String(response.body(), UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String method, String path, String body) {
        return MAPPER.readTree(request(method, path, body));
    }

    /** Documents in {@code index} after a refresh. */
    long count(String index) {
        request("POST", "/" + index + "/_refresh", null);
        return json("GET", "/" + index + "/_count", null).get("count").asLong();
    }

    /** The {@code _source} bytes of each id exactly as Elasticsearch returns them ({@code _mget}, no filtering). */
    Map<String, byte[]> sources(String index, List<String> ids) {
        StringBuilder body = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append(Json.quoteToString(ids.get(i)));
        }
        byte[] response =
                request("POST", "/" + index + "/_mget", body.append("]}").toString());
        Map<String, byte[]> out = new HashMap<>();
        try (JsonParser p = Json.parser(response, 0, response.length)) {
            String id = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.PROPERTY_NAME && p.currentName().equals("_id")) {
                    p.nextToken();
                    id = p.getString();
                } else if (t == JsonToken.PROPERTY_NAME && p.currentName().equals("_source")) {
                    p.nextToken();
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    out.put(id, java.util.Arrays.copyOfRange(response, start, end));
                }
            }
        }
        return out;
    }

    /** Whether a document with this id exists in {@code index} (read without its source, which need not be JSON). */
    boolean exists(String index, String id) {
        String body = "{\"ids\":[" + Json.quoteToString(id) + "]}";
        JsonNode docs = MAPPER.readTree(request("POST", "/" + index + "/_mget?_source=false", body))
                .get("docs");
        return docs.size() == 1 && docs.get(0).path("found").asBoolean(false);
    }

    /** The mapping type of {@code field} in {@code index}. */
    String fieldType(String index, String field) {
        JsonNode mapping = json("GET", "/" + index + "/_mapping", null);
        return mapping.get(index)
                .get("mappings")
                .get("properties")
                .get(field)
                .get("type")
                .asString();
    }
}
