package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Asset and image versions are identified by content: identical bytes are not a new version, a label is used once
 * per chain, a used version's hash cannot change in place; provenance staleness compares content, not labels.
 */
class VersionContentApiTest {
    @TempDir
    Path dir;

    static long create(ApiHarness h, String path, ObjectNode body) {
        var r = h.http.post(path, body.toString());
        if (r.status() != 201) throw new AssertionError(path + " → " + r.status() + " " + r.body());
        return r.json().get("id").longValue();
    }

    static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void versionsAreIdentifiedByContent(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            long project = create(h, "/api/projects", Json.object().put("name", "Versions"));
            long character = create(h, "/api/characters", Json.object().put("project_id", project).put("name", "Ava"));
            long type = create(h, "/api/scene-types", Json.object().put("project_id", project).put("name", "walk"));
            long scene = create(h, "/api/scenes", Json.object().put("character_id", character).put("scene_type_id", type).put("name", "Walk"));
            long segment = create(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 0));
            long v1 = create(h, "/api/assets", Json.object().put("kind", "lora").put("name", "smooth-motion").put("version_label", "v1")
                    .put("checksum_sha256", hex('1')));
            long model = create(h, "/api/assets", Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1")
                    .put("checksum_sha256", hex('9')));
            long image = create(h, "/api/images", Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "ava.png").put("path", "images/ava.png").put("content_hash", hex('a')));
            long spare = create(h, "/api/images", Json.object().put("character_id", character).put("image_type", "derived")
                    .put("filename", "ava2.png").put("path", "images/ava2.png").put("content_hash", hex('b')));

            // Publishing identical bytes again: 409 naming the version that has them; nothing written.
            var r = h.http.post("/api/assets/" + v1 + "/versions", Json.object().put("version_label", "v2").put("checksum_sha256", hex('1')).toString());
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("field").asText()).isEqualTo("checksum_sha256");
            assertThat(r.json().get("message").asText()).contains("asset " + v1).contains("v1");
            assertThat(h.http.get("/api/assets/" + v1 + "/versions").json()).hasSize(1);
            assertThat(h.http.get("/api/assets/" + v1).json().get("is_current_version").asBoolean()).isTrue();
            // A label already in the chain: 409 naming it.
            r = h.http.post("/api/assets/" + v1 + "/versions", Json.object().put("version_label", "v1").put("checksum_sha256", hex('2')).toString());
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("field").asText()).isEqualTo("version_label");
            assertThat(r.json().get("message").asText()).contains("'v1'");
            long v2 = create(h, "/api/assets/" + v1 + "/versions", Json.object().put("version_label", "v2").put("checksum_sha256", hex('2')));
            // ...also when the identical bytes are an older version, not the current one
            r = h.http.post("/api/assets/" + v2 + "/versions", Json.object().put("version_label", "v3").put("checksum_sha256", hex('1')).toString());
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("message").asText()).contains("asset " + v1);
            // Images: the same content hash as a version of the chain is refused too.
            r = h.http.post("/api/images/" + image + "/versions", Json.object().put("filename", "ava.png").put("path", "images/ava-again.png")
                    .put("content_hash", hex('a')).toString());
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("field").asText()).isEqualTo("content_hash");

            // A receipt uses lora v2, model v1 and the source image.
            ObjectNode receipt = Json.object().put("model_asset_id", model).put("source_image_id", image).put("prompt_text", "Ava")
                    .put("cfg_scale", 6).put("seed", 1).put("resolution_width", 64).put("resolution_height", 64).put("steps", 4).put("sampler", "euler");
            receipt.putArray("loras").add(Json.object().put("asset_id", v2).put("weight", 0.5));
            assertThat(h.http.post("/api/segments/" + segment + "/receipts", receipt.toString()).status()).isEqualTo(201);

            // In-place hash change of a used version: 409 (API), refused by the database (SQL); an unused one may change.
            r = h.http.patch("/api/images/" + image, Json.object().put("content_hash", hex('c')).toString());
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("field").asText()).isEqualTo("content_hash");
            assertThat(r.json().get("message").asText()).contains("used by generation receipts");
            assertThat(h.http.get("/api/images/" + image).json().get("content_hash").asText()).isEqualTo(hex('a'));
            assertThat(h.http.patch("/api/images/" + image, Json.object().put("filename", "ava-renamed.png").toString()).status()).isEqualTo(200);
            assertThat(h.http.patch("/api/images/" + spare, Json.object().put("content_hash", hex('d')).toString()).status()).isEqualTo(200);
            assertThat(h.http.patch("/api/assets/" + v2, Json.object().put("checksum_sha256", hex('e')).toString()).status()).isEqualTo(400);
            var jdbi = h.app.database().jdbi();
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE assets SET checksum_sha256 = ? WHERE id = ?", hex('e'), v2)))
                    .hasMessageContaining("version in use");
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE assets SET checksum_sha256 = ? WHERE id = ?", hex('e'), model)))
                    .hasMessageContaining("version in use");
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE images SET content_hash = ? WHERE id = ?", hex('e'), image)))
                    .hasMessageContaining("version in use");
            jdbi.useHandle(x -> x.execute("UPDATE assets SET checksum_sha256 = ? WHERE id = ?", hex('f'), v1)); // unused: allowed

            // Staleness by content: a newer version with other bytes makes the receipt stale ...
            long v3 = create(h, "/api/assets/" + v2 + "/versions", Json.object().put("version_label", "v3").put("checksum_sha256", hex('3')));
            JsonNode report = h.http.get("/api/projects/" + project + "/staleness-report").json();
            assertThat(report.get("total_stale_segments").asInt()).isEqualTo(1);
            assertThat(report.get("by_asset").get(0).get("message").asText()).contains("smooth-motion v2").contains("v3");
            // ... but a current version with the receipt's bytes (a chain recorded before versions were checked) does not.
            jdbi.useHandle(x -> {
                x.execute("UPDATE assets SET is_current_version = ? WHERE id = ?", false, v3);
                x.execute("INSERT INTO assets (kind, name, version_label, version_number, checksum_sha256, is_current_version,"
                        + " previous_version_id) VALUES ('lora', 'smooth-motion', 'v4', 4, ?, ?, ?)", hex('2'), true, v3);
            });
            report = h.http.get("/api/projects/" + project + "/staleness-report").json();
            assertThat(report.get("total_stale_segments").asInt()).isZero();
            JsonNode prov = h.http.get("/api/segments/" + segment + "/provenance").json();
            assertThat(prov.get("stale_reasons")).isEmpty();

            // Images likewise: a new image version with other bytes is stale, one with the receipt's bytes is not.
            long image2 = create(h, "/api/images/" + image + "/versions", Json.object().put("filename", "ava.png").put("path", "images/ava-v2.png")
                    .put("content_hash", hex('5')));
            report = h.http.get("/api/projects/" + project + "/staleness-report").json();
            assertThat(report.get("total_stale_segments").asInt()).isEqualTo(1);
            assertThat(report.get("by_asset").get(0).get("asset_type").asText()).isEqualTo("source_image");
            jdbi.useHandle(x -> x.execute("UPDATE images SET content_hash = ? WHERE id = ?", hex('a'), image2)); // unused yet
            report = h.http.get("/api/projects/" + project + "/staleness-report").json();
            assertThat(report.get("total_stale_segments").asInt()).isZero();
        }
    }
}
