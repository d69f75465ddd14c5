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
        /** Caused by a row's data (SQLSTATE class 22 data exception or 23 integrity constraint): isolate the row. */
        BAD_ROW,
        /** Anything else (missing table, permissions, SQL error): the runner stops and reports it. */
        FATAL
    }

    /** What a failed blob operation means. */
    enum S3Outcome {
        /** The server is unreachable or timed out: retry the whole batch. */
        UNREACHABLE,
        /** The server answered 5xx, 429 or 408: retry the event. */
        RETRYABLE,
        /** The server refused the object (4xx): dead-letter the event. */
        PERMANENT
    }

    private static final Set<String> RETRYABLE_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "57014", // query_canceled (statement timeout)
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up)
            "25P02", // in_failed_sql_transaction, after a lost statement
            "25006"); // read_only_sql_transaction (failover to a standby)

    private Triage() {}

    static SqlOutcome sql(Throwable error) {
        Optional<String> state = sqlState(error);
        if (state.isEmpty()) {
            return hasCause(error, IOException.class) ? SqlOutcome.RETRY_BATCH : SqlOutcome.FATAL;
        }
        String s = state.get();
        if (RETRYABLE_STATES.contains(s)
                || s.startsWith("08") // connection exception
                || s.startsWith("53") // insufficient resources
                || s.startsWith("58")) { // system error (I/O)
            return SqlOutcome.RETRY_BATCH;
        }
        if (s.startsWith("22") || s.startsWith("23")) {
            return SqlOutcome.BAD_ROW;
        }
        return SqlOutcome.FATAL;
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

    /** The deepest SQL error message, which names the constraint or the bad value. */
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
        return reason == null ? error.getClass().getName() : reason;
    }

    static S3Outcome s3(Throwable error) {
        if (error instanceof ErrorResponseException e) {
            int status = e.response() == null ? 0 : e.response().code();
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            boolean transientCode = Set.of("SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable")
                    .contains(code);
            return status >= 500 || status == 429 || status == 408 || transientCode
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
        return S3Outcome.RETRYABLE;
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
