package io.streamloader.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

class TriageTest {
    private static SQLException state(String sqlState) {
        return new SQLException("ERROR " + sqlState, sqlState);
    }

    @Test
    void connectionLossShutdownAndSerializationRetryTheBatch() {
        for (String s : new String[] {"08006", "08001", "57P01", "57P03", "40001", "40P01", "53300", "57014"}) {
            assertThat(Triage.sql(state(s))).as(s).isEqualTo(Triage.SqlOutcome.RETRY_BATCH);
        }
        assertThat(Triage.sql(new RuntimeException(new java.io.EOFException())))
                .isEqualTo(Triage.SqlOutcome.RETRY_BATCH);
    }

    @Test
    void constraintAndTypeViolationsIsolateTheRow() {
        for (String s : new String[] {"23505", "23514", "23502", "22P02", "22001", "22P05"}) {
            assertThat(Triage.sql(state(s))).as(s).isEqualTo(Triage.SqlOutcome.BAD_ROW);
        }
    }

    @Test
    void theRealErrorOfABatchIsFoundInItsNextExceptionsAndCauses() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("new row violates check constraint \"diag_typed\"", "23514"));
        var wrapped = new ConstraintViolationException("could not execute batch", batch, "diag_typed");
        assertThat(Triage.sql(wrapped)).isEqualTo(Triage.SqlOutcome.BAD_ROW);
        assertThat(Triage.sqlReason(wrapped)).contains("diag_typed");
    }

    @Test
    void loginSchemaAndPermissionErrorsAreFatal() {
        for (String s : new String[] {"42P01", "42501", "42703", "42601", "28P01", "28000", "3D000", "3F000"}) {
            assertThat(Triage.sql(state(s))).as(s).isEqualTo(Triage.SqlOutcome.FATAL);
        }
    }

    @Test
    void valuesPastALimitAndUnknownErrorsAreNarrowedDownToTheRowNeverFatal() {
        // 54000: an id too long for the primary key's index; 22021: a NUL byte; 22003: a number out of range
        for (String s : new String[] {"54000", "22021", "22003", "22023", "0A000", "XX000", "P0001"}) {
            assertThat(Triage.sql(state(s))).as(s).isEqualTo(Triage.SqlOutcome.BAD_ROW);
        }
        assertThat(Triage.sql(new IllegalStateException("no state"))).isEqualTo(Triage.SqlOutcome.BAD_ROW);
        assertThat(Triage.sql(new IllegalArgumentException("cannot bind"))).isEqualTo(Triage.SqlOutcome.BAD_ROW);
    }

    @Test
    void theReasonNamesTheSqlStateOrTheExceptionClass() {
        assertThat(Triage.sqlReason(new RuntimeException(state("22P05")))).contains("ERROR 22P05", "SQLSTATE 22P05");
        assertThat(Triage.sqlReason(new IllegalArgumentException("cannot bind")))
                .isEqualTo("IllegalArgumentException: cannot bind");
    }

    @Test
    void s3ConnectionErrorsAndTimeoutsFailTheBatchFiveHundredsTheEvent() {
        assertThat(Triage.s3(new MinioException(new ConnectException("refused"))))
                .isEqualTo(Triage.S3Outcome.UNREACHABLE);
        assertThat(Triage.s3(new MinioException(new SocketTimeoutException("read timed out"))))
                .isEqualTo(Triage.S3Outcome.UNREACHABLE);
        assertThat(Triage.s3(new ServerException("503", 503, ""))).isEqualTo(Triage.S3Outcome.RETRYABLE);
        assertThat(Triage.s3(new ServerException("403", 403, ""))).isEqualTo(Triage.S3Outcome.PERMANENT);
        assertThat(Triage.s3(new ServerException("429", 429, ""))).isEqualTo(Triage.S3Outcome.RETRYABLE);
    }

    /** The user's report: an exception the client raises before sending (an odd content type) was retried for ever. */
    @Test
    void clientSideRefusalsAndUnknownS3ErrorsArePermanentForTheEvent() {
        assertThat(Triage.s3(new IllegalArgumentException("invalid content type 'image/png; x' as per RFC 2045")))
                .isEqualTo(Triage.S3Outcome.PERMANENT);
        assertThat(Triage.s3(new IllegalStateException("?"))).isEqualTo(Triage.S3Outcome.PERMANENT);
        assertThat(Triage.s3(new NullPointerException())).isEqualTo(Triage.S3Outcome.PERMANENT);
    }
}
