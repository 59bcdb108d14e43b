package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Catalog segments mirrored into the ledger, once and then kept in step with catalog changes. */
class LedgerMirrorTest {
    @TempDir
    Path dir;

    /** A project with one character, two scenes and segments in every status. */
    static final class Catalog {
        final TestHttp http;
        final long project;
        final long character;
        final long sceneType;
        final long sceneA;
        final long sceneB;
        final Map<String, Long> segments = new LinkedHashMap<>();

        Catalog(TestHttp http, String name) {
            this.http = http;
            project = id(http.post("/api/projects", "{\"name\": \"" + name + "\"}"));
            character = id(http.post("/api/characters", "{\"project_id\": " + project + ", \"name\": \"Ava\"}"));
            sceneType = id(http.post("/api/scene-types", "{\"project_id\": " + project + ", \"name\": \"dance\"}"));
            sceneA = scene("A");
            sceneB = scene("B");
        }

        long scene(String name) {
            return id(http.post("/api/scenes", "{\"character_id\": " + character + ", \"scene_type_id\": " + sceneType
                    + ", \"name\": \"" + name + "\"}"));
        }

        long segment(long scene, int index, String status, String path) {
            long id = id(http.post("/api/segments", "{\"scene_id\": " + scene + ", \"sequence_index\": " + index
                    + ", \"status\": \"" + status + "\", \"output_video_path\": " + (path == null ? "null" : "\"" + path + "\"") + "}"));
            segments.put(scene + "/" + index + "/" + status, id);
            return id;
        }

        static long id(TestHttp.Response r) {
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("id").asLong();
        }
    }

