package io.streamloader.spi;

/**
 * The whole batch failed for a reason that may pass: the store is unreachable, timed out, or is overloaded. The
 * host keeps the batch, pauses the runner's partitions (the consumer keeps its group membership), waits with
 * exponential backoff and jitter, and calls {@link SinkWriter#write} again with the same events. The runner reports
 * unhealthy until a write succeeds.
 */
public class RetriableSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetriableSinkException(String message) {
        super(message);
    }

    public RetriableSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
