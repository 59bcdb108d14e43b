package dev.reelmark.http;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * How the HTTP server guards itself: the host names it answers to, the request rate limits of its expensive
 * routes, and where the web UI's files come from.
 *
 * @param allowedHosts  extra names (optionally {@code name:port}) accepted in the Host header and as an
 *                      Origin, besides the loopback names on the server's own port
 * @param rateLimit     requests per client per expensive route and window; 0 turns the limits off
 * @param rateWindowSeconds length of the rate-limit window
 * @param limitedRoutes the expensive routes, as {@code "METHOD /path/{template}"}
 * @param clock         the clock the rate limits count time with (a fixed or stepped one in tests)
 * @param webRoot       a directory to serve the web UI from instead of the jar's {@code /public}; null for the jar
 */
public record HttpOptions(List<String> allowedHosts, int rateLimit, int rateWindowSeconds, Set<String> limitedRoutes,
                          Clock clock, Path webRoot) {
    /** Provenance import, tag plans, sidecar and dataset exports, metadata deliveries. */
    public static final Set<String> EXPENSIVE_ROUTES = Set.of(
            "POST /api/provenance/import",
            "GET /api/metadata/plan",
            "POST /api/metadata/plan",
            "GET /api/metadata/plan/export",
            "POST /api/projects/{id}/export-sidecars",
            "POST /api/projects/{id}/export-dataset",
            "POST /api/projects/{id}/metadata/deliver");

    public HttpOptions {
        allowedHosts = List.copyOf(allowedHosts);
        limitedRoutes = Set.copyOf(limitedRoutes);
        if (rateLimit < 0) throw new IllegalArgumentException("the rate limit must be 0 (off) or more, got " + rateLimit);
        if (rateWindowSeconds < 1) throw new IllegalArgumentException("the rate-limit window must be at least 1 s");
    }

    /** Loopback names only, 30 requests a minute per client on each expensive route, the jar's web UI. */
    public static HttpOptions defaults() {
        return new HttpOptions(List.of(), 30, 60, EXPENSIVE_ROUTES, Clock.systemUTC(), null);
    }

    public HttpOptions withAllowedHosts(List<String> hosts) {
        return new HttpOptions(hosts, rateLimit, rateWindowSeconds, limitedRoutes, clock, webRoot);
    }

    public HttpOptions withRateLimit(int perWindow, int windowSeconds, Clock clock) {
        return new HttpOptions(allowedHosts, perWindow, windowSeconds, limitedRoutes, clock, webRoot);
    }

    public HttpOptions withWebRoot(Path dir) {
        return new HttpOptions(allowedHosts, rateLimit, rateWindowSeconds, limitedRoutes, clock, dir);
    }
}
