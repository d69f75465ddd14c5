package io.streamloader.connect;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Why the sink could not store one record, as reported to Connect's {@code ErrantRecordReporter}: its class name and
 * message become the dead-letter headers {@code __connect.errors.exception.class.name} and {@code
 * __connect.errors.exception.message}.
 */
public final class SinkEventException extends ConnectException {
    private static final long serialVersionUID = 1L;

    SinkEventException(String sink, String reason, String errorClass) {
        super("sink " + sink + ": " + reason
                + (errorClass == null || errorClass.isBlank() ? "" : " [" + errorClass + "]"));
    }
}
