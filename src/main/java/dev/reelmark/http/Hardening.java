package dev.reelmark.http;

import dev.reelmark.errors.DomainException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request passes before it reaches a route: a request id, the security headers, the Host allow-list
 * (against DNS rebinding), the same-origin rule for state-changing requests (against cross-site request forgery)
 * and JSON-only request bodies.
 */
public final class Hardening {
    public static final String REQUEST_ID = "X-Request-Id";
    static final String REQUEST_ID_ATTRIBUTE = "reelmark.request_id";
    static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> allowedHosts;

    Hardening(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** The id of this request, as sent in {@value #REQUEST_ID} and written in the log lines about it. */
    public static String requestId(Context ctx) {
        Object id;
        try {
            id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        } catch (RuntimeException recycled) {
            return "-"; // Jetty recycled the request (the client left an event stream): there is no id to read
        }
        return id == null ? "-" : id.toString();
    }

    /** True when Jetty has recycled the request: the client left (e.g. an event stream) and nothing can be answered. */
    public static boolean gone(Context ctx) {
        try {
            ctx.req().getAttribute(REQUEST_ID_ATTRIBUTE);
            ctx.res().getStatus();
            return false;
        } catch (RuntimeException recycled) {
            return true;
        }
    }

    /** The before-handler: headers first (so refusals carry them too), then Host, Origin and Content-Type. */
    void before(Context ctx) {
        String id = HexFormat.of().formatHex(randomBytes());
        ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
        ctx.header(REQUEST_ID, id);
        securityHeaders(ctx);
        checkHost(ctx);
        if (STATE_CHANGING.contains(ctx.method())) {
            checkOrigin(ctx);
            checkContentType(ctx);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) return; // HTTP/1.0 without Host: nothing a browser can be tricked into
        if (!hostAllowed(host, ctx.req().getLocalPort())) {
            throw new ApiError(421, "host_not_allowed", "Host",
                    "Host: '" + printable(host) + "' is not a name this server answers to (see serve --allowed-host)");
        }
    }

    /** Loopback names on the port the request came to, or a name (or name:port) given with --allowed-host. */
    boolean hostAllowed(String hostHeader, int localPort) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name = host;
        int port = -1;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (LOOPBACK_NAMES.contains(name) && (port == localPort || (port == -1 && localPort == 80))) return true;
        for (String allowed : allowedHosts) {
            if (allowed.equals(host) || allowed.equals(name)) return true;
        }
        return false;
    }

    private void checkOrigin(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equalsIgnoreCase("cross-site")) {
            throw new ApiError(403, "cross_origin_refused", "Origin", "Origin: cross-site requests may not change anything");
        }
        String origin = ctx.header("Origin");
        if (origin == null) return; // not a browser (curl, the farm): there is no foreign page behind it
        if (!originAllowed(origin, ctx.scheme(), ctx.header("Host"))) {
            throw new ApiError(403, "cross_origin_refused", "Origin",
                    "Origin: '" + printable(origin) + "' is not this server's origin; it may not change anything");
        }
    }

    /** The request's own scheme://host:port, or an origin whose host was given with --allowed-host. */
    boolean originAllowed(String origin, String scheme, String hostHeader) {
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) return false; // includes "null"
        String oScheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!oScheme.equals("http") && !oScheme.equals("https")) return false;
        int oPort = uri.getPort() != -1 ? uri.getPort() : oScheme.equals("https") ? 443 : 80;
        String oHost = uri.getHost().toLowerCase(Locale.ROOT);
        String oAuthority = oHost + ":" + oPort;
        if (hostHeader != null && oScheme.equalsIgnoreCase(scheme)) {
            String h = hostHeader.trim().toLowerCase(Locale.ROOT);
            boolean hasPort = h.lastIndexOf(':') > h.lastIndexOf(']');
            String hAuthority = hasPort ? h : h + ":" + (scheme.equalsIgnoreCase("https") ? 443 : 80);
            if (hAuthority.equals(oAuthority)) return true;
        }
        for (String allowed : allowedHosts) {
            if (allowed.equals(oHost) || allowed.equals(oAuthority)) return true;
        }
        return false;
    }

    private static void checkContentType(Context ctx) {
        String type = ctx.header("Content-Type");
        long length = ctx.req().getContentLengthLong();
        boolean hasBody = length > 0 || (length == -1 && ctx.header("Transfer-Encoding") != null);
        if (type == null) {
            if (!hasBody) return;
            throw unsupported("a body needs Content-Type: application/json");
        }
        String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw unsupported("Content-Type: only application/json is accepted, got '" + printable(type) + "'");
        }
    }

    private static DomainException unsupported(String message) {
        return new ApiError(415, "unsupported_media_type", "Content-Type", message);
    }

    static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    /** Hides X-HTTP-Method-Override (and its variants): a POST stays a POST, whatever a header says. */
    static final class NoMethodOverride implements Filter {
        private static final Set<String> HIDDEN = Set.of("x-http-method-override", "x-http-method", "x-method-override");

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (request instanceof HttpServletRequest http) {
                chain.doFilter(new HttpServletRequestWrapper(http) {
                    @Override
                    public String getHeader(String name) {
                        return HIDDEN.contains(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
                    }

                    @Override
                    public Enumeration<String> getHeaders(String name) {
                        return HIDDEN.contains(name.toLowerCase(Locale.ROOT))
                                ? Collections.emptyEnumeration() : super.getHeaders(name);
                    }

                    @Override
                    public Enumeration<String> getHeaderNames() {
                        return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                                .filter(n -> !HIDDEN.contains(n.toLowerCase(Locale.ROOT))).toList());
                    }
                }, response);
            } else {
                chain.doFilter(request, response);
            }
        }
    }
}
