package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.reelmark.metadata.MetadataFailuresTest.await;
import static dev.reelmark.metadata.MetadataFailuresTest.create;
import static org.assertj.core.api.Assertions.assertThat;

/** Event-driven regeneration: API writes regenerate the affected files within seconds (the target is one minute). */
class MetadataAutoRegenerationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void catalogChangesRegenerateTheAffectedFiles(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, true)) {
            long[] ids = MetadataFailuresTest.project(s, data); // project, good, bad, scene, badScene
            long good = ids[1];
            await(Duration.ofSeconds(30), () -> s.metadata.generation("character", good).isPresent()
                    && s.metadata.generation("scene", ids[3]).isPresent());
            s.metadata.awaitIdle(Duration.ofSeconds(10));
            // The character with a missing image could not be written; it stays reported, not fatal.
            assertThat(s.metadata.generation("character", ids[2])).isEmpty();

            // A rename reaches the character file and the scene file (which carries the character's name).
            assertThat(s.http.patch("/api/characters/" + good, "{\"name\":\"Renamed\"}").status()).isEqualTo(200);
            await(Duration.ofSeconds(30), () -> s.metadata.staleness("character", good).reasons().isEmpty()
                    && s.metadata.staleness("scene", ids[3]).reasons().isEmpty()
                    && read(s, "character", good).contains("\"name\" : \"Renamed\""));
            assertThat(read(s, "scene", ids[3])).contains("\"character_name\" : \"Renamed\"");
            assertThat(s.metadata.generation("character", good).orElseThrow().filePath()).contains("Renamed-" + good);

            // A new quality record reaches the scene file.
            ObjectNode seg = s.catalog.list(CatalogModel.SEGMENTS, Map.of("scene_id", ids[3]), 10, null).items().get(0);
            create(s, "/api/segment-quality", Json.object().put("segment_id", seg.get("id").longValue()).put("overall_score", 0.75));
            await(Duration.ofSeconds(30), () -> read(s, "scene", ids[3]).contains("\"quality_scores\""));

            // Deleting an image (its character is gone from the change) is caught by the sweep.
            ObjectNode image = s.catalog.list(CatalogModel.IMAGES, Map.of("character_id", good), 10, null).items().get(0);
            assertThat(s.http.delete("/api/images/" + image.get("id").longValue()).status()).isIn(200, 204);
            await(Duration.ofSeconds(30), () -> read(s, "character", good).contains("\"source_image\" : null"));

            // Deleting a scene removes its record and file.
            Path sceneFile = data.resolve(s.metadata.generation("scene", ids[3]).orElseThrow().filePath());
            assertThat(s.http.delete("/api/scenes/" + ids[3]).status()).isIn(200, 204);
            await(Duration.ofSeconds(30), () -> s.metadata.generation("scene", ids[3]).isEmpty() && !Files.exists(sceneFile));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void autoRegenerationCanBeTurnedOff(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long project = create(s, "/api/projects", Json.object().put("name", "quiet"));
            long c = create(s, "/api/characters", Json.object().put("project_id", project).put("name", "Q"));
            Thread.sleep(400);
            s.metadata.awaitIdle(Duration.ofSeconds(5));
            assertThat(s.metadata.generation("character", c)).isEmpty();
        }
    }

    private static String read(MetadataTestServer s, String type, long id) {
        try {
            var g = s.metadata.generation(type, id);
            return g.isEmpty() ? "" : Files.readString(s.data.resolve(g.get().filePath()));
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
