package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Timestamps;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.json.Json;
import dev.reelmark.http.Requests;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static dev.reelmark.http.ApiRouter.arrayOf;
import static dev.reelmark.http.ApiRouter.objectOf;
import static dev.reelmark.http.ApiRouter.ref;
import static dev.reelmark.http.ApiRouter.type;

/** Web login (session cookie + CSRF token), who am I, and the audit log's search. */
public final class AuthRoutes {
    private final AuthService auth;
    private final AuditLog audit;

    public AuthRoutes(AuthService auth, AuditLog audit) {
        this.auth = auth;
        this.audit = audit;
    }

    public void register(ApiRouter router) {
        router.schema("Me", meSchema());
        router.schema("AuditEntry", auditSchema());

        router.post("/api/auth/login").tag("auth").summary("Log in to the web UI")
                .description("Checks the name and password (Argon2id hash) and sets an HttpOnly, SameSite=Strict session"
                        + " cookie. Every later write made with that cookie must send the returned `csrf_token` as the"
                        + " `X-CSRF-Token` header. API clients use `Authorization: Bearer TOKEN` instead.")
                .request(objectOf("name", type("string"), "password", type("string")))
                .response(ref("Me")).errors(400, 401)
                .handle(this::login);

        router.post("/api/auth/logout").tag("auth").summary("Log out (ends the web session)")
                .response(objectOf("logged_out", type("boolean"))).errors(401, 403)
                .handle(ctx -> {
                    Principal p = ctx.attribute(AuthGate.PRINCIPAL);
                    if (p != null && p.sessionId() != null) auth.logout(p.sessionId());
                    ctx.header("Set-Cookie", cookie(ctx, "", 0));
                    ctx.json(Json.object().put("logged_out", p != null && p.sessionId() != null));
                });

        router.get("/api/auth/me").tag("auth").summary("Who the caller is, with roles and the session's CSRF token")
                .description("401 when the server has users and the caller has no valid token or session: the web UI"
                        + " then shows its login screen. With no users, loopback clients are the local operator (admin).")
                .response(ref("Me")).errors(401)
                .handle(ctx -> ctx.json(me(ctx.attribute(AuthGate.PRINCIPAL))));

        router.get("/api/audit").tag("auth").summary("Search the audit log (admins), newest first")
                .description("Every write the API accepted or refused for an authenticated caller: who, how, the route"
                        + " pattern, entity and ids, status and a short summary (request body keys and ids; for catalog"
                        + " updates the changed fields before and after). Page with `before` = the previous `next_before`.")
                .query("user", "string", "only this actor (user name, or 'local')")
                .query("entity", "string", "only this entity, e.g. receipts, projects, tag_operations")
                .query("entity_id", "string", "only entries about this id of the entity")
                .query("from", "string", "ISO-8601 time, inclusive")
                .query("to", "string", "ISO-8601 time, exclusive")
                .query("limit", "integer", "page size, 1 to 500 (default 50)")
                .query("before", "integer", "continue with entries older than this id")
                .response(objectOf("items", arrayOf(ref("AuditEntry")), "total", type("integer"),
                        "next_before", Json.object().set("type", Json.MAPPER.createArrayNode().add("integer").add("null"))))
                .errors(400, 401, 403)
                .handle(ctx -> {
                    var filter = new AuditLog.Filter(text(ctx, "user"), text(ctx, "entity"), text(ctx, "entity_id"),
                            time(ctx, "from"), time(ctx, "to"));
                    ctx.json(audit.search(filter, Requests.queryInt(ctx, "limit", 50, 1, 500), Requests.queryLong(ctx, "before")));
                });
    }

    private void login(Context ctx) {
        ObjectNode body = Requests.jsonObject(ctx);
        String name = stringField(body, "name");
        String password = stringField(body, "password");
        ctx.attribute(AuthGate.LOGIN_NAME, name.length() > 64 ? name.substring(0, 64) : name);
        var session = auth.login(name, password)
                .orElseThrow(() -> new ApiError(401, "invalid_credentials", null, "wrong name or password"));
        ctx.attribute(AuthGate.PRINCIPAL, session.principal());
        ctx.header("Set-Cookie", cookie(ctx, session.secret(), AuthService.SESSION_LIFETIME.toSeconds()));
        ctx.json(me(session.principal()));
    }

    private static String stringField(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw InvalidInput.field(field, "a non-empty string is required");
        return v.asText();
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure when the request came over HTTPS (directly or via a proxy). */
    static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return AuthGate.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    private ObjectNode me(Principal p) {
        if (p == null) throw new ApiError(401, "unauthorized", null, "authentication required");
        ObjectNode me = Json.object();
        me.put("name", p.name());
        me.put("via", p.via());
        ArrayNode roles = me.putArray("roles");
        for (Principal.Grant g : p.grants()) {
            ObjectNode r = roles.addObject().put("role", g.role().key());
            if (g.projectId() == null) r.putNull("project_id");
            else r.put("project_id", g.projectId());
        }
        if (p.csrfToken() == null) me.putNull("csrf_token");
        else me.put("csrf_token", p.csrfToken());
        me.put("is_admin", p.may(Permission.ADMIN, null));
        me.put("auth_required", !"local".equals(p.via()));
        return me;
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Instant time(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) return null;
        try {
            return Timestamps.parse(v);
        } catch (DateTimeParseException e) {
            throw InvalidInput.field(name, "must be an ISO-8601 time such as 2026-12-01T10:00:00Z, got '" + v + "'");
        }
    }

    private static ObjectNode meSchema() {
        ObjectNode role = objectOf("role", type("string"),
                "project_id", Json.object().set("type", Json.MAPPER.createArrayNode().add("integer").add("null")));
        return objectOf("name", type("string"), "via", type("string"), "roles", arrayOf(role),
                "csrf_token", Json.object().set("type", Json.MAPPER.createArrayNode().add("string").add("null")),
                "is_admin", type("boolean"), "auth_required", type("boolean"));
    }

    private static ObjectNode auditSchema() {
        ObjectNode nullableString = Json.object();
        nullableString.set("type", Json.MAPPER.createArrayNode().add("string").add("null"));
        return objectOf("id", type("integer"), "at", type("string"), "actor", type("string"), "via", type("string"),
                "method", type("string"), "route", type("string"), "path", type("string"),
                "entity", nullableString, "entity_id", nullableString.deepCopy(),
                "entity_ids", type("object"), "status", type("integer"), "summary", type("object"));
    }
}
