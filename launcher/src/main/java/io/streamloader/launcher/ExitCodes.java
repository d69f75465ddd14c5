package io.streamloader.launcher;

/** Process exit codes of the {@code streamloader} command, documented in the README. */
public final class ExitCodes {
    /** Everything went as asked. */
    public static final int OK = 0;
    /** A runner or service failed while running (the log says which and why). */
    public static final int FAILURE = 1;
    /** The command line, the config file or a plugin is invalid; every problem was printed. Nothing was started. */
    public static final int INVALID = 2;

    private ExitCodes() {}
}
