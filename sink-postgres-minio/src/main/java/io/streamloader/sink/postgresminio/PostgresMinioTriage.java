package io.streamloader.sink.postgresminio;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.streamloader.sink.support.Triage;
import io.streamloader.sink.support.Triage.Outcome;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Sorts PostgreSQL and S3 errors into the sinks' shared {@link Outcome}s.
 *
 * <p>{@link #sql}: {@link Outcome#UNAVAILABLE} for a batch that failed for no row's sake (connection lost, server
 * shutting down, read-only standby, overload), retried whole; {@link Outcome#PERMANENT} for anything a row may have
 * caused, SQLSTATE class 22 (data exception), 23 (integrity constraint), 54 (a value past a limit, an id too long for
 * the index) and any error this class does not know, so the rows are narrowed down until the refused ones are alone and
 * each is dead-lettered with the database's message; {@link Outcome#FATAL} when the database or the configuration is
 * broken in a way no row caused: class 28 (authentication), 42 (a missing table or column, a permission, a syntax
 * error: the schema does not match), 3D/3F (no such database/schema). It never answers {@link Outcome#RETRIABLE}.
 *
 * <p>{@link #s3}: {@link Outcome#UNAVAILABLE} when the server is unreachable or timed out (retry the batch); {@link
 * Outcome#RETRIABLE} when it answered 5xx, 429, 408 or SlowDown (retry the event); {@link Outcome#PERMANENT} when the
 * object was refused (another 4xx), or the client refused the request before sending it (an argument it cannot
 * encode), or for anything else this class does not know (dead-letter the event); {@link Outcome#FATAL} when the
 * credentials are refused or the bucket is gone (no event can be stored, the runner stops).
 */
final class PostgresMinioTriage {

    private static final Set<String> RETRIABLE_STATES = Set.of(
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

    private PostgresMinioTriage() {}

    static Outcome sql(Throwable error) {
        Optional<String> state = sqlState(error);
        if (state.isEmpty()) {
            // no SQLSTATE: a lost socket retries the batch; anything else is narrowed down to the rows (never fatal,
            // never an endless retry: an unknown error is most likely a value the driver could not bind)
            return Triage.hasCause(error, IOException.class) ? Outcome.UNAVAILABLE : Outcome.PERMANENT;
        }
        String s = state.get();
        if (RETRIABLE_STATES.contains(s)
                || s.startsWith("08") // connection exception
                || s.startsWith("57P") // operator intervention: shutdown, crash, starting up
                || s.startsWith("53") // insufficient resources
                || s.startsWith("58")) { // system error (I/O)
            return Outcome.UNAVAILABLE;
        }
        if (s.startsWith("28") // invalid authorization
                || s.startsWith("42") // syntax error or access rule violation: schema or grants do not match
                || s.startsWith("3D") // invalid catalog name
                || s.startsWith("3F")) { // invalid schema name
            return Outcome.FATAL;
        }
        return Outcome.PERMANENT;
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

    static Outcome s3(Throwable error) {
        if (error instanceof ErrorResponseException e) {
            int status = e.response() == null ? 0 : e.response().code();
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            if (FATAL_S3_CODES.contains(code)) {
                return Outcome.FATAL;
            }
            return status >= 500 || status == 429 || status == 408 || TRANSIENT_S3_CODES.contains(code)
                    ? Outcome.RETRIABLE
                    : Outcome.PERMANENT;
        }
        if (error instanceof ServerException e) {
            return e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 429 && e.statusCode() != 408
                    ? Outcome.PERMANENT
                    : Outcome.RETRIABLE;
        }
        if (Triage.hasCause(error, IOException.class)) {
            return Outcome.UNAVAILABLE;
        }
        if (error instanceof InvalidResponseException) {
            return Outcome.RETRIABLE; // a proxy's HTML error page, typically 502/503
        }
        // IllegalArgumentException from the client's argument checks (a content type or key it cannot send), and
        // every other exception: about this event, and it would fail the same way again
        return Outcome.PERMANENT;
    }
}
