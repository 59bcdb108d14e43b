package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Phases 2–4 and 7.2–7.3 over real HTTP on the demo studio: preview, write, staleness, batch regeneration. */
class MetadataApiTest {
    /** Shared by the class: the demo's clips are made once. */
    @TempDir
    static Path media;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void previewsBuildBothFilesFromTheCatalogAndFfprobe(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, media, false)) {
            DemoStudio.Summary demo = s.demo();
            List<ObjectNode> characters = s.catalog.list(CatalogModel.CHARACTERS, Map.of("project_id", demo.projectId()), 10, null).items();
            ObjectNode ava = characters.get(0);
            long avaId = ava.get("id").longValue();

            var r = s.http.get("/api/characters/" + avaId + "/metadata/preview");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.body()).startsWith("{\n  \"schema_version\" : \"1.0\",\n  \"character_id\" : " + avaId);
            JsonNode c = r.json();
            assertThat(c.get("name").asText()).isEqualTo(ava.get("name").asText());
            assertThat(c.get("project_name").asText()).isEqualTo(DemoStudio.PROJECT_NAME);
            assertThat(c.get("biographical").get("description").asText()).isEqualTo(ava.get("description").asText());
            assertThat(c.get("biographical").get("tags")).isEqualTo(ava.get("tags"));
            assertThat(c.get("physical_attributes").get("hair_color").asText()).isEqualTo(ava.get("hair_color").asText());
            assertThat(c.get("source_image").get("image_type").asText()).isEqualTo("source");
            assertThat(c.get("derived_images")).hasSize(1);
            assertThat(c.get("image_variants").get(0).get("variant_type").asText()).isEqualTo("clothed");
            assertThat(c.get("image_variants").get(0).get("image").get("image_id")).isEqualTo(c.get("derived_images").get(0).get("image_id"));
            assertThat(c.has("custom_fields")).isEqualTo(!ava.get("custom_fields").isNull());
            assertThat(c.get("source_updated_at").asText()).isGreaterThanOrEqualTo(ava.get("updated_at").asText());
            assertThat(s.metadata.schemas().validate(MetadataSchemas.CHARACTER, c)).isEmpty();
            // At least one demo character has custom fields, one does not: both shapes appear.
            List<Boolean> hasCustom = new ArrayList<>();
            for (ObjectNode ch : characters) {
                hasCustom.add(s.http.get("/api/characters/" + ch.get("id").longValue() + "/metadata/preview").json().has("custom_fields"));
            }
            assertThat(hasCustom).contains(true, false);

            // Video metadata: technical info is what ffprobe says about the real segment files.
            List<ObjectNode> scenes = s.catalog.list(CatalogModel.SCENES, Map.of(), 100, null).items();
            ObjectNode scene = scenes.get(0);
            JsonNode v = s.http.get("/api/scenes/" + scene.get("id").longValue() + "/metadata/preview").json();
            List<ObjectNode> segments = s.catalog.list(CatalogModel.SEGMENTS, Map.of("scene_id", scene.get("id").longValue()), 10, null).items();
            double duration = 0;
            ProbeResult first = null;
            for (ObjectNode seg : segments) {
                ProbeResult p = new MediaProbe().probe(media.resolve(seg.get("output_video_path").asText()));
                duration += p.durationSeconds();
                if (first == null) first = p;
            }
            assertThat(v.get("scene_type").asText()).isEqualTo("idle");
            assertThat(v.get("character_name").asText()).isEqualTo(ava.get("name").asText());
            assertThat(v.get("technical").get("segment_count").asInt()).isEqualTo(segments.size());
            assertThat(v.get("technical").get("duration_seconds").asDouble()).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.01));
            assertThat(v.get("technical").get("resolution").asText()).isEqualTo(first.resolution());
            assertThat(v.get("technical").get("codec").asText()).isEqualTo(first.videoCodec());
            assertThat(v.get("technical").get("fps").asDouble()).isCloseTo(first.fps(), org.assertj.core.data.Offset.offset(0.01));
            assertThat(v.get("segments")).hasSize(segments.size());
            assertThat(v.get("segments").get(0).get("output_video_path").asText()).isEqualTo(segments.get(0).get("output_video_path").asText());
            assertThat(v.get("provenance").get("workflow_name").asText()).isEqualTo("unknown");
            assertThat(v.get("quality_scores").get("per_segment_scores")).hasSize(segments.size());
            assertThat(s.metadata.schemas().validate(MetadataSchemas.VIDEO, v)).isEmpty();
            // The last demo scene is still generating and has no quality data: quality_scores is omitted.
            JsonNode last = s.http.get("/api/scenes/" + scenes.get(scenes.size() - 1).get("id").longValue() + "/metadata/preview").json();
            assertThat(last.has("quality_scores")).isFalse();

            // Unknown ids are 404s, bad ids 400s; previews write nothing.
            assertThat(s.http.get("/api/characters/999999/metadata/preview").status()).isEqualTo(404);
            assertThat(s.http.get("/api/scenes/999999/metadata/preview").status()).isEqualTo(404);
            assertThat(s.http.post("/api/characters/999999/metadata/regenerate", "").status()).isEqualTo(404);
            assertThat(s.http.post("/api/scenes/999999/metadata/regenerate", "").status()).isEqualTo(404);
            assertThat(s.http.get("/api/projects/999999/metadata/stale").status()).isEqualTo(404);
            assertThat(s.http.post("/api/projects/999999/metadata/regenerate", "{}").status()).isEqualTo(404);
            assertThat(s.http.get("/api/characters/abc/metadata/preview").status()).isEqualTo(400);
            assertThat(Files.exists(s.metadata.options().outputRoot())).isFalse();

            // The schemas are served.
            var schema = s.http.get("/api/schemas/character_metadata");
            assertThat(schema.status()).isEqualTo(200);
            assertThat(schema.json().get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(s.http.get("/api/schemas/video_metadata").json().get("title").asText()).isEqualTo("video_metadata.json");
            assertThat(s.http.get("/api/schemas/nope").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void regenerationWritesRecordsAndStalenessFollowsTheSources(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, media, false)) {
            DemoStudio.Summary demo = s.demo();
            long project = demo.projectId();

            // Nothing generated yet: every file is reported, as not_generated.
            JsonNode stale = s.http.get("/api/projects/" + project + "/metadata/stale").json();
            assertThat(stale.get("character_metadata")).hasSize(3);
            assertThat(stale.get("video_metadata")).hasSize(6);
            assertThat(stale.get("character_metadata").get(0).get("reasons").get(0).asText()).isEqualTo("not_generated");

            // One character by hand: file written (pretty, validated), row recorded with the file's SHA-256.
            long ava = stale.get("character_metadata").get(0).get("entity_id").longValue();
            var r = s.http.post("/api/characters/" + ava + "/metadata/regenerate", "");
            assertThat(r.status()).isEqualTo(200);
            JsonNode written = r.json();
            Path file = media.resolve(written.get("file_path").asText());
            assertThat(file).isRegularFile();
            assertThat(file.toString()).endsWith("character_metadata.json");
            byte[] bytes = Files.readAllBytes(file);
            assertThat(MetadataService.sha256(bytes)).isEqualTo(written.get("file_hash").asText());
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(text).startsWith("{\n  \"schema_version\" : \"1.0\"");
            assertThat(Json.parse(text).get("generated_at").asText()).isEqualTo(written.get("generated_at").asText());
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("character_metadata.json");
            }
            // Regenerating again upserts the same row.
            s.http.post("/api/characters/" + ava + "/metadata/regenerate", "");
            assertThat(s.metadata.generation("character", ava)).isPresent();

            // Whole project as a background job.
            var submitted = s.http.post("/api/projects/" + project + "/metadata/regenerate", "{\"stale_only\": false}");
            assertThat(submitted.status()).isEqualTo(202);
            assertThat(submitted.json().get("kind").asText()).isEqualTo(MetadataRegenerateJob.KIND);
            var job = s.awaitJob(submitted.json().get("id").longValue());
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result().get("regenerated").asInt()).isEqualTo(9);
            assertThat(job.result().get("failed").asInt()).isZero();
            assertThat(s.http.get("/api/projects/" + project + "/metadata/stale").json().get("stale_count").asInt()).isZero();

            // A character edit makes its file stale, and its scenes' files (they carry the character's name).
            List<ObjectNode> scenesOfAva = s.catalog.list(CatalogModel.SCENES, Map.of("character_id", ava), 10, null).items();
            assertThat(s.http.patch("/api/characters/" + ava, "{\"description\":\"rewritten\"}").status()).isEqualTo(200);
            stale = s.http.get("/api/projects/" + project + "/metadata/stale").json();
            assertThat(stale.get("character_metadata")).hasSize(1);
            JsonNode entry = stale.get("character_metadata").get(0);
            assertThat(entry.get("entity_id").longValue()).isEqualTo(ava);
            assertThat(entry.get("reasons").toString()).isEqualTo("[\"source_changed\"]");
            assertThat(entry.get("current_updated_at").asText()).isGreaterThan(entry.get("source_updated_at").asText());
            assertThat(entry.get("generated_at").asText()).isNotEmpty();
            assertThat(stale.get("video_metadata")).hasSize(scenesOfAva.size());

            // Scene-side sources: a segment, a quality score, a scene type.
            ObjectNode otherScene = s.catalog.list(CatalogModel.SCENES, Map.of(), 10, null).items().get(scenesOfAva.size());
            ObjectNode seg = s.catalog.list(CatalogModel.SEGMENTS, Map.of("scene_id", otherScene.get("id").longValue()), 10, null).items().get(0);
            ObjectNode quality = s.catalog.list(CatalogModel.SEGMENT_QUALITY, Map.of("segment_id", seg.get("id").longValue()), 10, null).items().get(0);
            s.http.patch("/api/segment-quality/" + quality.get("id").longValue(), "{\"overall_score\":0.5}");
            assertThat(s.metadata.staleness("scene", otherScene.get("id").longValue()).reasons()).containsExactly("source_changed");

            // Images and variants are sources of the character file.
            long chloe = stale.get("character_metadata").get(0).get("entity_id").longValue() + 2;
            ObjectNode image = s.catalog.list(CatalogModel.IMAGES, Map.of("character_id", chloe), 10, null).items().get(1);
            ObjectNode variant = s.catalog.list(CatalogModel.IMAGE_VARIANTS, Map.of("image_id", image.get("id").longValue()), 10, null).items().get(0);
            s.http.patch("/api/image-variants/" + variant.get("id").longValue(), "{\"status\":\"rejected\"}");
            assertThat(s.metadata.staleness("character", chloe).reasons()).containsExactly("source_changed");

            // Files edited or deleted on disk are reported as such.
            long middle = chloe - 1;
            Path middleFile = media.resolve(s.metadata.generation("character", middle).orElseThrow().filePath());
            Files.writeString(middleFile, Files.readString(middleFile).replace("\"name\"", "\"nom\""));
            assertThat(s.metadata.staleness("character", middle).reasons()).containsExactly("file_modified");
            Files.delete(middleFile);
            assertThat(s.metadata.staleness("character", middle).reasons()).containsExactly("file_missing");

            // The same answers per entity over HTTP (what the UI's staleness indicator reads).
            JsonNode status = s.http.get("/api/characters/" + middle + "/metadata").json();
            assertThat(status.get("reasons").toString()).isEqualTo("[\"file_missing\"]");
            assertThat(status.get("generated_at").asText()).isNotEmpty();
            JsonNode sceneStatus = s.http.get("/api/scenes/" + otherScene.get("id").longValue() + "/metadata").json();
            assertThat(sceneStatus.get("reasons").toString()).isEqualTo("[\"source_changed\"]");
            assertThat(sceneStatus.get("current_updated_at").asText()).isGreaterThan(sceneStatus.get("source_updated_at").asText());
            assertThat(s.http.get("/api/scenes/999999/metadata").status()).isEqualTo(404);
            assertThat(s.http.get("/api/characters/0/metadata").status()).isEqualTo(400);

            // stale_only regenerates exactly the stale ones and skips the rest.
            int staleNow = s.http.get("/api/projects/" + project + "/metadata/stale").json().get("stale_count").asInt();
            assertThat(staleNow).isEqualTo(1 + scenesOfAva.size() + 1 + 1 + 1);
            var batch = s.awaitJob(s.http.post("/api/projects/" + project + "/metadata/regenerate", "{\"stale_only\":true}").json().get("id").longValue());
            assertThat(batch.result().get("regenerated").asInt()).isEqualTo(staleNow);
            assertThat(batch.result().get("skipped").asInt()).isEqualTo(9 - staleNow);
            assertThat(s.http.get("/api/projects/" + project + "/metadata/stale").json().get("stale_count").asInt()).isZero();
            assertThat(s.http.get("/api/characters/" + middle + "/metadata").json().get("reasons")).isEmpty();
            assertThat(Files.readString(media.resolve(s.metadata.generation("character", ava).orElseThrow().filePath()))).contains("rewritten");

            // Bad bodies are 400s.
            assertThat(s.http.post("/api/projects/" + project + "/metadata/regenerate", "{\"stale_only\":\"yes\"}").status()).isEqualTo(400);
            assertThat(s.http.post("/api/projects/" + project + "/metadata/regenerate", "{\"bogus\":1}").status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void oneEntitysStatusSaysWhenItsFileWasWrittenAndWhyItIsStale(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, media, false)) {
            DemoStudio.Summary demo = s.demo();
            ObjectNode character = s.catalog.list(CatalogModel.CHARACTERS, Map.of("project_id", demo.projectId()), 1, null).items().get(0);
            long id = character.get("id").longValue();
            long scene = s.catalog.list(CatalogModel.SCENES, Map.of("character_id", id), 1, null).items().get(0).get("id").longValue();

            // Never written: not_generated, no file, no generated time; the sources' time is there.
            var r = s.http.get("/api/characters/" + id + "/metadata");
            assertThat(r.status()).isEqualTo(200);
            JsonNode status = r.json();
            assertThat(status.get("entity_type").asText()).isEqualTo("character");
            assertThat(status.get("entity_id").longValue()).isEqualTo(id);
            assertThat(status.get("name").asText()).isEqualTo(character.get("name").asText());
            assertThat(status.get("file_type").asText()).isEqualTo("character_metadata");
            assertThat(status.get("reasons").toString()).isEqualTo("[\"not_generated\"]");
            assertThat(status.get("generated_at").isNull()).isTrue();
            assertThat(status.get("file_path").isNull()).isTrue();
            assertThat(status.get("current_updated_at").asText()).isNotEmpty();

            // Written: current (no reasons), with the written file's times and path.
            JsonNode written = s.http.post("/api/characters/" + id + "/metadata/regenerate", "").json();
            status = s.http.get("/api/characters/" + id + "/metadata").json();
            assertThat(status.get("reasons")).isEmpty();
            assertThat(status.get("generated_at").asText()).isEqualTo(written.get("generated_at").asText());
            assertThat(status.get("source_updated_at").asText()).isEqualTo(written.get("source_updated_at").asText());
            assertThat(status.get("file_path").asText()).isEqualTo(written.get("file_path").asText());

            // Deleted on disk: file_missing.
            Files.delete(media.resolve(written.get("file_path").asText()));
            assertThat(s.http.get("/api/characters/" + id + "/metadata").json().get("reasons").toString()).isEqualTo("[\"file_missing\"]");

            // Scenes answer the same way for their video_metadata.json.
            status = s.http.get("/api/scenes/" + scene + "/metadata").json();
            assertThat(status.get("entity_type").asText()).isEqualTo("scene");
            assertThat(status.get("file_type").asText()).isEqualTo("video_metadata");
            assertThat(status.get("reasons").toString()).isEqualTo("[\"not_generated\"]");
            s.http.post("/api/scenes/" + scene + "/metadata/regenerate", "");
            assertThat(s.http.get("/api/scenes/" + scene + "/metadata").json().get("reasons")).isEmpty();

            // Unknown and malformed ids.
            assertThat(s.http.get("/api/characters/999999/metadata").status()).isEqualTo(404);
            assertThat(s.http.get("/api/scenes/999999/metadata").status()).isEqualTo(404);
            assertThat(s.http.get("/api/characters/abc/metadata").status()).isEqualTo(400);
        }
    }
}
