package io.streamloader.spi;

/**
 * The store or the sink's configuration is broken in a way no single event caused and no retry of the same batch
 * will fix: authentication refused, a schema migration failed, a bucket is missing and cannot be created.
 *
 * <p>Throw it only for such failures. The host stops the runner with this exception's message as the reason
 * ({@code FAILED} in health, nothing more committed) and its supervisor restarts it with backoff, or stops it or the
 * process, as configured. Any <em>other</em> exception that escapes {@link SinkWriter#write} is taken to be about the
 * events: the host narrows the batch down to the event(s) that cause it and dead-letters those alone.
 */
public class FatalSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FatalSinkException(String message) {
        super(message);
    }

    public FatalSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
