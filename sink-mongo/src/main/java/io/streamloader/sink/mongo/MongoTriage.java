package io.streamloader.sink.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoConfigurationException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.bulk.BulkWriteError;
import io.streamloader.sink.support.Triage.Outcome;
import java.util.Set;
import org.bson.BsonMaximumSizeExceededException;

/**
 * Which MongoDB failures pass with time and which repeat for ever. Per-document write errors: a duplicate key on a
 * secondary unique index, a document too large, an invalid field name or a validation failure are PERMANENT (the
 * event goes to the dead-letter topic); stepped-down primaries, shutdowns, timeouts and write conflicts are RETRIABLE.
 * Whole-operation exceptions: unreachable server, network errors, not-primary and write-concern failures are
 * UNAVAILABLE (the batch is retried); authentication and rights are FATAL; anything else is PERMANENT for the
 * documents it carried. The {@link Outcome}s are the ones every built-in sink shares.
 */
final class MongoTriage {
    static final int DUPLICATE_KEY = 11000;

    /** Server error codes that name a passing condition (MongoDB's own RetryableWriteError set and friends). */
    private static final Set<Integer> RETRIABLE_CODES = Set.of(
            6, // HostUnreachable
            7, // HostNotFound
            46, // LockBusy
            50, // MaxTimeMSExpired
            64, // WriteConcernFailed (wtimeout)
            89, // NetworkTimeout
            91, // ShutdownInProgress
            112, // WriteConflict
            117, // ConflictingOperationInProgress
            133, // FailedToSatisfyReadPreference
            134, // ReadConcernMajorityNotAvailableYet
            189, // PrimarySteppedDown
            262, // ExceededTimeLimit
            9001, // SocketException
            10107, // NotWritablePrimary
            11600, // InterruptedAtShutdown
            11601, // Interrupted
            11602, // InterruptedDueToReplStateChange
            13435, // NotPrimaryNoSecondaryOk
            13436, // NotPrimaryOrSecondary
            16500 // request rate too large (Cosmos DB's MongoDB API)
            );

    private MongoTriage() {}

    /** What one failed write inside a bulk means: {@link Outcome#RETRIABLE} or {@link Outcome#PERMANENT}. */
    static Outcome of(BulkWriteError error) {
        if (error.getCode() == DUPLICATE_KEY || error.getCode() == 11001) {
            // Two concurrent upserts of the same _id race; the retry finds the document and replaces it. A clash on
            // any other unique index repeats until someone changes the data.
            return isIdIndex(error) ? Outcome.RETRIABLE : Outcome.PERMANENT;
        }
        return RETRIABLE_CODES.contains(error.getCode()) ? Outcome.RETRIABLE : Outcome.PERMANENT;
    }

    /** An insert refused because a document with its {@code _id} exists: to be replaced, not a failure. */
    static boolean isExistingId(BulkWriteError error) {
        return (error.getCode() == DUPLICATE_KEY || error.getCode() == 11001) && isIdIndex(error);
    }

    /** A short stable name for the dead-letter header {@code sl.error.class}. */
    static String errorClass(BulkWriteError error) {
        return switch (error.getCode()) {
            case DUPLICATE_KEY, 11001 -> "duplicate_key";
            case 10334, 17419, 17420 -> "document_too_large";
            case 52, 55, 56, 57 -> "invalid_field_name";
            case 66 -> "immutable_field";
            case 121 -> "document_validation_failure";
            default -> "mongo_error_" + error.getCode();
        };
    }

    static String reason(BulkWriteError error) {
        return "MongoDB write error " + error.getCode() + ": " + error.getMessage();
    }

    /** Server error codes refusing the sink's credentials or rights: no event's fault, no retry's cure. */
    private static final Set<Integer> FATAL_CODES = Set.of(
            11, // UserNotFound
            13, // Unauthorized
            18, // AuthenticationFailed
            8000 // AtlasError (Atlas's authentication failures)
            );

    /**
     * What an exception that failed a whole write (or the indexes' creation) means: {@link Outcome#UNAVAILABLE} when it
     * may pass if the write is repeated ({@link #isRetriable}), {@link Outcome#FATAL} when it is about the sink's access
     * ({@link #isFatal}), else {@link Outcome#PERMANENT}: about the documents it carried.
     */
    static Outcome of(RuntimeException e) {
        if (e instanceof MongoException mongo && isRetriable(mongo)) {
            return Outcome.UNAVAILABLE;
        }
        return isFatal(e) ? Outcome.FATAL : Outcome.PERMANENT;
    }

    /**
     * Whether an exception that failed a whole write is about the sink's access to MongoDB (authentication, rights,
     * configuration), not about the documents it carried.
     */
    static boolean isFatal(RuntimeException e) {
        if (e instanceof MongoSecurityException || e instanceof MongoConfigurationException) {
            return true;
        }
        return e instanceof MongoCommandException command && FATAL_CODES.contains(command.getErrorCode());
    }

    /** For the dead-letter header {@code sl.error.reason}: what refused one document as a whole. */
    static String reason(RuntimeException e) {
        if (e instanceof MongoServerException server) {
            return "MongoDB refused the document: error " + server.getCode() + ": " + server.getMessage();
        }
        return "the MongoDB driver refused the document: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A short stable name for the dead-letter header {@code sl.error.class}, for an exception about one document. */
    static String errorClass(RuntimeException e) {
        if (e instanceof BsonMaximumSizeExceededException) {
            return "document_too_large";
        }
        if (e instanceof MongoServerException server) {
            return "mongo_error_" + server.getCode();
        }
        return e.getClass().getName();
    }

    /** Whether an exception that failed a whole write may pass if the write is repeated. */
    static boolean isRetriable(MongoException e) {
        if (e instanceof MongoSocketException
                || e instanceof MongoTimeoutException
                || e instanceof MongoOperationTimeoutException
                || e instanceof MongoExecutionTimeoutException
                || e instanceof MongoNotPrimaryException
                || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoWriteConcernException
                || e instanceof MongoConnectionPoolClearedException
                || e instanceof MongoServerUnavailableException
                || e instanceof MongoInterruptedException) {
            return true;
        }
        if (e.hasErrorLabel("RetryableWriteError")
                || e.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)) {
            return true;
        }
        if (e instanceof MongoCommandException command) {
            return RETRIABLE_CODES.contains(command.getErrorCode());
        }
        return e.getCause() instanceof MongoException cause && cause != e && isRetriable(cause);
    }

    private static boolean isIdIndex(BulkWriteError error) {
        var keyPattern = error.getDetails().get("keyPattern");
        if (keyPattern != null && keyPattern.isDocument()) {
            return keyPattern.asDocument().keySet().equals(Set.of("_id"));
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        return message.contains("index: _id_ ") || message.contains("index: _id_\n") || message.endsWith("index: _id_");
    }
}
