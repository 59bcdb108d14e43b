package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
import dev.reelmark.http.HttpServer;
import dev.reelmark.json.Json;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what, and the record of what they did. Before each request: find the caller (API token, else web
 * session cookie, else, while no user exists, the local operator on loopback), check the route's permission from
 * {@link RoutePermissions} (per project where the request names one), and demand the CSRF header on writes made
 * with a session. After each write: one audit log row with the caller, the route, the ids and the outcome.
 */
public final class AuthGate implements HttpServer.Hooks {
    public static final String SESSION_COOKIE = "reelmark_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String PRINCIPAL = "reelmark.auth.principal";
    static final String LOGIN_NAME = "reelmark.auth.login_name";
    private static final String STATE = "reelmark.auth.state";
    private static final Logger LOG = LoggerFactory.getLogger(AuthGate.class);
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final int MAX_AUDITED_BODY = 256 * 1024;

    private final AuthService auth;
    private final AuditLog audit;
    private final CatalogLookup catalog;
    private final boolean remoteWithoutUsers;

    /**
     * @param remoteWithoutUsers {@code serve --no-auth}: while no user exists, answer non-loopback clients too
     */
    public AuthGate(AuthService auth, AuditLog audit, CatalogLookup catalog, boolean remoteWithoutUsers) {
        this.auth = auth;
        this.audit = audit;
        this.catalog = catalog;
        this.remoteWithoutUsers = remoteWithoutUsers;
    }

    /** What the before step learnt, for the after step. */
    private static final class State {
        RoutePermissions.Match match;
        boolean audited;
        JsonNode before;
    }

    @Override
    public void before(Context ctx) {
        String method = ctx.method().name();
        String path = ctx.path();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            // the web UI's files: public (the login screen), but not to remote clients of a server without users
            if (!localOrOpen(ctx) && !auth.hasUsers()) throw remoteRefused();
            return;
        }
        String lookupMethod = method.equals("HEAD") ? "GET" : method;
        RoutePermissions.Match match = RoutePermissions.match(lookupMethod, path).orElseGet(() ->
                // not in the table: only an admin gets past (and then, most likely, a 404)
                new RoutePermissions.Match(new RoutePermissions.Rule(method, path, Permission.ADMIN, null), Map.of()));
        State state = new State();
        state.match = match;
        ctx.attribute(STATE, state);
        Permission needed = match.rule().permission();

