package io.streamloader.devstack;

/** A local service could not be started, reached or stopped; the message names the service and port. */
public class DevStackException extends RuntimeException {

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
