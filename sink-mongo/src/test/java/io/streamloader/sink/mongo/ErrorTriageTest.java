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
import io.streamloader.spi.FailureKind;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class ErrorTriageTest {
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
        assertThat(ErrorTriage.kindOf(unique)).isEqualTo(FailureKind.PERMANENT);
        assertThat(ErrorTriage.errorClass(unique)).isEqualTo("duplicate_key");
        assertThat(ErrorTriage.reason(unique)).startsWith("MongoDB write error 11000: E11000 duplicate key");
        // without details (older servers, mongo-java-server), the index name in the message decides
        assertThat(ErrorTriage.kindOf(error(11000, "E11000 duplicate key error index: by_match dup key", "{}")))
                .isEqualTo(FailureKind.PERMANENT);
        for (int code : new int[] {10334, 17419, 52, 56, 57, 66, 121, 2}) {
            assertThat(ErrorTriage.kindOf(error(code, "no", "{}")))
                    .as("code %d", code)
                    .isEqualTo(FailureKind.PERMANENT);
        }
        assertThat(ErrorTriage.errorClass(error(10334, "BSONObjectTooLarge", "{}")))
                .isEqualTo("document_too_large");
        assertThat(ErrorTriage.errorClass(error(52, "$-prefixed", "{}"))).isEqualTo("invalid_field_name");
    }

    @Test
    void passingConditionsAreRetryable() {
        // two upserts of one _id racing: the loser's retry replaces the winner's document
        assertThat(ErrorTriage.kindOf(error(11000, "E11000 duplicate key error", "{keyPattern: {_id: 1}}")))
                .isEqualTo(FailureKind.RETRYABLE);
        assertThat(ErrorTriage.kindOf(
                        error(11000, "E11000 duplicate key error collection: a.b index: _id_ dup key", "{}")))
                .isEqualTo(FailureKind.RETRYABLE);
        for (int code : new int[] {10107, 13435, 189, 91, 11600, 11602, 64, 50, 112, 6, 89, 9001}) {
            assertThat(ErrorTriage.kindOf(error(code, "transient", "{}")))
                    .as("code %d", code)
                    .isEqualTo(FailureKind.RETRYABLE);
        }
    }

    @Test
    void wholeBatchExceptionsAreRetriableWhenTheyPass() {
        assertThat(ErrorTriage.isRetriable(new MongoTimeoutException("Timed out while waiting for a server")))
                .isTrue();
        assertThat(ErrorTriage.isRetriable(new MongoSocketOpenException("refused", SERVER)))
                .isTrue();
        assertThat(ErrorTriage.isRetriable(new MongoSocketReadException("closed", SERVER)))
                .isTrue();
        assertThat(ErrorTriage.isRetriable(
                        new MongoNotPrimaryException(BsonDocument.parse("{code: 10107, ok: 0}"), SERVER)))
                .isTrue();
        assertThat(ErrorTriage.isRetriable(new MongoWriteConcernException(
                        new WriteConcernError(
                                64, "WriteConcernFailed", "waiting for replication timed out", new BsonDocument()),
                        WriteConcernResult.unacknowledged(),
                        SERVER)))
                .isTrue();
        assertThat(ErrorTriage.isRetriable(new MongoCommandException(
                        BsonDocument.parse("{ok: 0, code: 189, errmsg: 'stepped down'}"), SERVER)))
                .isTrue();
        MongoException labelled = new MongoException("something new");
        labelled.addLabel("RetryableWriteError");
        assertThat(ErrorTriage.isRetriable(labelled)).isTrue();
    }

    @Test
    void everythingElseIsFatal() {
        assertThat(ErrorTriage.isRetriable(new MongoSecurityException(null, "Exception authenticating")))
                .isFalse();
        assertThat(ErrorTriage.isRetriable(new MongoCommandException(
                        BsonDocument.parse("{ok: 0, code: 13, errmsg: 'not authorized'}"), SERVER)))
                .isFalse();
        assertThat(ErrorTriage.isRetriable(new MongoException("internal"))).isFalse();
    }

    @Test
    void authenticationAndRightsAreFatalForTheRunnerNotForAnEvent() {
        assertThat(ErrorTriage.isFatal(new MongoSecurityException(null, "Exception authenticating")))
                .isTrue();
        for (int code : new int[] {11, 13, 18, 8000}) {
            assertThat(ErrorTriage.isFatal(new MongoCommandException(
                            BsonDocument.parse("{ok: 0, code: " + code + ", errmsg: 'no'}"), SERVER)))
                    .as("code %d", code)
                    .isTrue();
        }
        assertThat(ErrorTriage.isFatal(
                        new MongoCommandException(BsonDocument.parse("{ok: 0, code: 2, errmsg: 'BadValue'}"), SERVER)))
                .isFalse();
        assertThat(ErrorTriage.isFatal(new IllegalArgumentException("hexString has 24 characters")))
                .isFalse();
        assertThat(ErrorTriage.isFatal(new org.bson.BsonMaximumSizeExceededException("too big")))
                .isFalse();
    }

    @Test
    void anExceptionAboutOneDocumentNamesItsClassAndCode() {
        MongoCommandException command =
                new MongoCommandException(BsonDocument.parse("{ok: 0, code: 2, errmsg: 'BadValue x'}"), SERVER);
        assertThat(ErrorTriage.errorClass(command)).isEqualTo("mongo_error_2");
        assertThat(ErrorTriage.reason(command)).contains("error 2").contains("BadValue x");
        assertThat(ErrorTriage.errorClass(new org.bson.BsonMaximumSizeExceededException("Payload too large")))
                .isEqualTo("document_too_large");
        IllegalArgumentException driver = new IllegalArgumentException("state should be: x");
        assertThat(ErrorTriage.errorClass(driver)).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(ErrorTriage.reason(driver))
                .contains("IllegalArgumentException")
                .contains("state should be: x");
    }
}
