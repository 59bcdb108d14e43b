package dev.reelmark.http;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Javalin server from an {@link ApiRouter}: JSON errors everywhere under /api, the OpenAPI document at
 * /api/openapi.json, and the web UI's static files at / when the jar carries them.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private HttpServer() {
    }

    /**
     * Code run around every request, before the routes and after them (with the final status): authentication,
     * authorization and the audit log register one (see {@code dev.reelmark.auth.AuthGate}). A {@code before} that
     * throws an {@link ApiError} answers with it and the route does not run.
     */
    public interface Hooks {
        void before(io.javalin.http.Context ctx) throws Exception;

        void after(io.javalin.http.Context ctx) throws Exception;
    }

    /** Builds the server; {@code router} should already hold the OpenAPI route ({@link OpenApi#register}). */
    public static Javalin create(ApiRouter router, String version) {
        return create(router, version, null);
    }

    /** Builds the server with request hooks (null: none). */
    public static Javalin create(ApiRouter router, String version, Hooks hooks) {
        boolean hasWebUi = HttpServer.class.getResource("/public/index.html") != null;
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = 8L * 1024 * 1024;
            if (hasWebUi) {
                cfg.staticFiles.add("/public", Location.CLASSPATH);
                // Client-side routes (/catalog/projects/3) get the app's index.html; unknown /api paths stay JSON 404s.
                cfg.spaRoot.addHandler("/", ctx -> {
                    if (ctx.path().equals("/api") || ctx.path().startsWith("/api/")) {
                        ctx.status(404).json(new ApiError.ErrorBody(404, "not_found",
                                "no endpoint " + ctx.method() + " " + ctx.path(), null));
                    } else {
                        ctx.html(indexHtml());
                    }
                });
            }
            if (hooks != null) {
                cfg.routes.before(hooks::before);
                cfg.routes.after(hooks::after);
            }
            for (ApiRouter.Route route : router.routes()) {
                if (route.sse() != null) {
                    cfg.routes.sse(route.path(), route.sse());
                } else {
                    cfg.routes.addHttpHandler(route.method(), route.path(), route.handler());
                }
            }
            cfg.routes.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ApiError.ErrorBody(500, "internal_error",
                        "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null));
            });
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

    private static String indexHtml() {
        try (var in = HttpServer.class.getResourceAsStream("/public/index.html")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isJson(String result) {
        return result != null && result.startsWith("{");
    }
}
