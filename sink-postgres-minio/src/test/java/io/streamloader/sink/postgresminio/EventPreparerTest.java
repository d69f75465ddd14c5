package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventPreparerTest {
    private static final Instant T = Instant.parse("2026-11-02T10:15:30.123Z");

    private static Event json(String id, String value) {
        return Event.builder()
                .id(id)
                .topic("fleet")
                .partition(2)
                .offset(41)
                .timestamp(T)
                .value(value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aJsonEventWithoutBlobFieldsIsKeptAsItIs() {
        var preparer = new EventPreparer("b", KeyTemplate.parse("{topic}/{id}"), List.of());
        String value = "{\"vin\":\"ABC\",\"speed\":85.6,\"model\":\"'); DROP TABLE diag;--\"}";
        PreparedEvent p = preparer.prepare(json("e1", value));
        assertThat(p.attributes()).isEqualTo(value);
        assertThat(p.blobs()).isEmpty();
        EventColumns row = p.row(T);
        assertThat(row.id()).isEqualTo("e1");
        assertThat(row.objectKey()).isNull();
    }

    @Test
    void withoutBlobFieldsTheValueIsPassedOnUnparsedForPostgresToCheck() {
        var preparer = new EventPreparer("b", KeyTemplate.parse("{topic}/{id}"), List.of());
        assertThat(preparer.prepare(json("e1", "{\"a\":")).attributes()).isEqualTo("{\"a\":");
    }

    @Test
    void invalidJsonWithBlobFieldsFailsWithAReason() {
        var preparer = new EventPreparer("b", KeyTemplate.parse("{topic}/{id}"), List.of("img"));
        assertThatThrownBy(() -> preparer.prepare(json("e1", "{\"a\":")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value is not valid JSON");
        assertThatThrownBy(() -> preparer.prepare(json("e1", "{} {}")))
                .hasMessageStartingWith("value is not valid JSON")
                .hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> preparer.prepare(json("e1", ""))).hasMessageContaining("empty");
    }

    @Test
    void aBinaryEventIsOneBlobKeyedFromItsMetadata() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};
        Event event = Event.builder()
                .id("id-1")
                .topic("images")
                .partition(0)
                .offset(5)
                .timestamp(T)
                .value(png)
                .headers(Map.of(
                        "meta.customer_id",
                        "7",
                        "meta.uuid",
                        "3f2b",
                        "sl-event-id",
                        "id-1",
                        "content-type",
                        "image/png"))
                .contentType("image/png")
                .build();
        var preparer = new EventPreparer("bucket", KeyTemplate.parse("{customer_id}/{uuid}"), List.of());
        PreparedEvent p = preparer.prepare(event);
        assertThat(p.attributes())
                .isIn("{\"customer_id\":\"7\",\"uuid\":\"3f2b\"}", "{\"uuid\":\"3f2b\",\"customer_id\":\"7\"}");
        assertThat(p.blobs()).singleElement().satisfies(blob -> {
            assertThat(blob.stored()).isEqualTo(new StoredBlob("bucket", "7/3f2b", png.length, sha256(png)));
            assertThat(blob.bytes()).isEqualTo(png);
            assertThat(blob.contentType()).isEqualTo("image/png");
        });
        assertThat(p.row(T).objectKey()).isEqualTo("7/3f2b");
    }

    @Test
    void aBinaryEventMissingAKeyVariableFails() {
        Event event = Event.builder()
                .id("id-1")
                .topic("images")
                .partition(0)
                .offset(5)
                .timestamp(T)
                .value(new byte[] {1})
                .contentType("image/png")
                .build();
        var preparer = new EventPreparer("bucket", KeyTemplate.parse("{customer_id}/{uuid}"), List.of());
        assertThatThrownBy(() -> preparer.prepare(event)).hasMessageContaining("needs variable 'customer_id'");
    }

    @Test
    void base64FieldsBecomeBlobsAndReferences() throws Exception {
        byte[] front = "front-bytes".getBytes(StandardCharsets.UTF_8);
        String value = "{\"uuid\":\"u1\",\"customer_id\":3,\"front\":\""
                + Base64.getEncoder().encodeToString(front) + "\",\"back\":null}";
        var preparer =
                new EventPreparer("bk", KeyTemplate.parse("{customer_id}/{uuid}/{field}"), List.of("front", "back"));
        PreparedEvent p = preparer.prepare(json("e9", value));
        StoredBlob stored = new StoredBlob("bk", "3/u1/front", front.length, sha256(front));
        assertThat(p.blobs())
                .singleElement()
                .satisfies(b -> assertThat(b.stored()).isEqualTo(stored));
        assertThat(p.attributes())
                .isEqualTo("{\"uuid\":\"u1\",\"customer_id\":3,\"front\":{\"bucket\":\"bk\",\"key\":\"3/u1/front\","
                        + "\"size\":11,\"sha256\":\"" + stored.sha256() + "\"},\"back\":null}");
    }

    @Test
    void aBlobFieldThatIsNotBase64TextFails() {
        var preparer = new EventPreparer("bk", KeyTemplate.parse("{topic}/{id}"), List.of("img"));
        assertThatThrownBy(() -> preparer.prepare(json("e1", "{\"img\":42}")))
                .hasMessage("blob field 'img' must be a base64 string, was number");
        assertThatThrownBy(() -> preparer.prepare(json("e1", "{\"img\":\"***\"}")))
                .hasMessageStartingWith("blob field 'img' is not base64");
    }

    @Test
    void withBlobFieldsAnEscapedUnpairedSurrogateFailsInsteadOfBecomingAQuestionMark() {
        var preparer = new EventPreparer("bk", KeyTemplate.parse("{topic}/{id}"), List.of("img"));
        for (String value : new String[] {"{\"s\":\"\\ud800\"}", "{\"s\":\"x\\udc00\"}", "[\"\\udc00\\ud800\"]"}) {
            assertThatThrownBy(() -> preparer.prepare(json("e1", value)))
                    .as(value)
                    .hasMessageContaining("unpaired UTF-16 surrogate");
        }
        // a proper pair, escaped or not, is text
        assertThat(preparer.prepare(json("e2", "{\"s\":\"\\ud83d\\ude42 \ud83d\ude42\"}"))
                        .attributes())
                .isEqualTo("{\"s\":\"\ud83d\ude42 \ud83d\ude42\"}");
    }

    @Test
    void idTemplateGivesTheRowTheIdOfItsFieldsAndKeepsTheEventsCoordinates() {
        var preparer = new EventPreparer(
                "bucket",
                KeyTemplate.parse("{customer_id}/{uuid}"),
                List.of(),
                java.util.Optional.of(KeyTemplate.parse("{uuid}")));
        Event image = Event.builder()
                .id("event-1")
                .topic("images")
                .partition(2)
                .offset(7)
                .timestamp(java.time.Instant.EPOCH)
                .value(new byte[] {(byte) 0x89, 'P', 'N', 'G'})
                .headers(Map.of("meta.uuid", "3f2b8c1e-5d4a-4b6f-9e2d-1a7c3b5d9f01", "meta.customer_id", "1"))
                .contentType("image/png")
                .build();
        PreparedEvent prepared = preparer.prepare(image);
        assertThat(prepared.event().id()).isEqualTo("3f2b8c1e-5d4a-4b6f-9e2d-1a7c3b5d9f01");
        assertThat(prepared.event().offset()).isEqualTo(7);
        assertThat(prepared.event().partition()).isEqualTo(2);
        assertThat(prepared.event().valueBytes()).isEqualTo(image.valueBytes());
        assertThat(prepared.blobs().getFirst().stored().key()).isEqualTo("1/3f2b8c1e-5d4a-4b6f-9e2d-1a7c3b5d9f01");

        Event json = Event.builder()
                .id("event-2")
                .topic("images")
                .partition(0)
                .offset(1)
                .timestamp(java.time.Instant.EPOCH)
                .value("{\"uuid\":\"u-9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        assertThat(new EventPreparer(
                                "b",
                                KeyTemplate.parse("{topic}/{id}"),
                                List.of(),
                                java.util.Optional.of(KeyTemplate.parse("{uuid}")))
                        .prepare(json)
                        .event()
                        .id())
                .isEqualTo("u-9");
        Event without = Event.builder()
                .id("event-3")
                .topic("images")
                .partition(0)
                .offset(2)
                .timestamp(java.time.Instant.EPOCH)
                .value("{\"other\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        assertThatThrownBy(() -> new EventPreparer(
                                "b",
                                KeyTemplate.parse("{topic}/{id}"),
                                List.of(),
                                java.util.Optional.of(KeyTemplate.parse("{uuid}")))
                        .prepare(without))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uuid");
    }
}
