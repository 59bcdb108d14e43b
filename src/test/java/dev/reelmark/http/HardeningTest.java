package dev.reelmark.http;

import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.RawHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The request guards every route sits behind, over real HTTP on both databases. */
class HardeningTest {
    @TempDir
    Path dir;

    private static final String JSON = "application/json";

    private static RawHttp raw(ApiHarness h) {
        return new RawHttp(h.app.server().port());
    }

    private static long projects(ApiHarness h) {
        return h.http.get("/api/projects").json().get("total").asLong();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aCrossSitePageCannotChangeAnything(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var http = raw(h);
            int port = h.app.server().port();
            // The bodies a cross-site form or no-cors fetch can send without a preflight.
            for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x")) {
                var r = http.send("POST", "/api/projects", Map.of("Content-Type", type), "{\"name\":\"CSRF\"}");
                assertThat(r.status()).as(type).isEqualTo(415);
                assertThat(r.json().get("error").asText()).isEqualTo("unsupported_media_type");
                assertThat(r.json().get("field").asText()).isEqualTo("Content-Type");
            }
            var noType = http.send("POST", "/api/projects", Map.of(), "{\"name\":\"CSRF\"}");
            assertThat(noType.status()).isEqualTo(415);
            var reset = http.send("POST", "/api/ledger/reset", Map.of("Content-Type", "text/plain"), "");
            assertThat(reset.status()).isEqualTo(415);

            // A JSON body from a foreign origin (or one the browser marks cross-site) is refused too.
            var foreign = http.send("POST", "/api/projects", Map.of("Content-Type", JSON, "Origin", "http://evil.example"),
                    "{\"name\":\"CSRF\"}");
            assertThat(foreign.status()).isEqualTo(403);
            assertThat(foreign.json().get("error").asText()).isEqualTo("cross_origin_refused");
            for (String origin : List.of("null", "http://127.0.0.1:" + (port + 1), "https://127.0.0.1:" + port, "http://localhost:" + port)) {
                assertThat(http.send("DELETE", "/api/projects/1", Map.of("Origin", origin), (String) null).status())
                        .as(origin).isEqualTo(403);
            }
            var fetchSite = http.send("POST", "/api/projects", Map.of("Content-Type", JSON, "Sec-Fetch-Site", "cross-site"),
                    "{\"name\":\"CSRF\"}");
            assertThat(fetchSite.status()).isEqualTo(403);
            assertThat(projects(h)).isZero();

            // The server's own page (same scheme, host and port) and non-browser clients (no Origin) may write.
            var own = http.send("POST", "/api/projects", Map.of("Content-Type", "application/json; charset=utf-8",
                    "Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin"), "{\"name\":\"Own\"}");
            assertThat(own.status()).as(own.body()).isEqualTo(201);
            assertThat(h.http.post("/api/projects", "{\"name\":\"Farm\"}").status()).isEqualTo(201);
            // Reads are not refused for an Origin (a cross-site page cannot read the answer anyway).
            assertThat(http.send("GET", "/api/projects", Map.of("Origin", "http://evil.example"), (String) null).status()).isEqualTo(200);
            assertThat(projects(h)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void onlyAllowedHostNamesAreServed(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var http = raw(h);
            int port = h.app.server().port();
            for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1:" + (port + 1), "localhost.evil.example:" + port)) {
                var r = http.send("GET", "/api/projects", Map.of("Host", host), (String) null);
                assertThat(r.status()).as(host).isEqualTo(421);
                assertThat(r.json().get("error").asText()).isEqualTo("host_not_allowed");
                assertThat(r.header("Content-Type")).startsWith(JSON);
            }
            var post = http.send("POST", "/api/projects", Map.of("Host", "evil.example", "Content-Type", JSON), "{\"name\":\"X\"}");
            assertThat(post.status()).isEqualTo(421);
            assertThat(projects(h)).isZero();
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port)) {
                assertThat(http.send("GET", "/api/projects", Map.of("Host", host), (String) null).status()).as(host).isEqualTo(200);
            }
        }
        try (var h = new ApiHarness(vendor, dir.resolve("allowed"), ApiHarness.TEST_OPTIONS.withAllowedHosts(List.of("reelmark.studio.example")))) {
            var http = raw(h);
            assertThat(http.send("GET", "/api/projects", Map.of("Host", "reelmark.studio.example"), (String) null).status()).isEqualTo(200);
            // Behind a TLS proxy the page's origin is https://NAME; the allowed name makes it the server's own.
            var r = http.send("POST", "/api/projects", Map.of("Host", "reelmark.studio.example", "Content-Type", JSON,
                    "Origin", "https://reelmark.studio.example"), "{\"name\":\"Proxied\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(http.send("GET", "/api/projects", Map.of("Host", "other.example"), (String) null).status()).isEqualTo(421);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aMethodOverrideHeaderDoesNotTurnAPostIntoADelete(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long id = h.http.post("/api/projects", "{\"name\":\"Keep\"}").json().get("id").asLong();
            for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
                var r = raw(h).send("POST", "/api/projects/" + id, Map.of(header, "DELETE", "Content-Type", JSON), "{}");
                assertThat(r.status()).as(header).isIn(404, 405); // no POST route there: the header changed nothing
                assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
            }
            assertThat(h.http.get("/api/projects/" + id).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void bodiesHaveTheDeclaredTypesAndNoNulOrLoneSurrogates(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var dryNull = h.http.post("/api/metadata/write", "{\"all\": true, \"dry_run\": null}");
            assertThat(dryNull.status()).isEqualTo(400);
            assertThat(dryNull.json().get("field").asText()).isEqualTo("dry_run");
            assertThat(dryNull.json().get("message").asText()).contains("boolean", "null");
            assertThat(h.http.get("/api/metadata/history").json().get("total").asLong()).isZero();

            var s = new dev.reelmark.catalog.CatalogApiTestAccess(h.http);
            var tagsNull = h.http.patch("/api/characters/" + s.character(), "{\"tags\": null}");
            assertThat(tagsNull.status()).as(tagsNull.body()).isEqualTo(400);
            assertThat(tagsNull.json().get("field").asText()).isEqualTo("tags");
            var nested = h.http.post("/api/projects/" + s.project() + "/metadata/deliver", "{\"sidecar_template_ids\": [1, \"x\"]}");
            assertThat(nested.status()).isEqualTo(400);
            assertThat(nested.json().get("field").asText()).isEqualTo("sidecar_template_ids[1]");

            for (String bad : List.of("\"A\\u0000B\"", "\"\\ud800\"", "\"x\\udc00y\"")) {
                var r = h.http.post("/api/projects", "{\"name\": " + bad + "}");
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.json().get("field").asText()).isEqualTo("name");
            }
            var key = h.http.post("/api/projects", "{\"name\": \"ok\", \"custom\\u0000\": 1}");
            assertThat(key.status()).isEqualTo(400);
            var query = h.http.get("/api/projects?name=%00");
            assertThat(query.status()).isEqualTo(400);
            assertThat(h.http.post("/api/projects", "{\"name\": \"Emoji \\ud83c\\udfac\"}").status()).isEqualTo(201);
            assertThat(projects(h)).isEqualTo(2); // the studio's and the emoji one
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void oversizedRequestsAnswerJson(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var http = raw(h);
            var uri = http.send("GET", "/api/projects?x=" + "a".repeat(20_000), Map.of(), (String) null);
            assertThat(uri.status()).isEqualTo(414);
            assertThat(uri.header("Content-Type")).startsWith(JSON);
            assertThat(uri.json().get("error").asText()).isEqualTo("uri_too_long");

            var headers = http.send("GET", "/api/projects", Map.of("X-Big", "b".repeat(20_000)), (String) null);
            assertThat(headers.status()).isEqualTo(431);
            assertThat(headers.json().get("error").asText()).isEqualTo("headers_too_large");

            byte[] big = ("{\"name\":\"" + "c".repeat(9 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            var body = http.send("POST", "/api/projects", Map.of("Content-Type", JSON), big);
            assertThat(body.status()).isEqualTo(413);
            assertThat(body.header("Content-Type")).startsWith(JSON);
            assertThat(body.json().get("status").asInt()).isEqualTo(413);
            assertThat(projects(h)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void everyAnswerCarriesTheSecurityHeaders(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var http = raw(h);
            for (String path : List.of("/api/projects", "/api/no-such-thing", "/api/projects/abc")) {
                var r = http.send("GET", path, Map.of(), (String) null);
                assertSecurityHeaders(r, path);
                assertThat(r.header("X-Request-Id")).as(path).matches("[0-9a-f]{16}");
            }
            assertSecurityHeaders(http.send("GET", "/api/projects", Map.of("Host", "evil.example"), (String) null), "421");
        }
    }

    static void assertSecurityHeaders(RawHttp.Response r, String what) {
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).as(what).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        String scriptSrc = csp.split("script-src", 2)[1].split(";", 2)[0];
        assertThat(scriptSrc).as(what).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
    }

    @Test
    void hashedAssetsAreCachedForeverAndTheIndexNever() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web/assets"));
        Files.writeString(dir.resolve("web/index.html"), "<!doctype html><div id=\"root\"></div>"
                + "<script type=\"module\" src=\"/assets/index-Bq3x9Z1a.js\"></script>");
        Files.writeString(web.resolve("index-Bq3x9Z1a.js"), "console.log('app')");
        Files.writeString(dir.resolve("web/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        try (var h = new ApiHarness(Vendor.SQLITE, dir, ApiHarness.TEST_OPTIONS.withWebRoot(dir.resolve("web")))) {
            var http = raw(h);
            var asset = http.send("GET", "/assets/index-Bq3x9Z1a.js", Map.of(), (String) null);
            assertThat(asset.status()).isEqualTo(200);
            assertThat(asset.body()).contains("console.log");
            assertThat(asset.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
            assertSecurityHeaders(asset, "asset");
            for (String path : List.of("/", "/catalog/projects/3", "/favicon.svg")) {
                var r = http.send("GET", path, Map.of(), (String) null);
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-cache");
                assertSecurityHeaders(r, path);
            }
        }
    }

    /** The web UI the build produces has no inline script, so the CSP's script-src 'self' lets it run. */
    @Test
    void theWebUiHasNoInlineScript() throws Exception {
        for (Path index : List.of(Path.of("web/index.html"), Path.of("web/dist/index.html"))) {
            if (!Files.exists(index)) continue;
            String html = Files.readString(index);
            var scripts = java.util.regex.Pattern.compile("<script\\b([^>]*)>(.*?)</script>", java.util.regex.Pattern.DOTALL).matcher(html);
            int n = 0;
            while (scripts.find()) {
                n++;
                assertThat(scripts.group(1)).as(index + ": every script is loaded from a file").contains("src=");
                assertThat(scripts.group(2).strip()).as(index + ": no inline code").isEmpty();
            }
            assertThat(n).as(index.toString()).isPositive();
            assertThat(html).as(index.toString()).doesNotContainPattern("\\son[a-z]+\\s*=");
        }
        assertThat(Path.of("web/index.html")).exists();
    }

    @Test
    void aServerErrorHidesItsDetailsButNamesTheRequestIdTheLogHas() throws Exception {
        ApiRouter router = new ApiRouter();
        router.get("/api/boom").handle(ctx -> {
            throw new IllegalStateException("SELECT secret FROM users WHERE path = '/srv/private/file.mp4'");
        });
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Javalin server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            var r = new RawHttp(server.port()).send("GET", "/api/boom", Map.of(), (String) null);
            System.err.flush();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Content-Type")).startsWith(JSON);
            assertThat(r.body()).doesNotContain("SELECT", "/srv", "IllegalStateException", "at dev.");
            String id = r.json().get("request_id").asText();
            assertThat(id).isEqualTo(r.header("X-Request-Id")).matches("[0-9a-f]{16}");
            assertThat(r.json().get("message").asText()).contains(id);
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("request " + id, "SELECT secret");
        } finally {
            System.setErr(original);
            server.stop();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void expensiveRoutesAreRateLimitedPerClient(Vendor vendor) throws Exception {
        var clock = new SteppedClock(Instant.parse("2026-12-01T12:00:00Z"));
        var options = HttpOptions.defaults().withRateLimit(2, 60, clock);
        try (var h = new ApiHarness(vendor, dir, options)) {
            var http = raw(h);
            for (int i = 0; i < 2; i++) {
                var r = http.send("POST", "/api/provenance/import", Map.of("Content-Type", JSON), "{\"paths\": []}");
                assertThat(r.status()).as(r.body()).isNotEqualTo(429);
            }
            var limited = http.send("POST", "/api/provenance/import", Map.of("Content-Type", JSON), "{\"paths\": []}");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.json().get("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.header("Retry-After")).isEqualTo("60");
            // Another expensive route, another token and cheap routes have budgets of their own.
            assertThat(http.send("GET", "/api/metadata/plan", Map.of(), (String) null).status()).isNotEqualTo(429);
            assertThat(http.send("POST", "/api/provenance/import", Map.of("Content-Type", JSON, "Authorization", "Bearer farm-token"),
                    "{\"paths\": []}").status()).isNotEqualTo(429);
            for (int i = 0; i < 5; i++) assertThat(h.http.get("/api/projects").status()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(45));
            var later = http.send("POST", "/api/provenance/import", Map.of("Content-Type", JSON), "{\"paths\": []}");
            assertThat(later.status()).isEqualTo(429);
            assertThat(later.header("Retry-After")).isEqualTo("15");
            clock.advance(Duration.ofSeconds(16));
            assertThat(http.send("POST", "/api/provenance/import", Map.of("Content-Type", JSON), "{\"paths\": []}").status())
                    .isNotEqualTo(429);
        }
    }

    /** A clock the test moves by hand. */
    static final class SteppedClock extends Clock {
        private volatile Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void listeningBeyondLoopbackPrintsAWarning() {
        assertThat(Exposure.warning("127.0.0.1", List.of())).isEmpty();
        assertThat(Exposure.warning("localhost", List.of())).isEmpty();
        assertThat(Exposure.warning("::1", List.of())).isEmpty();
        assertThat(Exposure.warning("0.0.0.0", List.of())).get().asString().contains("WARNING", "0.0.0.0", "--allowed-host");
        assertThat(Exposure.warning("::", List.of("reelmark.example"))).get().asString().contains("reelmark.example");
    }
}