    private static Map<String, JsonNode> entries(TestHttp http) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode e : http.get("/api/ledger").json().get("items")) {
            byKey.put(e.get("spotId").asText() + "/" + e.get("eraId").asText(), e);
        }
        return byKey;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void everySegmentOfAProjectBecomesAnEntryWithItsStatusAndVideo(Vendor vendor) throws Exception {
        try (var s = new LedgerTestServer(vendor, dir)) {
            var c = new Catalog(s.http, "Night Shift");
            long complete = c.segment(c.sceneA, 0, "complete", "media/a0.mp4");
            c.segment(c.sceneA, 1, "approved", "media/a1.mp4");
            c.segment(c.sceneA, 2, "failed", null);
            c.segment(c.sceneB, 0, "generating", null);
            c.segment(c.sceneB, 1, "pending", null);
            long rejected = c.segment(c.sceneB, 2, "rejected", "media/b2.mp4");
            long duplicate = c.segment(c.sceneB, 2, "pending", null);
            var other = new Catalog(s.http, "Other project");
            other.segment(other.sceneA, 0, "complete", "media/other.mp4");

            var r = s.http.post("/api/projects/" + c.project + "/ledger/mirror", "{\"follow\": false}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("segments").asInt()).isEqualTo(7);
            assertThat(r.json().get("added").asInt()).isEqualTo(7);
            assertThat(r.json().get("following").asBoolean()).isFalse();

            Map<String, JsonNode> entries = entries(s.http);
            String a = "scene-" + c.sceneA;
            String b = "scene-" + c.sceneB;
            assertThat(entries.keySet()).containsExactlyInAnyOrder(a + "/segment-0", a + "/segment-1", a + "/segment-2",
                    b + "/segment-0", b + "/segment-1", b + "/segment-2", b + "/segment-2-id" + duplicate);
            assertThat(entries.get(a + "/segment-0").get("status").asText()).isEqualTo("ready");
            assertThat(entries.get(a + "/segment-0").get("localPath").asText()).isEqualTo("media/a0.mp4");
            assertThat(entries.get(a + "/segment-0").get("completedAt").isNull()).isFalse();
            assertThat(entries.get(a + "/segment-0").get("catalog").get("segmentId").asLong()).isEqualTo(complete);
            assertThat(entries.get(a + "/segment-1").get("status").asText()).isEqualTo("ready");
            assertThat(entries.get(a + "/segment-2").get("status").asText()).isEqualTo("failed");
            assertThat(entries.get(a + "/segment-2").get("error").asText()).contains("failed");
            assertThat(entries.get(b + "/segment-0").get("status").asText()).isEqualTo("generating");
            assertThat(entries.get(b + "/segment-1").get("status").asText()).isEqualTo("pending");
            assertThat(entries.get(b + "/segment-2").get("status").asText()).isEqualTo("pending");
            assertThat(entries.get(b + "/segment-2").get("catalog").get("segmentId").asLong()).isEqualTo(rejected);
            assertThat(entries.get(b + "/segment-1").get("prompt").isNull()).isTrue();

            // A prompt given to a mirrored entry survives mirroring again; nothing changes the second time.
            s.http.send("PUT", "/api/ledger/" + a + "/segment-1", "{\"prompt\": \"Ava spins\", \"status\": \"ready\", \"localPath\": \"media/a1.mp4\"}");
            String createdAt = entries.get(a + "/segment-1").get("createdAt").asText();
            var again = s.http.post("/api/projects/" + c.project + "/ledger/mirror", "{\"follow\": false}").json();
            assertThat(again.get("added").asInt() + again.get("updated").asInt() + again.get("removed").asInt()).isZero();
            JsonNode kept = s.http.get("/api/ledger/" + a + "/segment-1").json();
            assertThat(kept.get("prompt").asText()).isEqualTo("Ava spins");
            assertThat(kept.get("createdAt").asText()).isEqualTo(createdAt);

            // Without following, catalog changes are not mirrored until the next explicit mirror.
            s.http.patch("/api/segments/" + complete, "{\"status\": \"failed\"}");
            assertThat(s.http.get("/api/ledger/" + a + "/segment-0").json().get("status").asText()).isEqualTo("ready");
            s.ledger.mirrorCatalog(c.project);
            assertThat(s.http.get("/api/ledger/" + a + "/segment-0").json().get("status").asText()).isEqualTo("failed");

            assertThat(s.http.post("/api/projects/999999/ledger/mirror", "").status()).isEqualTo(404);
            assertThat(s.http.post("/api/projects/abc/ledger/mirror", "").status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aFollowedProjectsCatalogChangesUpdateItsEntries(Vendor vendor) throws Exception {
        try (var s = new LedgerTestServer(vendor, dir)) {
            var c = new Catalog(s.http, "Night Shift");
            long seg = c.segment(c.sceneA, 0, "pending", null);
            var r = s.http.post("/api/projects/" + c.project + "/ledger/mirror", "");
            assertThat(r.json().get("following").asBoolean()).isTrue();
            assertThat(s.ledger.mirroredProjects()).containsExactly(c.project);
            String a = "/api/ledger/scene-" + c.sceneA;

            // A segment is generated: its entry follows.
            assertThat(s.http.patch("/api/segments/" + seg, "{\"status\": \"generating\"}").status()).isEqualTo(200);
            assertThat(s.http.get(a + "/segment-0").json().get("status").asText()).isEqualTo("generating");
            s.http.patch("/api/segments/" + seg, "{\"status\": \"complete\", \"output_video_path\": \"media/a0.mp4\"}");
            JsonNode ready = s.http.get(a + "/segment-0").json();
            assertThat(ready.get("status").asText()).isEqualTo("ready");
            assertThat(ready.get("localPath").asText()).isEqualTo("media/a0.mp4");

            // New segments appear, re-indexed ones move, deleted ones go.
            long second = c.segment(c.sceneA, 1, "pending", null);
            assertThat(s.http.get(a + "/segment-1").status()).isEqualTo(200);
            s.http.patch("/api/segments/" + second, "{\"sequence_index\": 5}");
            assertThat(s.http.get(a + "/segment-1").status()).isEqualTo(404);
            assertThat(s.http.get(a + "/segment-5").json().get("catalog").get("segmentId").asLong()).isEqualTo(second);
            assertThat(s.http.delete("/api/segments/" + second).status()).isEqualTo(204);
            assertThat(s.http.get(a + "/segment-5").status()).isEqualTo(404);

            // Deleting a scene removes its entries (its segments go with it in the catalog).
            long b0 = c.segment(c.sceneB, 0, "complete", "media/b0.mp4");
            assertThat(s.http.get("/api/ledger/scene-" + c.sceneB + "/segment-0").status()).isEqualTo(200);
            assertThat(s.http.delete("/api/scenes/" + c.sceneB).status()).isEqualTo(204);
            assertThat(s.http.get("/api/ledger/scene-" + c.sceneB + "/segment-0").status()).isEqualTo(404);
            assertThat(b0).isPositive();

            // Another project's changes are not mirrored.
            var other = new Catalog(s.http, "Other");
            other.segment(other.sceneA, 0, "complete", "media/o.mp4");
            assertThat(s.http.get("/api/ledger/scene-" + other.sceneA + "/segment-0").status()).isEqualTo(404);

            // A corrupt ledger never breaks a catalog write; the entry catches up after a reset and a mirror.
            Files.writeString(s.ledgerFile(), "[ oops");
            assertThat(s.http.patch("/api/segments/" + seg, "{\"status\": \"approved\"}").status()).isEqualTo(200);
            assertThat(Files.readString(s.ledgerFile())).isEqualTo("[ oops");
            s.http.post("/api/ledger/reset", "");
            s.http.post("/api/projects/" + c.project + "/ledger/mirror", "");
            assertThat(s.http.get(a + "/segment-0").json().get("status").asText()).isEqualTo("ready");

            // Stop following: later changes stay out; deleting the project removes a followed project's entries.
            s.http.post("/api/projects/" + c.project + "/ledger/mirror", "{\"follow\": false}");
            s.http.patch("/api/segments/" + seg, "{\"status\": \"failed\"}");
            assertThat(s.http.get(a + "/segment-0").json().get("status").asText()).isEqualTo("ready");
            s.http.post("/api/projects/" + c.project + "/ledger/mirror", "{\"follow\": true}");
            assertThat(s.http.get(a + "/segment-0").json().get("status").asText()).isEqualTo("failed");
            String projectName = s.http.get("/api/projects/" + c.project).json().get("name").asText();
            assertThat(s.http.delete("/api/projects/" + c.project + "?confirm="
                    + java.net.URLEncoder.encode(projectName, java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(204);
            assertThat(s.http.get(a + "/segment-0").status()).isEqualTo(404);
            assertThat(s.ledger.mirroredProjects()).isEmpty();
        }
    }
}
