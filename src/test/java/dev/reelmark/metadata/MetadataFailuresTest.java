package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input: missing files, empty projects, unwritable outputs. Each gets a clear error and leaves no partial file. */
class MetadataFailuresTest {
    @TempDir
    Path dir;

    static long create(MetadataTestServer s, String path, ObjectNode body) {
        var r = s.http.post(path, body.toString());
        if (r.status() != 201) throw new AssertionError(path + " → " + r.status() + " " + r.body());
        return r.json().get("id").longValue();
    }

    /** A project with one good character (image + scene of one real clip) and one whose source image is missing. */
    static long[] project(MetadataTestServer s, Path data) throws Exception {
        Files.createDirectories(data.resolve("img"));
        Files.write(data.resolve("img/good.png"), new byte[]{1, 2, 3});
        new ClipSynth(FfmpegTools.defaults()).synthesize(ClipSpec.small(), data.resolve("clips/one.mp4"));
        long project = create(s, "/api/projects", Json.object().put("name", "P"));
        long type = create(s, "/api/scene-types", Json.object().put("project_id", project).put("name", "idle"));
        long good = create(s, "/api/characters", Json.object().put("project_id", project).put("name", "Good"));
        create(s, "/api/images", Json.object().put("character_id", good).put("image_type", "source").put("filename", "good.png").put("path", "img/good.png"));
        long scene = create(s, "/api/scenes", Json.object().put("character_id", good).put("scene_type_id", type).put("name", "s1"));
        create(s, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 0).put("output_video_path", "clips/one.mp4"));
        long bad = create(s, "/api/characters", Json.object().put("project_id", project).put("name", "Bad"));
        create(s, "/api/images", Json.object().put("character_id", bad).put("image_type", "source").put("filename", "gone.png").put("path", "img/gone.png"));
        long badScene = create(s, "/api/scenes", Json.object().put("character_id", bad).put("scene_type_id", type).put("name", "s2"));
        create(s, "/api/segments", Json.object().put("scene_id", badScene).put("sequence_index", 0).put("output_video_path", "clips/missing.mp4"));
        return new long[]{project, good, bad, scene, badScene};
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void missingMediaIsAClearErrorAndTheBatchGoesOn(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long[] ids = project(s, data);
            var r = s.http.get("/api/characters/" + ids[2] + "/metadata/preview");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("image_missing");
            assertThat(r.json().get("message").asText()).contains("img/gone.png");
            r = s.http.post("/api/scenes/" + ids[4] + "/metadata/regenerate", "");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("video_missing");

            var job = s.awaitJob(s.http.post("/api/projects/" + ids[0] + "/metadata/regenerate", "").json().get("id").longValue());
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            JsonNode result = job.result();
            assertThat(result.get("regenerated").asInt()).isEqualTo(2);
            assertThat(result.get("failed").asInt()).isEqualTo(2);
            assertThat(result.get("failures").findValuesAsText("entity_id")).containsExactly(String.valueOf(ids[2]), String.valueOf(ids[4]));
            assertThat(result.get("failures").get(0).get("error").asText()).contains("missing file");
            assertThat(s.metadata.generation("character", ids[2])).isEmpty();
            assertThat(leftovers(s.metadata.options().outputRoot())).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aProjectWithNoCharactersIsRefused(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long empty = create(s, "/api/projects", Json.object().put("name", "empty"));
            var r = s.http.post("/api/projects/" + empty + "/metadata/regenerate", "{}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("no_characters");
            r = s.http.post("/api/projects/" + empty + "/metadata/deliver", "{\"format\":\"zip\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("no_characters");
            assertThat(s.http.get("/api/projects/" + empty + "/metadata/stale").json().get("checked_count").asInt()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void anUnwritableOutputIsAClearErrorAndWritesNothing(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "a file where a folder should be");
        var options = MetadataService.Options.defaults(data).withAutoRegenerate(false).withOutputRoot(blocker.resolve("metadata"));
        try (var s = new MetadataTestServer(vendor, dir, data, options)) {
            long[] ids = project(s, data);
            var r = s.http.post("/api/characters/" + ids[1] + "/metadata/regenerate", "");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.json().get("error").asText()).isEqualTo("output_not_writable");
            assertThat(r.json().get("message").asText()).contains(blocker.toString());
            assertThat(s.metadata.generation("character", ids[1])).isEmpty();
            assertThat(Files.readString(blocker)).isEqualTo("a file where a folder should be");

        }
    }

    static List<Path> leftovers(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".part") || p.getFileName().toString().contains(".part-")).toList();
        }
    }

    static void await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(50);
        }
    }
}
