package dev.reelmark.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** People, roles, tokens, sessions and the audit log, over real HTTP on SQLite and PostgreSQL. */
class AuthApiTest {
    @TempDir
    Path dir;
    private ApiHarness h;
    private AuthHttp http;

    private void start(Vendor vendor) {
        h = new ApiHarness(vendor, dir);
        http = new AuthHttp(h.app.server().port());
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private String addUser(String name, Role role, Long project) {
        return h.app.auth().addUser(name, role, project, null, null).secret();
    }

    private long createProject(AuthHttp as, String name) {
        var r = as.post("/api/projects", Json.object().put("name", name).toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static void assertJsonError(AuthHttp.Response r, int status, String error) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo(error);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void withNoUsersLoopbackClientsHaveFullRightsAndRelayedOnesAreRefused(Vendor vendor) {
        start(vendor);
        long project = createProject(http, "Open studio");
        assertThat(http.delete("/api/projects/" + project).status()).isEqualTo(204);
        JsonNode me = http.get("/api/auth/me").json();
        assertThat(me.get("name").asText()).isEqualTo("local");
        assertThat(me.get("is_admin").asBoolean()).isTrue();
        assertThat(me.get("auth_required").asBoolean()).isFalse();
        // a request a proxy relayed is not the local operator's
        assertJsonError(http.with("X-Forwarded-For", "203.0.113.7").get("/api/projects"), 403, "local_only");
        // the local operator's writes are audited as "local"
        JsonNode audit = http.get("/api/audit?entity=projects").json();
        assertThat(audit.get("items")).extracting(e -> e.get("actor").asText()).containsOnly("local");
        assertThat(audit.get("items")).extracting(e -> e.get("method").asText()).containsExactly("DELETE", "POST");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void onceOneUserExistsEveryRequestMustAuthenticateAndAViewerReadsButCannotWrite(Vendor vendor) {
        start(vendor);
        long project = createProject(http, "Before users");
        String admin = addUser("ada", Role.ADMIN, null);
        String viewer = addUser("vic", Role.VIEWER, null);

        assertJsonError(http.get("/api/projects"), 401, "unauthorized");
        assertThat(http.get("/api/projects").headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertJsonError(http.post("/api/projects", "{\"name\":\"x\"}"), 401, "unauthorized");
        assertJsonError(http.bearer("rmk_not-a-token").get("/api/projects"), 401, "unauthorized");

        AuthHttp v = http.bearer(viewer);
        assertThat(v.get("/api/projects").status()).isEqualTo(200);
        assertThat(v.get("/api/projects/" + project).json().get("name").asText()).isEqualTo("Before users");
        assertJsonError(v.post("/api/projects", "{\"name\":\"x\"}"), 403, "forbidden");
        assertJsonError(v.patch("/api/projects/" + project, "{\"name\":\"renamed\"}"), 403, "forbidden");
        assertJsonError(v.delete("/api/projects/" + project), 403, "forbidden");
        assertJsonError(v.post("/api/ledger/reset", "{}"), 403, "forbidden");
        assertJsonError(v.get("/api/audit"), 403, "forbidden");
        assertThat(http.bearer(admin).get("/api/projects/" + project).json().get("name").asText()).isEqualTo("Before users");
        JsonNode me = v.get("/api/auth/me").json();
        assertThat(me.get("name").asText()).isEqualTo("vic");
        assertThat(me.get("roles").get(0).get("role").asText()).isEqualTo("viewer");

        // the refused writes are in the log with their author
        JsonNode refused = http.bearer(admin).get("/api/audit?user=vic").json().get("items");
        assertThat(refused).hasSize(4);
        assertThat(refused).extracting(e -> e.get("status").asInt()).containsOnly(403);
        assertThat(refused).extracting(e -> e.get("route").asText())
                .contains("/api/projects/{id}", "/api/ledger/reset", "/api/projects");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aPipelineTokenPostsReceiptsButCannotDeleteProjectsAndTheReceiptNamesItsAuthor(Vendor vendor) {
        start(vendor);
        String admin = addUser("ada", Role.ADMIN, null);
        String farm = addUser("render-farm", Role.PIPELINE, null);
        AuthHttp a = http.bearer(admin);
        AuthHttp p = http.bearer(farm);
        long project = createProject(a, "Farm");
        long segment = segment(a, project);
        long model = a.post("/api/assets", Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1")
                .put("checksum_sha256", "1".repeat(64)).toString()).json().get("id").asLong();

        var receipt = p.post("/api/segments/" + segment + "/receipts", Json.object().put("model_asset_id", model)
                .put("prompt_text", "Ava waves").put("negative_prompt", "blurry").put("cfg_scale", 6.5).put("seed", 7)
                .put("resolution_width", 832).put("resolution_height", 480).put("steps", 30).put("sampler", "euler").toString());
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(201);
        long receiptId = receipt.json().get("id").asLong();
        assertJsonError(p.delete("/api/projects/" + project), 403, "forbidden");
        assertJsonError(p.patch("/api/projects/" + project, "{\"name\":\"x\"}"), 403, "forbidden");
        assertThat(a.get("/api/projects/" + project).status()).isEqualTo(200);

        // who made receipt N: the audit entry linked by entity and id
        JsonNode made = a.get("/api/audit?entity=receipts&entity_id=" + receiptId).json().get("items");
        assertThat(made).as(made.toString()).hasSize(1);
        assertThat(made.get(0).get("actor").asText()).isEqualTo("render-farm");
        assertThat(made.get(0).get("via").asText()).contains("token").contains("render-farm");
        assertThat(made.get(0).get("route").asText()).isEqualTo("/api/segments/{id}/receipts");
        assertThat(made.get(0).get("entity_ids").get("segment_id").asLong()).isEqualTo(segment);
        assertThat(made.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(made.get(0).get("summary").get("body_keys")).extracting(JsonNode::asText)
                .containsExactly("model_asset_id", "prompt_text", "negative_prompt", "cfg_scale", "seed", "resolution_width",
                        "resolution_height", "steps", "sampler");
        assertThat(made.get(0).get("summary").get("body_ids").get("model_asset_id").asLong()).isEqualTo(model);
    }

    private long segment(AuthHttp a, long project) {
        long ch = a.post("/api/characters", Json.object().put("project_id", project).put("name", "Ava").toString()).json().get("id").asLong();
        long st = a.post("/api/scene-types", Json.object().put("project_id", project).put("name", "idle").toString()).json().get("id").asLong();
        long scene = a.post("/api/scenes", Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s1").toString()).json().get("id").asLong();
        var seg = a.post("/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 0)
                .put("output_video_path", "clips/s.mp4").toString());
        assertThat(seg.status()).as(seg.body()).isEqualTo(201);
        return seg.json().get("id").asLong();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aProjectRoleHoldsOnItsProjectOnly(Vendor vendor) {
        start(vendor);
        String admin = addUser("ada", Role.ADMIN, null);
        AuthHttp a = http.bearer(admin);
        long mine = createProject(a, "Mine");
        long theirs = createProject(a, "Theirs");
        String editor = addUser("eve", Role.EDITOR, mine);
        AuthHttp e = http.bearer(editor);
        assertThat(e.post("/api/characters", Json.object().put("project_id", mine).put("name", "Ava").toString()).status()).isEqualTo(201);
        assertJsonError(e.post("/api/characters", Json.object().put("project_id", theirs).put("name", "Bo").toString()), 403, "forbidden");
        assertThat(e.patch("/api/projects/" + mine, "{\"description\":\"ok\"}").status()).isEqualTo(200);
        assertJsonError(e.patch("/api/projects/" + theirs, "{\"description\":\"no\"}"), 403, "forbidden");
        assertJsonError(e.delete("/api/projects/" + mine), 403, "forbidden"); // deleting a project is the admin's
        assertThat(e.get("/api/projects").json().get("total").asInt()).isEqualTo(2); // reads are not scoped
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void revokedAndExpiredTokensAreRefused(Vendor vendor) {
        start(vendor);
        String admin = addUser("ada", Role.ADMIN, null);
        var second = h.app.auth().createToken("ada", "laptop", Duration.ofDays(90));
        assertThat(http.bearer(second.secret()).get("/api/projects").status()).isEqualTo(200);
        h.app.auth().revokeToken(second.token().id());
        assertJsonError(http.bearer(second.secret()).get("/api/projects"), 401, "unauthorized");

        // a token made 91 days ago with a 90-day lifetime (made through a service whose clock is in the past)
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(91)), ZoneOffset.UTC);
        var old = new AuthService(h.app.database(), past).createToken("ada", "old", Duration.ofDays(90));
        assertJsonError(http.bearer(old.secret()).get("/api/projects"), 401, "unauthorized");
        assertThat(http.bearer(admin).get("/api/projects").status()).isEqualTo(200);

        // only the hash is stored, and last use is recorded
        List<String> hashes = h.app.database().jdbi().withHandle(x -> x.createQuery("SELECT token_hash FROM api_tokens")
                .mapTo(String.class).list());
        assertThat(hashes).hasSize(3).doesNotContain(admin, second.secret()).contains(AuthService.sha256(admin));
        assertThat(h.app.auth().tokens("ada").get(0).lastUsedAt()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aWebSessionNeedsTheCsrfHeaderOnWritesAndItsCookieIsHttpOnlyAndStrict(Vendor vendor) {
        start(vendor);
        h.app.auth().addUser("lea", Role.LEAD, null, "correct horse battery", null);
        assertJsonError(http.post("/api/auth/login", "{\"name\":\"lea\",\"password\":\"wrong password\"}"), 401, "invalid_credentials");
        assertJsonError(http.post("/api/auth/login", "{\"name\":\"nobody\",\"password\":\"wrong password\"}"), 401, "invalid_credentials");
        var login = http.post("/api/auth/login", "{\"name\":\"lea\",\"password\":\"correct horse battery\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(AuthGate.SESSION_COOKIE + "=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").contains("Max-Age=");
        String csrf = login.json().get("csrf_token").asText();
        assertThat(csrf).hasSizeGreaterThan(20);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        AuthHttp s = http.with("Cookie", cookie);

        JsonNode me = s.get("/api/auth/me").json();
        assertThat(me.get("name").asText()).isEqualTo("lea");
        assertThat(me.get("csrf_token").asText()).isEqualTo(csrf);
        assertThat(s.get("/api/projects").status()).isEqualTo(200);
        assertJsonError(s.post("/api/projects", "{\"name\":\"no header\"}"), 403, "csrf_token_required");
        assertJsonError(s.with(AuthGate.CSRF_HEADER, "guess").post("/api/projects", "{\"name\":\"bad header\"}"), 403, "csrf_token_required");
        var ok = s.with(AuthGate.CSRF_HEADER, csrf).post("/api/projects", "{\"name\":\"with header\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(s.get("/api/projects").json().get("total").asInt()).isEqualTo(1);

        assertThat(s.with(AuthGate.CSRF_HEADER, csrf).post("/api/auth/logout", "{}").json().get("logged_out").asBoolean()).isTrue();
        assertJsonError(s.get("/api/projects"), 401, "unauthorized");

        // the password is stored as an Argon2id hash, not as itself
        String stored = h.app.database().jdbi().withHandle(x -> x.createQuery("SELECT password_hash FROM users WHERE name = 'lea'")
                .mapTo(String.class).one());
        assertThat(stored).startsWith("$argon2id$").doesNotContain("correct horse battery");
        // logins are audited, failed ones with the name tried
        var a = http.bearer(h.app.auth().addUser("ada", Role.ADMIN, null, null, null).secret());
        JsonNode logins = a.get("/api/audit?entity=sessions").json().get("items");
        assertThat(logins).extracting(e -> e.get("actor").asText() + " " + e.get("status").asInt())
                .containsExactly("lea 200", "lea 200", "nobody 401", "lea 401");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void everyWriteIsAuditedWithItsAuthorAndCatalogUpdatesKeepBeforeAndAfter(Vendor vendor) {
        start(vendor);
        String admin = addUser("ada", Role.ADMIN, null);
        String editor = addUser("eve", Role.EDITOR, null);
        AuthHttp a = http.bearer(admin);
        AuthHttp e = http.bearer(editor);
        long project = createProject(e, "Old name");
        assertThat(e.patch("/api/projects/" + project, "{\"name\":\"New name\"}").status()).isEqualTo(200);
        assertThat(a.delete("/api/projects/" + project).status()).isEqualTo(204);
        assertThat(e.get("/api/projects").status()).isEqualTo(200); // reads are not logged

        JsonNode items = a.get("/api/audit?entity=projects").json().get("items");
        assertThat(items).extracting(x -> x.get("actor").asText() + " " + x.get("method").asText() + " " + x.get("status").asInt())
                .containsExactly("ada DELETE 204", "eve PATCH 200", "eve POST 201");
        JsonNode patch = items.get(1);
        assertThat(items.get(0).get("summary").has("before")).as(items.get(0).toString()).isTrue();
        assertThat(patch.get("entity_id").asText()).isEqualTo(String.valueOf(project));
        assertThat(patch.get("summary").get("changed").get("name").get("before").asText()).isEqualTo("Old name");
        assertThat(patch.get("summary").get("changed").get("name").get("after").asText()).isEqualTo("New name");
        assertThat(items.get(0).get("summary").get("before").get("name").asText()).isEqualTo("New name");
        assertThat(items.get(2).get("entity_id").asText()).isEqualTo(String.valueOf(project));

        // filters and paging
        assertThat(a.get("/api/audit?user=eve").json().get("total").asInt()).isEqualTo(2);
        JsonNode page = a.get("/api/audit?entity=projects&limit=2").json();
        assertThat(page.get("items")).hasSize(2);
        JsonNode rest = a.get("/api/audit?entity=projects&limit=2&before=" + page.get("next_before").asLong()).json();
        assertThat(rest.get("items")).hasSize(1);
        assertThat(rest.get("next_before").isNull()).isTrue();
        assertThat(a.get("/api/audit?from=2999-01-01T00:00:00Z").json().get("total").asInt()).isZero();
        assertThat(a.get("/api/audit?to=2999-01-01T00:00:00Z&entity=projects").json().get("total").asInt()).isEqualTo(3);
        var bad = a.get("/api/audit?from=yesterday");
        assertJsonError(bad, 400, bad.json().get("error").asText());
        assertThat(bad.json().get("field").asText()).isEqualTo("from");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void theDatabaseRefusesToChangeOrRemoveAuditRows(Vendor vendor) {
        start(vendor);
        createProject(http, "Audited");
        var jdbi = h.app.database().jdbi();
        long rows = jdbi.withHandle(x -> x.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1L);
        assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE audit_log SET actor = 'someone else'")))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("DELETE FROM audit_log")))
                .hasMessageContaining("append-only");
        if (vendor == Vendor.POSTGRESQL) {
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("TRUNCATE audit_log"))).hasMessageContaining("append-only");
        }
        List<String> actors = jdbi.withHandle(x -> x.createQuery("SELECT actor FROM audit_log").mapTo(String.class).list());
        assertThat(actors).containsExactly("local");
    }
}
