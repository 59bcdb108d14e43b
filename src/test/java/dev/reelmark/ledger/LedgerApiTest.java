package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger over real HTTP. */
class LedgerApiTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static void assertBadField(TestHttp.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void entriesAreListedReadAddedUpdatedAndFailedOverHttp() throws Exception {
        try (var s = new LedgerTestServer(Vendor.SQLITE, dir)) {
            var http = s.http;
            var empty = http.get("/api/ledger");
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.json().get("items").size()).isZero();
            assertThat(Files.readString(s.ledgerFile()).strip()).isEqualTo("[ ]");

            var added = http.send("PUT", "/api/ledger/harbor-01/1920s", "{\"prompt\": \"A harbor at dawn\"}");
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            assertThat(added.json().get("status").asText()).isEqualTo("pending");
            assertThat(added.json().get("completedAt").isNull()).isTrue();
            String createdAt = added.json().get("createdAt").asText();

            var ready = http.send("PUT", "/api/ledger/harbor-01/1920s",
                    "{\"prompt\": \"A harbor at dawn, v2\", \"status\": \"ready\", \"localPath\": \"generated/harbor.mp4\"}");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().get("createdAt").asText()).isEqualTo(createdAt);
            assertThat(ready.json().get("completedAt").asText()).isNotEmpty();
            assertThat(ready.json().get("localPath").asText()).isEqualTo("generated/harbor.mp4");

            http.send("PUT", "/api/ledger/harbor-01/1980s", "{\"prompt\": \"Neon harbor\", \"status\": \"generating\"}");
            var one = http.get("/api/ledger/harbor-01/1920s");
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().get("prompt").asText()).isEqualTo("A harbor at dawn, v2");
            assertThat(http.get("/api/ledger/harbor-01/2020s").status()).isEqualTo(404);
            assertThat(http.get("/api/ledger").json().get("total").asInt()).isEqualTo(2);
            var onlyReady = http.get("/api/ledger?status=ready").json();
            assertThat(onlyReady.get("total").asInt()).isEqualTo(1);
            assertThat(onlyReady.get("items").get(0).get("eraId").asText()).isEqualTo("1920s");

            var failed = http.post("/api/ledger/harbor-01/1980s/fail", "{\"error\": \"CUDA out of memory\"}");
            assertThat(failed.status()).as(failed.body()).isEqualTo(200);
            assertThat(failed.json().get("status").asText()).isEqualTo("failed");
            assertThat(failed.json().get("error").asText()).isEqualTo("CUDA out of memory");
            assertThat(http.post("/api/ledger/nope/none/fail", "{\"error\": \"x\"}").status()).isEqualTo(404);

            // Keys are any text but '/' and NUL, percent-encoded in the path.
            var unicode = http.send("PUT", "/api/ledger/spot%207/%C3%84ra%20%C2%B7%20%E6%9D%B1%E4%BA%AC", "{\"prompt\": \"p\"}");
            assertThat(unicode.status()).as(unicode.body()).isEqualTo(200);
            assertThat(unicode.json().get("spotId").asText()).isEqualTo("spot 7");
            assertThat(unicode.json().get("eraId").asText()).isEqualTo("Ära · 東京");
            assertThat(http.get("/api/ledger/spot%207/%C3%84ra%20%C2%B7%20%E6%9D%B1%E4%BA%AC").status()).isEqualTo(200);

            // The file on disk is what the API shows.
            JsonNode file = Json.MAPPER.readTree(s.ledgerFile().toFile());
            assertThat(file).hasSize(3);
            assertThat(file.get(0).get("prompt").asText()).isEqualTo("A harbor at dawn, v2");
        }
    }

    @Test
    void badInputIsA400NamingTheFieldAndWritesNothing() throws Exception {
        try (var s = new LedgerTestServer(Vendor.SQLITE, dir)) {
            var http = s.http;
            http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\"}");
            String before = Files.readString(s.ledgerFile());

            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"status\": \"ready\"}"), "prompt");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": 5}"), "prompt");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"status\": \"done\"}"), "status");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"status\": 7}"), "status");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"error\": \"x\"}"), "error");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"createdAt\": \"2020-01-01T00:00:00Z\"}"), "createdAt");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"colour\": \"red\"}"), "colour");
            assertBadField(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"spotId\": \"other\"}"), "spotId");
            assertBadField(http.send("PUT", "/api/ledger/" + "x".repeat(201) + "/b", "{\"prompt\": \"p\"}"), "spotId");
            // A NUL in a JSON body is ours to name (in a URL path, see below).
            assertBadField(http.post("/api/ledger/generate", "{\"spotId\": \"a\", \"eraId\": \"b\\u0000c\", \"prompt\": \"p\"}"), "eraId");
            assertBadField(http.post("/api/ledger/generate", "{\"spotId\": \"a\", \"eraId\": \"b\", \"prompt\": \"p\", \"seed\": 4}"), "seed");
            assertBadField(http.get("/api/ledger/a/.."), "eraId");
            assertBadField(http.send("PUT", "/api/ledger/a%2Fb/c", "{\"prompt\": \"p\"}"), "spotId");
            assertThat(http.send("PUT", "/api/ledger/a/b", "{\"prompt\": ").status()).isEqualTo(400);
            assertBadField(http.get("/api/ledger?status=done"), "status");
            assertBadField(http.post("/api/ledger/a/b/fail", "{}"), "error");
            assertBadField(http.post("/api/ledger/generate", "{\"spotId\": \"a\", \"eraId\": \"b\"}"), "prompt");
            assertBadField(http.post("/api/ledger/generate", "{\"spotId\": \"a/b\", \"eraId\": \"b\", \"prompt\": \"p\"}"), "spotId");
            assertBadField(http.post("/api/ledger/reset", "{\"force\": \"yes\"}"), "force");

            // A NUL in a URL path is refused by Jetty itself (a 400 with an HTML body, and the connection closed)
            // before any route runs; a client of its own, so the closed connection is not reused.
            assertThat(new TestHttp(s.server.port()).send("PUT", "/api/ledger/a/b%00c", "{\"prompt\": \"p\"}").status()).isEqualTo(400);

            assertThat(Files.readString(s.ledgerFile())).isEqualTo(before);
        }
    }

    @Test
    void aCorruptLedgerAnswers409WithTheLineAndColumnUntilItIsReset() throws Exception {
        try (var s = new LedgerTestServer(Vendor.SQLITE, dir)) {
            var http = s.http;
            Files.createDirectories(s.ledgerFile().getParent());
            String bad = "[\n  {\"spotId\": \"a\", \"eraId\": \"b\", \"status\": 7, \"createdAt\": \"2026-01-01T00:00:00Z\"}\n]\n";
            Files.writeString(s.ledgerFile(), bad);

            var list = http.get("/api/ledger");
            assertThat(list.status()).isEqualTo(409);
            assertThat(list.json().get("error").asText()).isEqualTo("ledger_corrupt");
            assertThat(list.json().get("message").asText()).contains("line 2, column 43").contains("\"status\"")
                    .contains("generated-videos.json.corrupt-").contains("ledger reset");
            var write = http.send("PUT", "/api/ledger/c/d", "{\"prompt\": \"p\"}");
            assertThat(write.status()).isEqualTo(409);
            assertThat(http.post("/api/ledger/generate", "{\"spotId\": \"c\", \"eraId\": \"d\", \"prompt\": \"p\"}").status()).isEqualTo(409);
            assertThat(http.get("/api/jobs?kind=ledger.generate").json().get("items").size()).as("no job was queued").isZero();
            assertThat(Files.readString(s.ledgerFile())).isEqualTo(bad);

            var reset = http.post("/api/ledger/reset", "");
            assertThat(reset.status()).as(reset.body()).isEqualTo(200);
            assertThat(reset.json().get("was_corrupt").asBoolean()).isTrue();
            assertThat(Files.readString(Path.of(reset.json().get("moved_to").asText()))).isEqualTo(bad);
            assertThat(http.get("/api/ledger").json().get("total").asInt()).isZero();
            assertThat(http.send("PUT", "/api/ledger/c/d", "{\"prompt\": \"p\"}").status()).isEqualTo(200);
            assertThat(http.post("/api/ledger/reset", "{}").status()).as("a valid ledger needs force").isEqualTo(409);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void generationRunsAsABackgroundJobAndEndsReady(Vendor vendor) throws Exception {
        try (var s = new LedgerTestServer(vendor, dir)) {
            var http = s.http;
            var started = http.post("/api/ledger/generate",
                    "{\"spotId\": \"harbor-01\", \"eraId\": \"1920s\", \"prompt\": \"A lighthouse at dusk\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().get("kind").asText()).isEqualTo(LedgerGenerateJob.KIND);
            long job = started.json().get("id").asLong();

            JsonNode done = awaitJob(http, job);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(done.get("result").get("entry").get("status").asText()).isEqualTo("ready");
            JsonNode entry = http.get("/api/ledger/harbor-01/1920s").json();
            assertThat(entry.get("status").asText()).isEqualTo("ready");
            assertThat(entry.get("prompt").asText()).isEqualTo("A lighthouse at dusk");
            assertThat(s.data.resolve(entry.get("localPath").asText())).isRegularFile();
            assertThat(entry.get("completedAt").asText()).isGreaterThanOrEqualTo(entry.get("createdAt").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aFailedGenerationFailsTheJobAndTheEntryWithTheServicesError(Vendor vendor) throws Exception {
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            byte[] body = "{\"error\": \"no GPU available\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        URI url = URI.create("http://127.0.0.1:" + service.getAddress().getPort() + "/v1/generate");
        try (var s = new LedgerTestServer(vendor, dir, data -> new HttpGenerator(url, data.resolve("generated"), data))) {
            var started = s.http.post("/api/ledger/generate", "{\"spotId\": \"a\", \"eraId\": \"b\", \"prompt\": \"p\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            JsonNode done = awaitJob(s.http, started.json().get("id").asLong());
            assertThat(done.get("status").asText()).isEqualTo("failed");
            assertThat(done.get("error").asText()).contains("503").contains("no GPU available");
            JsonNode entry = s.http.get("/api/ledger/a/b").json();
            assertThat(entry.get("status").asText()).isEqualTo("failed");
            assertThat(entry.get("error").asText()).contains("no GPU available");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheLedgerWithStringKeys() throws Exception {
        try (var s = new LedgerTestServer(Vendor.SQLITE, dir)) {
            JsonNode doc = s.http.get("/api/openapi.json").json();
            JsonNode paths = doc.get("paths");
            assertThat(paths.has("/api/ledger")).isTrue();
            assertThat(paths.has("/api/ledger/generate")).isTrue();
            assertThat(paths.has("/api/ledger/reset")).isTrue();
            assertThat(paths.has("/api/ledger/{spotId}/{eraId}/fail")).isTrue();
            assertThat(paths.has("/api/projects/{id}/ledger/mirror")).isTrue();
            JsonNode put = paths.get("/api/ledger/{spotId}/{eraId}").get("put");
            assertThat(put.get("tags").get(0).asText()).isEqualTo("ledger");
            assertThat(put.get("parameters")).allSatisfy(p -> assertThat(p.get("schema").get("type").asText()).isEqualTo("string"));
            assertThat(put.get("responses").has("400")).isTrue();
            assertThat(put.get("responses").has("409")).isTrue();
            assertThat(paths.get("/api/ledger/generate").get("post").get("responses").has("202")).isTrue();
            JsonNode mirrorParam = paths.get("/api/projects/{id}/ledger/mirror").get("post").get("parameters").get(0);
            assertThat(mirrorParam.get("schema").get("type").asText()).isEqualTo("integer");
            JsonNode entry = doc.get("components").get("schemas").get("LedgerEntry");
            assertThat(entry.get("properties").get("status").get("enum").toString())
                    .isEqualTo("[\"pending\",\"generating\",\"ready\",\"failed\"]");
            assertThat(entry.get("required").toString()).contains("spotId").contains("eraId").contains("createdAt");

            // What the server answers matches the schema it documents, mirrored and hand-edited entries included.
            var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(entry);
            s.http.send("PUT", "/api/ledger/a/b", "{\"prompt\": \"p\", \"status\": \"failed\", \"error\": \"x\"}");
            s.http.send("PUT", "/api/ledger/a/c", "{\"prompt\": \"p\", \"status\": \"ready\", \"localPath\": \"v.mp4\"}");
            Files.writeString(s.ledgerFile(), Files.readString(s.ledgerFile()).replaceFirst("\"error\"", "\"reviewer\": \"Ana\", \"error\""));
            s.ledger.upsert(new LedgerEntry("m", "n", null, null, LedgerStatus.PENDING, java.time.Instant.now(), null, null,
                    new LedgerEntry.CatalogLink(1, 2, 3), null));
            JsonNode items = s.http.get("/api/ledger").json().get("items");
            assertThat(items).hasSize(3);
            for (JsonNode item : items) assertThat(schema.validate(item)).as(item.toString()).isEmpty();
            assertThat(items.get(0).get("reviewer").asText()).isEqualTo("Ana");
            assertThat(schema.validate(Json.object().put("spotId", "a"))).isNotEmpty();
        }
    }

    static JsonNode awaitJob(TestHttp http, long id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode job;
        do {
            job = http.get("/api/jobs/" + id).json();
            String status = job.get("status").asText();
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) return job;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return job;
    }
}
