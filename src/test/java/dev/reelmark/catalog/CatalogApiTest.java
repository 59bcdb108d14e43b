package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog over real HTTP, on SQLite and on PostgreSQL. */
class CatalogApiTest {
    @TempDir
    Path dir;

    private static long id(TestHttp.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().get("id").longValue();
    }

    /** project → character → image/variant → scene type → scene → segment → quality/metrics. */
    static final class Studio {
        long project, character, image, sceneType, scene, segment;

        Studio(TestHttp http) {
            project = id(http.post("/api/projects", "{\"name\":\"Night Shift\"}"));
            character = id(http.post("/api/characters", "{\"project_id\":" + project + ",\"name\":\"Ava\",\"tags\":[\"lead\"],"
                    + "\"height\":\"170 cm\",\"custom_fields\":{\"voice\":\"alto\"}}"));
            image = id(http.post("/api/images", "{\"character_id\":" + character + ",\"image_type\":\"source\","
                    + "\"filename\":\"ava.png\",\"path\":\"images/ava.png\",\"content_hash\":\"abc\"}"));
            sceneType = id(http.post("/api/scene-types", "{\"project_id\":" + project + ",\"name\":\"dance\"}"));
            scene = id(http.post("/api/scenes", "{\"character_id\":" + character + ",\"scene_type_id\":" + sceneType + ",\"name\":\"Ava dances\"}"));
            segment = id(http.post("/api/segments", "{\"scene_id\":" + scene + ",\"sequence_index\":0,\"output_video_path\":\"media/a.mp4\"}"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void createReadUpdateDeleteEveryEntity(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new Studio(h.http);
            JsonNode character = h.http.get("/api/characters/" + s.character).json();
            assertThat(character.get("name").asText()).isEqualTo("Ava");
            assertThat(character.get("tags").get(0).asText()).isEqualTo("lead");
            assertThat(character.get("custom_fields").get("voice").asText()).isEqualTo("alto");
            assertThat(character.get("hair_color").isNull()).isTrue();

            long variant = id(h.http.post("/api/image-variants", "{\"image_id\":" + s.image + ",\"variant_type\":\"clothed\"}"));
            assertThat(h.http.get("/api/image-variants/" + variant).json().get("status").asText()).isEqualTo("pending");
            long quality = id(h.http.post("/api/segment-quality", "{\"segment_id\":" + s.segment + ",\"overall_score\":0.82,\"failure_tags\":[\"blur\"]}"));
            long metric = id(h.http.post("/api/frame-metrics", "{\"segment_id\":" + s.segment + ",\"frame\":0,\"face_confidence\":0.9,\"boundary_ssim\":null}"));
            assertThat(h.http.get("/api/frame-metrics/" + metric).json().get("boundary_ssim").isNull()).isTrue();
            assertThat(h.http.get("/api/segment-quality/" + quality).json().get("overall_score").doubleValue()).isEqualTo(0.82);

            var patched = h.http.patch("/api/characters/" + s.character, "{\"hair_color\":\"black\",\"tags\":[]}");
            assertThat(patched.status()).as(patched.body()).isEqualTo(200);
            assertThat(patched.json().get("hair_color").asText()).isEqualTo("black");
            assertThat(patched.json().get("tags").size()).isZero();
            assertThat(patched.json().get("updated_at").asText()).isGreaterThan(character.get("updated_at").asText());

            // Deleting the project takes everything it owns with it, once confirmed with its name.
            var refused = h.http.delete("/api/projects/" + s.project);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("field").asText()).isEqualTo("confirm");
            assertThat(refused.json().get("message").asText()).contains("1 characters", "1 scenes", "1 segments", "0 receipts");
            assertThat(h.http.get("/api/characters/" + s.character).status()).isEqualTo(200);
            String projectName = h.http.get("/api/projects/" + s.project).json().get("name").asText();
            assertThat(h.http.delete("/api/projects/" + s.project + "?confirm="
                    + java.net.URLEncoder.encode(projectName, java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(204);
            for (String path : List.of("/api/characters/" + s.character, "/api/scenes/" + s.scene, "/api/segments/" + s.segment,
                    "/api/frame-metrics/" + metric, "/api/image-variants/" + variant)) {
                assertThat(h.http.get(path).status()).as(path).isEqualTo(404);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void listsArePaginatedInStableIdOrderAndFilterable(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long p1 = id(h.http.post("/api/projects", "{\"name\":\"one\"}"));
            long p2 = id(h.http.post("/api/projects", "{\"name\":\"two\"}"));
            for (int i = 0; i < 7; i++) {
                id(h.http.post("/api/characters", "{\"project_id\":" + (i % 2 == 0 ? p1 : p2) + ",\"name\":\"c" + i + "\"}"));
            }
            List<String> names = new ArrayList<>();
            String after = "";
            int pages = 0;
            do {
                JsonNode page = h.http.get("/api/characters?project_id=" + p1 + "&limit=2" + after).json();
                assertThat(page.get("total").longValue()).isEqualTo(4);
                page.get("items").forEach(c -> names.add(c.get("name").asText()));
                after = page.get("next_after").isNull() ? null : "&after=" + page.get("next_after").longValue();
                pages++;
            } while (after != null);
            assertThat(names).containsExactly("c0", "c2", "c4", "c6");
            assertThat(pages).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badInputIsA400NamingTheFieldAndWritesNothing(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new Studio(h.http);
            record Case(String path, String body, String field) {
            }
            List<Case> cases = List.of(
                    new Case("/api/projects", "{\"name\": ", "body"),
                    new Case("/api/projects", "[1,2]", "body"),
                    new Case("/api/projects", "{}", "name"),
                    new Case("/api/projects", "{\"name\":\"  \"}", "name"),
                    new Case("/api/projects", "{\"name\":42}", "name"),
                    new Case("/api/projects", "{\"name\":\"x\",\"colour\":\"red\"}", "colour"),
                    new Case("/api/projects", "{\"name\":\"x\",\"id\":5}", "id"),
                    new Case("/api/projects", "{\"name\":\"nul\\u0000byte\"}", "name"),
                    new Case("/api/characters", "{\"project_id\":999999,\"name\":\"ghost\"}", "project_id"),
                    new Case("/api/characters", "{\"project_id\":\"1\",\"name\":\"x\"}", "project_id"),
                    new Case("/api/characters", "{\"project_id\":" + s.project + ",\"name\":\"x\",\"tags\":[1]}", "tags[0]"),
                    new Case("/api/characters", "{\"project_id\":" + s.project + ",\"name\":\"x\",\"custom_fields\":[]}", "custom_fields"),
                    new Case("/api/images", "{\"character_id\":" + s.character + ",\"image_type\":\"sketch\",\"filename\":\"a\",\"path\":\"a\"}", "image_type"),
                    new Case("/api/segments", "{\"scene_id\":" + s.scene + ",\"sequence_index\":-1}", "sequence_index"),
                    new Case("/api/segments", "{\"scene_id\":" + s.scene + ",\"sequence_index\":1.5}", "sequence_index"),
                    new Case("/api/segment-quality", "{\"segment_id\":" + s.segment + ",\"overall_score\":7}", "overall_score"),
                    new Case("/api/assets", "{\"kind\":\"vae\",\"name\":\"x\",\"version_label\":\"v1\"}", "kind"),
                    new Case("/api/assets", "{\"kind\":\"lora\",\"name\":\"x\",\"version_label\":\"v1\",\"checksum_sha256\":\"xyz\"}", "checksum_sha256"),
                    new Case("/api/assets", "{\"kind\":\"lora\",\"name\":\"x\",\"version_label\":\"v1\",\"is_current_version\":false}", "is_current_version"));
            for (Case c : cases) {
                var r = h.http.post(c.path(), c.body());
                assertThat(r.status()).as(c.body() + " → " + r.body()).isEqualTo(400);
                assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(c.field());
                assertThat(r.json().get("message").asText()).isNotBlank();
            }
            // A scene whose scene type belongs to another project.
            long other = id(h.http.post("/api/projects", "{\"name\":\"other\"}"));
            long foreignType = id(h.http.post("/api/scene-types", "{\"project_id\":" + other + ",\"name\":\"walk\"}"));
            var r = h.http.post("/api/scenes", "{\"character_id\":" + s.character + ",\"scene_type_id\":" + foreignType + ",\"name\":\"x\"}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("field").asText()).isEqualTo("scene_type_id");
            // PATCH: create-only and unknown fields, unknown ids, bad ids.
            assertThat(h.http.patch("/api/characters/" + s.character, "{\"project_id\":" + other + "}").json().get("field").asText()).isEqualTo("project_id");
            assertThat(h.http.patch("/api/characters/" + s.character, "{\"name\":null}").json().get("field").asText()).isEqualTo("name");
            assertThat(h.http.patch("/api/characters/999999", "{\"name\":\"x\"}").status()).isEqualTo(404);
            assertThat(h.http.get("/api/characters/abc").json().get("field").asText()).isEqualTo("id");
            assertThat(h.http.get("/api/characters?limit=0").json().get("field").asText()).isEqualTo("limit");
            assertThat(h.http.get("/api/characters?colour=red").json().get("field").asText()).isEqualTo("colour");
            assertThat(h.http.get("/api/segments?status=bogus").json().get("field").asText()).isEqualTo("status");
            assertThat(h.http.get("/api/nothing-here").status()).isEqualTo(404);
            assertThat(h.http.get("/api/nothing-here").json().get("error").asText()).isEqualTo("not_found");

            // Nothing of the rejected requests was written.
            assertThat(h.http.get("/api/projects").json().get("total").longValue()).isEqualTo(2);
            assertThat(h.http.get("/api/characters").json().get("total").longValue()).isEqualTo(1);
            assertThat(h.http.get("/api/assets").json().get("total").longValue()).isZero();
            assertThat(h.http.get("/api/scenes").json().get("total").longValue()).isEqualTo(1);
            assertThat(h.http.get("/api/characters/" + s.character).json().get("name").asText()).isEqualTo("Ava");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void deletingAReferencedSceneTypeIsAConflict(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new Studio(h.http);
            var r = h.http.delete("/api/scene-types/" + s.sceneType);
            assertThat(r.status()).isEqualTo(409);
            assertThat(h.http.get("/api/scene-types/" + s.sceneType).status()).isEqualTo(200);
            var dup = h.http.post("/api/scene-types", "{\"project_id\":" + s.project + ",\"name\":\"dance\"}");
            assertThat(dup.status()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void assetVersionsFormAChainWithOneCurrentVersion(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            String sha1 = "a".repeat(64), sha2 = "b".repeat(64), sha3 = "c".repeat(64);
            long v1 = id(h.http.post("/api/assets", "{\"kind\":\"lora\",\"name\":\"ava-face\",\"version_label\":\"v1\",\"checksum_sha256\":\"" + sha1 + "\"}"));
            long v2 = id(h.http.post("/api/assets/" + v1 + "/versions", "{\"version_label\":\"v2\",\"checksum_sha256\":\"" + sha2 + "\"}"));
            // A version added through an old id still extends the chain from its current end.
            var third = h.http.post("/api/assets/" + v1 + "/versions", "{\"version_label\":\"v3\",\"checksum_sha256\":\"" + sha3 + "\"}");
            long v3 = id(third);
            assertThat(third.json().get("previous_version_id").longValue()).isEqualTo(v2);
            assertThat(third.json().get("version_number").intValue()).isEqualTo(3);
            assertThat(third.json().get("kind").asText()).isEqualTo("lora");

            JsonNode chain = h.http.get("/api/assets/" + v2 + "/versions").json();
            assertThat(chain).hasSize(3);
            assertThat(chain.get(0).get("id").longValue()).isEqualTo(v1);
            assertThat(chain.get(2).get("id").longValue()).isEqualTo(v3);
            long current = 0;
            for (JsonNode version : chain) if (version.get("is_current_version").booleanValue()) current++;
            assertThat(current).isEqualTo(1);
            assertThat(h.http.get("/api/assets?is_current_version=true").json().get("items").get(0).get("id").longValue()).isEqualTo(v3);

            // The same chain name cannot be created twice; versions are added instead.
            assertThat(h.http.post("/api/assets", "{\"kind\":\"lora\",\"name\":\"ava-face\",\"version_label\":\"again\"}").status()).isEqualTo(409);
            // Bad version bodies write nothing.
            assertThat(h.http.post("/api/assets/" + v1 + "/versions", "{\"checksum_sha256\":\"" + sha1 + "\"}").json().get("field").asText()).isEqualTo("version_label");
            assertThat(h.http.post("/api/assets/" + v1 + "/versions", "{\"version_label\":\"v9\",\"name\":\"x\"}").json().get("field").asText()).isEqualTo("name");
            assertThat(h.http.post("/api/assets/999999/versions", "{\"version_label\":\"v9\"}").status()).isEqualTo(404);
            assertThat(h.http.get("/api/assets").json().get("total").longValue()).isEqualTo(3);

            // Deleting the current version hands the flag back to the previous one.
            assertThat(h.http.delete("/api/assets/" + v3).status()).isEqualTo(204);
            assertThat(h.http.get("/api/assets/" + v2).json().get("is_current_version").booleanValue()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void imageVersionsKeepTheCharacterAndLinkTheChain(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new Studio(h.http);
            var v2 = h.http.post("/api/images/" + s.image + "/versions", "{\"filename\":\"ava2.png\",\"path\":\"images/ava2.png\",\"content_hash\":\"def\"}");
            assertThat(v2.status()).as(v2.body()).isEqualTo(201);
            assertThat(v2.json().get("character_id").longValue()).isEqualTo(s.character);
            assertThat(v2.json().get("image_type").asText()).isEqualTo("source");
            assertThat(v2.json().get("previous_version_id").longValue()).isEqualTo(s.image);
            assertThat(h.http.get("/api/images/" + s.image).json().get("is_current_version").booleanValue()).isFalse();
            assertThat(h.http.get("/api/images/" + s.image + "/versions").json()).hasSize(2);
        }
    }
}