        Principal principal = identify(ctx, needed);
        if (principal != null) ctx.attribute(PRINCIPAL, principal);
        if (needed == Permission.PUBLIC) return;
        if (principal == null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"reelmark\"");
            throw new ApiError(401, "unauthorized", null,
                    "authentication required: send Authorization: Bearer TOKEN or log in");
        }
        if (!SAFE.contains(method) && principal.sessionId() != null) checkCsrf(ctx, principal);
        if (!principal.may(needed, null)) {
            Long project = needed == Permission.READ || needed == Permission.AUTHENTICATED ? null : projectOf(ctx, match);
            if (project == null || !principal.may(needed, project)) {
                throw deny(ctx, state, principal, "forbidden", "your roles (" + roles(principal) + ") do not allow "
                        + method + " " + match.rule().pattern() + ": it needs " + needed.name().toLowerCase()
                        + (project != null ? " on project " + project : ""));
            }
        }
        if ((method.equals("PATCH") || method.equals("DELETE")) && match.pathParams().containsKey("id")
                && match.rule().pattern().matches("/api/[a-z-]+/\\{id}")) {
            state.before = catalogRow(match).orElse(null);
        }
    }

    @Override
    public void after(Context ctx) {
        State state = ctx.attribute(STATE);
        if (state == null || state.audited || !audited(ctx.method().name(), state.match.rule())) return;
        int status = ctx.status().getCode();
        Principal principal = ctx.attribute(PRINCIPAL);
        String loginName = ctx.attribute(LOGIN_NAME);
        if (principal == null && loginName == null) return; // unauthenticated attempts are not the log's business
        try {
            append(ctx, state, principal, loginName, status);
        } catch (RuntimeException e) {
            LOG.error("could not write the audit entry of {} {} ({})", ctx.method(), ctx.path(), status, e);
        }
    }

    /** Whether a request of this method under this rule is a write the log records. */
    static boolean audited(String method, RoutePermissions.Rule rule) {
        return !SAFE.contains(method) && rule.permission() != Permission.READ;
    }

    private Principal identify(Context ctx, Permission needed) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ApiError(401, "unauthorized", null, "Authorization must be 'Bearer TOKEN'");
            }
            return auth.authenticateToken(authorization.substring(7).trim()).orElseThrow(() ->
                    new ApiError(401, "unauthorized", null, "the token is unknown, expired or revoked"));
        }
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie != null && !cookie.isBlank()) {
            Optional<Principal> session = auth.authenticateSession(cookie);
            if (session.isPresent()) return session.get();
        }
        if (needed == Permission.PUBLIC) return null;
        if (auth.hasUsers()) return null;
        if (localOrOpen(ctx)) return Principal.local();
        throw remoteRefused();
    }

    private void checkCsrf(Context ctx, Principal principal) {
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null || principal.csrfToken() == null || !MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), principal.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw deny(ctx, ctx.attribute(STATE), principal, "csrf_token_required",
                    "a write made with a session cookie needs the " + CSRF_HEADER + " header from /api/auth/me or login");
        }
    }

    /** A 403, recorded in the audit log when it refuses a write. */
    private DomainException deny(Context ctx, State state, Principal principal, String code, String message) {
        if (state != null && audited(ctx.method().name(), state.match.rule())) {
            try {
                append(ctx, state, principal, null, 403);
                state.audited = true;
            } catch (RuntimeException e) {
                LOG.error("could not write the audit entry of a refused {} {}", ctx.method(), ctx.path(), e);
            }
        }
        return new ApiError(403, code, null, message);
    }

    private boolean localOrOpen(Context ctx) {
        if (remoteWithoutUsers) return true;
        // a request relayed by a proxy is not the local operator's, whatever the proxy's own address
        if (ctx.header("Forwarded") != null || ctx.header("X-Forwarded-For") != null) return false;
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static DomainException remoteRefused() {
        return new ApiError(403, "local_only", null,
                "this server has no users yet and answers only loopback clients; create one with 'reelmark users add'");
    }

    /** The project a request acts on, if it names one: a project path, a catalog row, or a new row's reference. */
    private Long projectOf(Context ctx, RoutePermissions.Match match) {
        String[] segs = match.rule().pattern().split("/");
        String id = match.pathParams().get("id");
        try {
            if (segs.length >= 4 && "{id}".equals(segs[3]) && id != null) {
                long n = Long.parseLong(id);
                if ("projects".equals(segs[2])) return n;
                return catalog.projectOf(segs[2], n).orElse(null);
            }
            if (segs.length == 3 && ctx.method().name().equals("POST")) {
                JsonNode body = bodyJson(ctx);
                if (body == null) return null;
                if (body.path("project_id").canConvertToLong()) return body.get("project_id").asLong();
                for (var ref : Map.of("character_id", "characters", "image_id", "images", "scene_id", "scenes",
                        "segment_id", "segments").entrySet()) {
                    if (body.path(ref.getKey()).canConvertToLong()) {
                        return catalog.projectOf(ref.getValue(), body.get(ref.getKey()).asLong()).orElse(null);
                    }
                }
            }
        } catch (NumberFormatException e) {
            return null; // the route answers the bad id with its own 400
        }
        return null;
    }

    private Optional<JsonNode> catalogRow(RoutePermissions.Match match) {
        try {
            return catalog.row(match.rule().pattern().split("/")[2], Long.parseLong(match.pathParams().get("id")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void append(Context ctx, State state, Principal principal, String loginName, int status) {
        RoutePermissions.Rule rule = state.match.rule();
        ObjectNode ids = Json.object();
        String[] segs = rule.pattern().split("/");
        for (int i = 0; i < segs.length; i++) {
            if (!segs[i].startsWith("{")) continue;
            String name = segs[i].substring(1, segs[i].length() - 1);
            String value = state.match.pathParams().get(name);
            String key = name.equals("id") && i > 0 ? singular(segs[i - 1]) + "_id" : name;
            putId(ids, key, value);
        }
        String entityId = state.match.pathParams().get("id");
        ObjectNode summary = Json.object();
        JsonNode body = bodyJson(ctx);
        if (body != null && body.isObject()) {
            var keys = summary.putArray("body_keys");
            body.fieldNames().forEachRemaining(keys::add);
            ObjectNode bodyIds = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                var f = it.next();
                String k = f.getKey();
                boolean idKey = k.equals("id") || k.endsWith("_id") || k.equals("name") && rule.pattern().equals("/api/auth/login");
                if (idKey && f.getValue().isValueNode()) bodyIds.set(k, f.getValue());
                if (k.endsWith("_ids") && f.getValue().isArray() && f.getValue().size() <= 100) bodyIds.set(k, f.getValue());
            }
            if (!bodyIds.isEmpty()) summary.set("body_ids", bodyIds);
        }
        JsonNode result = status < 300 ? resultJson(ctx) : null;
        if (result != null && result.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
                var f = it.next();
                if ((f.getKey().equals("id") || f.getKey().endsWith("_id")) && f.getValue().isValueNode() && !f.getValue().isNull()) {
                    String key = f.getKey().equals("id") ? "result_id" : f.getKey();
                    // a path id of the same name (the operation rolled back) keeps its key
                    if (ids.has(key) && !ids.get(key).asText().equals(f.getValue().asText())) key = "result_" + key;
                    ids.set(key, f.getValue());
                }
            }
            if (result.path("path").isTextual()) summary.put("result_path", result.get("path").asText());
            // a creating route names what it made: the receipt, the dataset export, the tag operation
            if (ctx.method().name().equals("POST")) {
                for (String key : new String[] {"id", "operation_id"}) {
                    if (result.path(key).isValueNode() && !result.path(key).isNull()) {
                        entityId = result.get(key).asText();
                        break;
                    }
                }
            }
        }
        if (state.before != null) {
            if (ctx.method().name().equals("PATCH") && result != null && result.isObject()) {
                ObjectNode changed = summary.putObject("changed");
                for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
                    var f = it.next();
                    JsonNode old = state.before.get(f.getKey());
                    if (!f.getKey().equals("updated_at") && (old == null || !old.equals(f.getValue()))) {
                        ObjectNode change = changed.putObject(f.getKey());
                        change.set("before", old == null ? Json.MAPPER.nullNode() : old);
                        change.set("after", f.getValue());
                    }
                }
            } else if (ctx.method().name().equals("DELETE") && status < 300) {
                summary.set("before", state.before);
            }
        }
        String actor = principal != null ? principal.name() : loginName;
        String via = principal != null ? principal.viaLabel() : "login";
        audit.append(new AuditLog.NewEntry(actor, via, ctx.method().name(), rule.pattern(), ctx.path(), rule.entity(),
                entityId, ids, status, summary));
    }

    private static JsonNode bodyJson(Context ctx) {
        try {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase().contains("json")) return null;
            byte[] bytes = ctx.bodyAsBytes();
            if (bytes.length == 0 || bytes.length > MAX_AUDITED_BODY) return null;
            return Json.MAPPER.readTree(bytes);
        } catch (Exception e) {
            return null; // malformed bodies are the route's to answer; the entry just has no keys
        }
    }

    private static JsonNode resultJson(Context ctx) {
        try {
            String type = ctx.res().getContentType();
            if (type == null || !type.contains("json")) return null;
            String text = ctx.result();
            if (text == null || text.isEmpty() || text.length() > MAX_AUDITED_BODY) return null;
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static void putId(ObjectNode ids, String key, String value) {
        if (value == null) return;
        try {
            ids.put(key, Long.parseLong(value));
        } catch (NumberFormatException e) {
            ids.put(key, value.length() > 200 ? value.substring(0, 200) : value);
        }
    }

    private static String singular(String segment) {
        String s = segment.replace('-', '_');
        if (s.equals("history")) return "operation";
        if (s.equals("segment_quality")) return s;
        return s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
    }

    private static String roles(Principal p) {
        if (p.grants().isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        for (Principal.Grant g : p.grants()) {
            if (!b.isEmpty()) b.append(", ");
            b.append(g.role().key()).append(g.projectId() == null ? "" : " on project " + g.projectId());
        }
        return b.toString();
    }
}
