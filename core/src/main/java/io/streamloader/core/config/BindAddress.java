package io.streamloader.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a listener's host keeps it on this machine: the rule behind "no keys, loopback only". */
public final class BindAddress {

    private BindAddress() {}

    /**
     * True when {@code host} names only loopback addresses ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}).
     * {@code 0.0.0.0}, {@code ::}, other addresses and names that do not resolve are not.
     */
    public static boolean isLoopback(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
