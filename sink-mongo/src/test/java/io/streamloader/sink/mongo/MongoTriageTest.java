package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcernResult;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.WriteConcernError;
import io.streamloader.sink.support.Triage.Outcome;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class MongoTriageTest {
    private static final ServerAddress SERVER = new ServerAddress("db", 27017);

    private static BulkWriteError error(int code, String message, String details) {
        return new BulkWriteError(code, message, BsonDocument.parse(details), 0);
    }

    @Test
    void documentProblemsArePermanent() {
        BulkWriteError unique = error(
                11000,
                "E11000 duplicate key error collection: db.footdata index: by_match dup key: { id: 1 }",
                "{keyPattern: {id: 1}, keyValue: {id: 1}}");
        assertThat(MongoTriage.of(unique)).isEqualTo(Outcome.PERMANENT);
        assertThat(MongoTriage.errorClass(unique)).isEqualTo("duplicate_key");
        assertThat(MongoTriage.reason(unique)).startsWith("MongoDB write error 11000: E11000 duplicate key");
        // without details (older servers, mongo-java-server), the index name in the message decides
        assertThat(MongoTriage.of(error(11000, "E11000 duplicate key error index: by_match dup key", "{}")))
                .isEqualTo(Outcome.PERMANENT);
        for (int code : new int[] {10334, 17419, 52, 56, 57, 66, 121, 2}) {
            assertThat(MongoTriage.of(error(code, "no", "{}")))
                    .as("code %d", code)
                    .isEqualTo(Outcome.PERMANENT);
        }
        assertThat(MongoTriage.errorClass(error(10334, "BSONObjectTooLarge", "{}")))
                .isEqualTo("document_too_large");
        assertThat(MongoTriage.errorClass(error(52, "$-prefixed", "{}"))).isEqualTo("invalid_field_name");
    }

    @Test
    void passingConditionsAreRetriable() {
        // two upserts of one _id racing: the loser's retry replaces the winner's document
        assertThat(MongoTriage.of(error(11000, "E11000 duplicate key error", "{keyPattern: {_id: 1}}")))
                .isEqualTo(Outcome.RETRIABLE);
        assertThat(MongoTriage.of(error(11000, "E11000 duplicate key error collection: a.b index: _id_ dup key", "{}")))
                .isEqualTo(Outcome.RETRIABLE);
        for (int code : new int[] {10107, 13435, 189, 91, 11600, 11602, 64, 50, 112, 6, 89, 9001}) {
            assertThat(MongoTriage.of(error(code, "transient", "{}")))
                    .as("code %d", code)
                    .isEqualTo(Outcome.RETRIABLE);
        }
    }

    @Test
    void wholeBatchExceptionsAreRetriableWhenTheyPass() {
        assertThat(MongoTriage.isRetriable(new MongoTimeoutException("Timed out while waiting for a server")))
                .isTrue();
        assertThat(MongoTriage.isRetriable(new MongoSocketOpenException("refused", SERVER)))
                .isTrue();
        assertThat(MongoTriage.isRetriable(new MongoSocketReadException("closed", SERVER)))
                .isTrue();
        assertThat(MongoTriage.isRetriable(
                        new MongoNotPrimaryException(BsonDocument.parse("{code: 10107, ok: 0}"), SERVER)))
                .isTrue();
        assertThat(MongoTriage.isRetriable(new MongoWriteConcernException(
                        new WriteConcernError(
                                64, "WriteConcernFailed", "waiting for replication timed out", new BsonDocument()),
                        WriteConcernResult.unacknowledged(),
                        SERVER)))
                .isTrue();
        assertThat(MongoTriage.isRetriable(new MongoCommandException(
                        BsonDocument.parse("{ok: 0, code: 189, errmsg: 'stepped down'}"), SERVER)))
                .isTrue();
        MongoException labelled = new MongoException("something new");
        labelled.addLabel("RetryableWriteError");
        assertThat(MongoTriage.isRetriable(labelled)).isTrue();
    }

    @Test
    void everythingElseIsFatal() {
        assertThat(MongoTriage.isRetriable(new MongoSecurityException(null, "Exception authenticating")))
                .isFalse();
        assertThat(MongoTriage.isRetriable(new MongoCommandException(
                        BsonDocument.parse("{ok: 0, code: 13, errmsg: 'not authorized'}"), SERVER)))
                .isFalse();
        assertThat(MongoTriage.isRetriable(new MongoException("internal"))).isFalse();
    }

    @Test
    void authenticationAndRightsAreFatalForTheRunnerNotForAnEvent() {
        assertThat(MongoTriage.isFatal(new MongoSecurityException(null, "Exception authenticating")))
                .isTrue();
        for (int code : new int[] {11, 13, 18, 8000}) {
            assertThat(MongoTriage.isFatal(new MongoCommandException(
                            BsonDocument.parse("{ok: 0, code: " + code + ", errmsg: 'no'}"), SERVER)))
                    .as("code %d", code)
                    .isTrue();
        }
        assertThat(MongoTriage.isFatal(
                        new MongoCommandException(BsonDocument.parse("{ok: 0, code: 2, errmsg: 'BadValue'}"), SERVER)))
                .isFalse();
        assertThat(MongoTriage.isFatal(new IllegalArgumentException("hexString has 24 characters")))
                .isFalse();
        assertThat(MongoTriage.isFatal(new org.bson.BsonMaximumSizeExceededException("too big")))
                .isFalse();
    }

    @Test
    void aWholeWriteExceptionIsUnavailableFatalOrAboutItsDocuments() {
        assertThat(MongoTriage.of(new MongoTimeoutException("Timed out while waiting for a server")))
                .isEqualTo(Outcome.UNAVAILABLE);
        assertThat(MongoTriage.of(new MongoSocketReadException("closed", SERVER)))
                .isEqualTo(Outcome.UNAVAILABLE);
        assertThat(MongoTriage.of(new MongoSecurityException(null, "Exception authenticating")))
                .isEqualTo(Outcome.FATAL);
        assertThat(MongoTriage.of(new MongoCommandException(
                        BsonDocument.parse("{ok: 0, code: 13, errmsg: 'not authorized'}"), SERVER)))
                .isEqualTo(Outcome.FATAL);
        assertThat(MongoTriage.of(
                        new MongoCommandException(BsonDocument.parse("{ok: 0, code: 2, errmsg: 'BadValue'}"), SERVER)))
                .isEqualTo(Outcome.PERMANENT);
        assertThat(MongoTriage.of(new IllegalArgumentException("hexString has 24 characters")))
                .isEqualTo(Outcome.PERMANENT);
        assertThat(MongoTriage.of(new org.bson.BsonMaximumSizeExceededException("too big")))
                .isEqualTo(Outcome.PERMANENT);
    }

    @Test
    void anExceptionAboutOneDocumentNamesItsClassAndCode() {
        MongoCommandException command =
                new MongoCommandException(BsonDocument.parse("{ok: 0, code: 2, errmsg: 'BadValue x'}"), SERVER);
        assertThat(MongoTriage.errorClass(command)).isEqualTo("mongo_error_2");
        assertThat(MongoTriage.reason(command)).contains("error 2").contains("BadValue x");
        assertThat(MongoTriage.errorClass(new org.bson.BsonMaximumSizeExceededException("Payload too large")))
                .isEqualTo("document_too_large");
        IllegalArgumentException driver = new IllegalArgumentException("state should be: x");
        assertThat(MongoTriage.errorClass(driver)).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(MongoTriage.reason(driver))
                .contains("IllegalArgumentException")
                .contains("state should be: x");
    }
}
