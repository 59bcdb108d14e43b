package dev.reelmark.http;

import dev.reelmark.json.Json;

import dev.reelmark.errors.DomainException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;

/**
 * Builds the Javalin server from an {@link ApiRouter}: JSON errors everywhere (Jetty's own 413/414/431 included),
 * the request guards of {@link Hardening}, strict body checks, rate limits on the expensive routes, the OpenAPI
 * document at /api/openapi.json, and the web UI's static files at / when the jar carries them.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Vite names every built asset after its content hash, so a cached copy can never be stale. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private HttpServer() {
    }

    /**
     * Code run around every request, before the routes and after them (with the final status): authentication,
     * authorization and the audit log register one (see {@code dev.reelmark.auth.AuthGate}). A {@code before} that
     * throws a {@link DomainException} answers with it and the route does not run.
     */
    public interface Hooks {
        void before(io.javalin.http.Context ctx) throws Exception;

        void after(io.javalin.http.Context ctx) throws Exception;
    }

    /** Builds the server with the default guards; {@code router} should already hold the OpenAPI route. */
    public static Javalin create(ApiRouter router, String version) {
        return create(router, version, HttpOptions.defaults(), null);
    }

    /** Builds the server with the default guards and request hooks (null: none). */
    public static Javalin create(ApiRouter router, String version, Hooks hooks) {
        return create(router, version, HttpOptions.defaults(), hooks);
    }

    /** Builds the server without hooks. */
    public static Javalin create(ApiRouter router, String version, HttpOptions options) {
        return create(router, version, options, null);
    }

    /** Builds the server; {@code router} should already hold the OpenAPI route ({@link OpenApi#register}). */
    public static Javalin create(ApiRouter router, String version, HttpOptions options, Hooks hooks) {
        boolean hasWebUi = options.webRoot() != null
                ? java.nio.file.Files.isRegularFile(options.webRoot().resolve("index.html"))
                : HttpServer.class.getResource("/public/index.html") != null;
        Hardening hardening = new Hardening(options.allowedHosts());
        BodyChecks bodyChecks = new BodyChecks(router.schemas());
        RateLimiter limiter = new RateLimiter(options.rateLimit(), options.rateWindowSeconds(), options.clock());
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = 8L * 1024 * 1024;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JsonErrorHandler());
                handler.addFilter(new FilterHolder(new Hardening.NoMethodOverride()), "/*",
                        EnumSet.of(DispatcherType.REQUEST));
            });
            if (hasWebUi) {
                String dir = options.webRoot() != null ? options.webRoot().toString() : "/public";
                Location location = options.webRoot() != null ? Location.EXTERNAL : Location.CLASSPATH;
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/assets";
                    sf.directory = dir + "/assets";
                    sf.location = location;
                    sf.headers = Map.of("Cache-Control", IMMUTABLE);
                });
                cfg.staticFiles.add(sf -> {
                    sf.directory = dir;
                    sf.location = location;
                    sf.headers = Map.of("Cache-Control", "no-cache");
                });
                // Client-side routes (/catalog/projects/3) get the app's index.html; unknown /api paths stay JSON 404s.
                cfg.spaRoot.addHandler("/", ctx -> {
                    if (ctx.path().equals("/api") || ctx.path().startsWith("/api/")) {
                        ctx.status(404).json(new ApiError.ErrorBody(404, "not_found",
                                "no endpoint " + ctx.method() + " " + ctx.path(), null));
                    } else {
                        ctx.header("Cache-Control", "no-cache");
                        ctx.html(indexHtml(options));
                    }
                });
            }
            cfg.routes.before(hardening::before);
            if (hooks != null) {
                cfg.routes.before(hooks::before);
                cfg.routes.after(hooks::after);
            }
            for (ApiRouter.Route route : router.routes()) {
                if (route.sse() != null) {
                    cfg.routes.sse(route.path(), route.sse());
                } else {
                    cfg.routes.addHttpHandler(route.method(), route.path(),
                            guarded(route, bodyChecks, limiter, options));
                }
            }
            cfg.routes.exception(DomainException.class, (e, ctx) -> {
                if (e instanceof RateLimited r) ctx.header("Retry-After", Long.toString(r.retryAfterSeconds));
                ctx.status(ApiError.statusOf(e)).json(ApiError.bodyOf(e));
            });
            long maxBody = cfg.http.maxRequestSize;
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(switch (e.getStatus()) {
                case 413 -> new ApiError.ErrorBody(413, "body_too_large", "body: larger than " + maxBody + " bytes", "body");
                case 404 -> new ApiError.ErrorBody(404, "not_found", "no endpoint " + ctx.method() + " " + ctx.path(), null);
                case 405 -> new ApiError.ErrorBody(405, "method_not_allowed",
                        "method " + ctx.method() + " is not allowed on " + ctx.path(), null);
                default -> new ApiError.ErrorBody(e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null);
            }));
            cfg.routes.exception(Exception.class, HttpServer::unexpected);
            cfg.routes.error(404, ctx -> {
                if (ctx.path().startsWith("/api") && !isJson(ctx.result())) {
                    ctx.json(new ApiError.ErrorBody(404, "not_found",
                            "no endpoint " + ctx.method() + " " + ctx.path(), null));
                }
            });
            cfg.routes.error(405, ctx -> ctx.json(new ApiError.ErrorBody(405, "method_not_allowed",
                    "method " + ctx.method() + " is not allowed on " + ctx.path(), null)));
        });
    }

    /** The route's handler behind the string and type checks and, for expensive routes, the rate limit. */
    private static Handler guarded(ApiRouter.Route route, BodyChecks checks, RateLimiter limiter, HttpOptions options) {
        String key = route.method().name() + " " + route.path();
        boolean limited = options.limitedRoutes().contains(key);
        return ctx -> {
            checks.check(ctx, route);
            if (limited) {
                long wait = limiter.acquire(clientKey(ctx) + " " + key);
                if (wait > 0) throw new RateLimited(key, wait);
            }
            route.handler().handle(ctx);
        };
    }

    /** Who is asking: the API token when one is sent (a hash of it, never the token), else the remote address. */
    static String clientKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(auth.substring(7).trim()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "token:" + HexFormat.of().formatHex(digest, 0, 12);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return "addr:" + ctx.req().getRemoteAddr();
    }

    /** Anything that is not a {@link DomainException}: 503 when the database is out of reach, else a logged 500. */
    private static void unexpected(Exception e, Context ctx) {
        // An answer to a request Jetty already recycled cannot be sent; trying throws again, and Javalin would hand
        // that exception back here, over and over.
        if (Hardening.gone(ctx)) {
            LOG.debug("the client left before the answer: {}", e.toString());
            return;
        }
        String id = Hardening.requestId(ctx);
        if (DatabaseErrors.isUnavailable(e)) {
            LOG.warn("request {}: database unavailable on {} {}: {}", id, ctx.method(), ctx.path(), DatabaseErrors.summary(e));
            ctx.header("Retry-After", "2");
            ctx.status(503).json(new ServerErrorBody(503, "database_unavailable",
                    "the database cannot be reached; try again shortly (request " + id + ")", null, id));
            return;
        }
        LOG.error("request {}: unhandled error on {} {}", id, ctx.method(), ctx.path(), e);
        ctx.status(500).json(new ServerErrorBody(500, "internal_error",
                "internal error; the server log has the details under request " + id, null, id));
    }

    /** A 5xx body: the error fields plus the request id that the server log line carries too. */
    public record ServerErrorBody(int status, String error, String message, String field, String request_id) {
    }

    /** 429 for one client on one expensive route, with the seconds until it may ask again. */
    static final class RateLimited extends ApiError {
        final long retryAfterSeconds;

        RateLimited(String route, long retryAfterSeconds) {
            super(429, "rate_limited", null, "too many requests to " + route + "; try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static String indexHtml(HttpOptions options) {
        try {
            if (options.webRoot() != null) {
                return java.nio.file.Files.readString(options.webRoot().resolve("index.html"));
            }
            try (var in = HttpServer.class.getResourceAsStream("/public/index.html")) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isJson(String result) {
        return result != null && result.startsWith("{");
    }
}
