package io.streamloader.bench.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.streamloader.bench.KafkaLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.elasticsearch.client.RestClient;

/**
 * The hand-written Kafka → Elasticsearch loop ({@link KafkaLoop}): one {@code _bulk} per poll through the official
 * Java client, each record's JSON passed as it is ({@link BinaryData}) and indexed under its key (the event id), which
 * makes a replay overwrite instead of duplicate. One client per thread.
 */
public final class BulkLoop implements KafkaLoop.Writer {
    private final ElasticsearchClient client;
    private final String index;

    public BulkLoop(String url, String index) {
        this.client = new ElasticsearchClient(
                new RestClientTransport(RestClient.builder(HttpHost.create(url)).build(), new Jackson3JsonpMapper()));
        this.index = index;
    }

    @Override
    public void write(ConsumerRecords<byte[], byte[]> records) throws IOException {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = record.key() != null ? new String(record.key(), StandardCharsets.UTF_8) : KafkaLoop.id(record);
            BinaryData json = BinaryData.of(record.value(), ContentType.APPLICATION_JSON);
            bulk.operations(op -> op.index(i -> i.index(index).id(id).document(json)));
        }
        BulkResponse response = client.bulk(bulk.build());
        if (response.errors()) {
            throw new IllegalStateException("bulk had errors: "
                    + response.items().stream()
                            .filter(item -> item.error() != null)
                            .findFirst()
                            .map(item -> item.error().reason())
                            .orElse("?"));
        }
    }

    @Override
    public void close() throws IOException {
        client._transport().close();
    }
}
