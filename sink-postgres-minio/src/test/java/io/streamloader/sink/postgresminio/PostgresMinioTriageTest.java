package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import io.streamloader.sink.support.Triage.Outcome;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

class PostgresMinioTriageTest {
    private static SQLException state(String sqlState) {
        return new SQLException("ERROR " + sqlState, sqlState);
    }

    @Test
    void connectionLossShutdownAndSerializationRetryTheBatch() {
        for (String s : new String[] {"08006", "08001", "57P01", "57P03", "40001", "40P01", "53300", "57014"}) {
            assertThat(PostgresMinioTriage.sql(state(s))).as(s).isEqualTo(Outcome.UNAVAILABLE);
        }
        assertThat(PostgresMinioTriage.sql(new RuntimeException(new java.io.EOFException())))
                .isEqualTo(Outcome.UNAVAILABLE);
    }

    @Test
    void constraintAndTypeViolationsIsolateTheRow() {
        for (String s : new String[] {"23505", "23514", "23502", "22P02", "22001", "22P05"}) {
            assertThat(PostgresMinioTriage.sql(state(s))).as(s).isEqualTo(Outcome.PERMANENT);
        }
    }

    @Test
    void theRealErrorOfABatchIsFoundInItsNextExceptionsAndCauses() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("new row violates check constraint \"diag_typed\"", "23514"));
        var wrapped = new ConstraintViolationException("could not execute batch", batch, "diag_typed");
        assertThat(PostgresMinioTriage.sql(wrapped)).isEqualTo(Outcome.PERMANENT);
        assertThat(PostgresMinioTriage.sqlReason(wrapped)).contains("diag_typed");
    }

    @Test
    void loginSchemaAndPermissionErrorsAreFatal() {
        for (String s : new String[] {"42P01", "42501", "42703", "42601", "28P01", "28000", "3D000", "3F000"}) {
            assertThat(PostgresMinioTriage.sql(state(s))).as(s).isEqualTo(Outcome.FATAL);
        }
    }

    @Test
    void valuesPastALimitAndUnknownErrorsAreNarrowedDownToTheRowNeverFatal() {
        // 54000: an id too long for the primary key's index; 22021: a NUL byte; 22003: a number out of range
        for (String s : new String[] {"54000", "22021", "22003", "22023", "0A000", "XX000", "P0001"}) {
            assertThat(PostgresMinioTriage.sql(state(s))).as(s).isEqualTo(Outcome.PERMANENT);
        }
        assertThat(PostgresMinioTriage.sql(new IllegalStateException("no state")))
                .isEqualTo(Outcome.PERMANENT);
        assertThat(PostgresMinioTriage.sql(new IllegalArgumentException("cannot bind")))
                .isEqualTo(Outcome.PERMANENT);
    }

    @Test
    void theReasonNamesTheSqlStateOrTheExceptionClass() {
        assertThat(PostgresMinioTriage.sqlReason(new RuntimeException(state("22P05"))))
                .contains("ERROR 22P05", "SQLSTATE 22P05");
        assertThat(PostgresMinioTriage.sqlReason(new IllegalArgumentException("cannot bind")))
                .isEqualTo("IllegalArgumentException: cannot bind");
    }

    @Test
    void s3ConnectionErrorsAndTimeoutsFailTheBatchFiveHundredsTheEvent() {
        assertThat(PostgresMinioTriage.s3(new MinioException(new ConnectException("refused"))))
                .isEqualTo(Outcome.UNAVAILABLE);
        assertThat(PostgresMinioTriage.s3(new MinioException(new SocketTimeoutException("read timed out"))))
                .isEqualTo(Outcome.UNAVAILABLE);
        assertThat(PostgresMinioTriage.s3(new ServerException("503", 503, ""))).isEqualTo(Outcome.RETRIABLE);
        assertThat(PostgresMinioTriage.s3(new ServerException("403", 403, ""))).isEqualTo(Outcome.PERMANENT);
        assertThat(PostgresMinioTriage.s3(new ServerException("429", 429, ""))).isEqualTo(Outcome.RETRIABLE);
    }

    /** The user's report: an exception the client raises before sending (an odd content type) was retried for ever. */
    @Test
    void clientSideRefusalsAndUnknownS3ErrorsArePermanentForTheEvent() {
        assertThat(PostgresMinioTriage.s3(
                        new IllegalArgumentException("invalid content type 'image/png; x' as per RFC 2045")))
                .isEqualTo(Outcome.PERMANENT);
        assertThat(PostgresMinioTriage.s3(new IllegalStateException("?"))).isEqualTo(Outcome.PERMANENT);
        assertThat(PostgresMinioTriage.s3(new NullPointerException())).isEqualTo(Outcome.PERMANENT);
    }
}
