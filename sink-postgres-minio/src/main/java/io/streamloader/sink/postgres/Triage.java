package io.streamloader.sink.postgres;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Sorts store errors into what the pipeline should do with them. */
final class Triage {

    /** What a failed row write means. */
    enum SqlOutcome {
        /** Transient for the whole batch: connection lost, server shutting down, serialization failure, overload. */
        RETRY_BATCH,
        /**
         * Possibly caused by a row: SQLSTATE class 22 (data exception), 23 (integrity constraint), 54 (a value past a
         * limit, an id too long for the index), and any error this class does not know. The rows are narrowed down
         * until the refused ones are alone; each of those is dead-lettered with the database's message.
         */
        BAD_ROW,
        /**
         * The database or the configuration is broken in a way no row caused: class 28 (authentication), 42 (a
         * missing table or column, a permission, a syntax error: the schema does not match), 3D/3F (no such
         * database/schema). The runner stops ({@code FatalSinkException}).
         */
        FATAL
    }

    /** What a failed blob operation means. */
    enum S3Outcome {
        /** The server is unreachable or timed out: retry the whole batch. */
        UNREACHABLE,
        /** The server answered 5xx, 429, 408 or SlowDown: retry the event. */
        RETRYABLE,
        /**
         * The object was refused (another 4xx), or the client refused the request before sending it (an argument it
         * cannot encode), or anything else this class does not know: dead-letter the event.
         */
        PERMANENT,
        /** The credentials are refused or the bucket is gone: no event can be stored, the runner stops. */
        FATAL
    }

    private static final Set<String> RETRYABLE_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "55006", // object_in_use
            "57014", // query_canceled (statement timeout)
            "25P02", // in_failed_sql_transaction, after a lost statement
            "25006"); // read_only_sql_transaction (failover to a standby)

    private static final Set<String> TRANSIENT_S3_CODES = Set.of(
            "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "RequestTimeTooSkewed");

    /** Codes that say the credentials, not the object, are refused; a per-object AccessDenied is not among them. */
    private static final Set<String> FATAL_S3_CODES = Set.of(
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "NoSuchBucket",
            "AccountProblem",
            "ExpiredToken",
            "InvalidToken",
            "AllAccessDisabled");

    private Triage() {}

    static SqlOutcome sql(Throwable error) {
        Optional<String> state = sqlState(error);
        if (state.isEmpty()) {
            // no SQLSTATE: a lost socket retries the batch; anything else is narrowed down to the rows (never fatal,
            // never an endless retry: an unknown error is most likely a value the driver could not bind)
            return hasCause(error, IOException.class) ? SqlOutcome.RETRY_BATCH : SqlOutcome.BAD_ROW;
        }
        String s = state.get();
        if (RETRYABLE_STATES.contains(s)
                || s.startsWith("08") // connection exception
                || s.startsWith("57P") // operator intervention: shutdown, crash, starting up
                || s.startsWith("53") // insufficient resources
                || s.startsWith("58")) { // system error (I/O)
            return SqlOutcome.RETRY_BATCH;
        }
        if (s.startsWith("28") // invalid authorization
                || s.startsWith("42") // syntax error or access rule violation: schema or grants do not match
                || s.startsWith("3D") // invalid catalog name
                || s.startsWith("3F")) { // invalid schema name
            return SqlOutcome.FATAL;
        }
        return SqlOutcome.BAD_ROW;
    }

    /** The most specific SQLSTATE in the cause chain, looking into a batch's next exceptions. */
    static Optional<String> sqlState(Throwable error) {
        String found = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        found = e.getSQLState();
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The deepest SQL error message, which names the constraint or the bad value, with its SQLSTATE. */
    static String sqlReason(Throwable error) {
        String reason = error.getMessage();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getMessage() != null) {
                        reason = e.getMessage();
                    }
                }
            }
        }
        if (reason == null) {
            reason = error.getClass().getName();
        }
        String state = sqlState(error).orElse(null);
        return state == null ? error.getClass().getSimpleName() + ": " + reason : reason + " (SQLSTATE " + state + ")";
    }

    static S3Outcome s3(Throwable error) {
        if (error instanceof ErrorResponseException e) {
            int status = e.response() == null ? 0 : e.response().code();
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            if (FATAL_S3_CODES.contains(code)) {
                return S3Outcome.FATAL;
            }
            return status >= 500 || status == 429 || status == 408 || TRANSIENT_S3_CODES.contains(code)
                    ? S3Outcome.RETRYABLE
                    : S3Outcome.PERMANENT;
        }
        if (error instanceof ServerException e) {
            return e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 429 && e.statusCode() != 408
                    ? S3Outcome.PERMANENT
                    : S3Outcome.RETRYABLE;
        }
        if (hasCause(error, IOException.class)) {
            return S3Outcome.UNREACHABLE;
        }
        if (error instanceof InvalidResponseException) {
            return S3Outcome.RETRYABLE; // a proxy's HTML error page, typically 502/503
        }
        // IllegalArgumentException from the client's argument checks (a content type or key it cannot send), and
        // every other exception: about this event, and it would fail the same way again
        return S3Outcome.PERMANENT;
    }

    static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
