package io.streamloader.core.plugin;

/** A sink type cannot be used: no plugin provides it, its plugin failed to load, or two plugins provide it. */
public final class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }
}
