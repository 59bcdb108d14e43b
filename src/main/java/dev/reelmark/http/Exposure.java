package dev.reelmark.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** What `serve` says before it listens beyond this machine. */
public final class Exposure {
    private Exposure() {
    }

    /** True for loopback addresses and names (127.0.0.0/8, ::1, localhost). */
    public static boolean isLoopback(String bindHost) {
        if (bindHost == null) return false;
        String h = bindHost.trim();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equalsIgnoreCase("localhost")) return true;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The warning for a non-loopback bind address, or empty on loopback. */
    public static Optional<String> warning(String bindHost, List<String> allowedHosts) {
        if (isLoopback(bindHost)) return Optional.empty();
        String names = allowedHosts.isEmpty()
                ? "no --allowed-host given, so only requests addressed to localhost/127.0.0.1 are answered"
                : "requests are answered for Host " + String.join(", ", allowedHosts) + " and the loopback names";
        return Optional.of("WARNING: listening on " + bindHost + ", reachable from other machines; anyone who can "
                + "reach this port can read and change the catalog. " + names
                + ". Put it behind a TLS reverse proxy and keep the port firewalled.");
    }
}
