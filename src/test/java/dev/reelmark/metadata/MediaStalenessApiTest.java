package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metadata files see the media they were built from: a clip re-rendered at the same path, an image replaced,
 * corrupted or deleted makes the dependent file stale with a reason naming the file, in the very next request;
 * delivery refuses until regenerated, and the regenerated file describes the new clip (checked with ffprobe).
 */
class MediaStalenessApiTest {
    @TempDir
    Path dir;

    static long create(ApiHarness h, String path, ObjectNode body) {
        var r = h.http.post(path, body.toString());
        if (r.status() != 201) throw new AssertionError(path + " → " + r.status() + " " + r.body());
        return r.json().get("id").longValue();
    }

    /** Re-renders in place, the way a render farm overwrites its output: ffmpeg -y straight onto the path. */
    static void rerender(FfmpegTools tools, Path clip, int w, int h, int fps, double seconds) {
        var r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + w + "x" + h + ":rate=" + fps + ":duration=" + seconds,
                "-c:v", new ClipSynth(tools).defaultVideoCodec(), "-pix_fmt", "yuv420p", clip.toString()), Duration.ofSeconds(120));
        assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
    }

    static void drawPng(FfmpegTools tools, Path png, String source) {
        var r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                "-frames:v", "1", "-f", "image2", "-c:v", "png", png.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
    }

    static List<String> reasons(JsonNode staleness) {
        List<String> out = new ArrayList<>();
        staleness.get("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void reRenderedClipAndReplacedImageMakeTheirFilesStaleAtOnce(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            FfmpegTools tools = h.app.ffmpegTools();
            Path png = data.resolve("images/ava.png");
            Files.createDirectories(png.getParent());
            drawPng(tools, png, "testsrc=size=256x256:duration=1");
            Path clip1 = data.resolve("clips/ava_walk_1.mp4");
            Path clip2 = data.resolve("clips/ava_walk_2.mp4");
            new ClipSynth(tools).synthesize(ClipSpec.of(320, 180, 24, 1), clip1);
            new ClipSynth(tools).synthesize(ClipSpec.of(320, 180, 24, 1), clip2);

            long project = create(h, "/api/projects", Json.object().put("name", "Media"));
            long character = create(h, "/api/characters", Json.object().put("project_id", project).put("name", "Ava"));
            long image = create(h, "/api/images", Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "ava.png").put("path", "images/ava.png"));
            long type = create(h, "/api/scene-types", Json.object().put("project_id", project).put("name", "walk"));
            long scene = create(h, "/api/scenes", Json.object().put("character_id", character).put("scene_type_id", type).put("name", "Walk"));
            long seg1 = create(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 0)
                    .put("output_video_path", "clips/ava_walk_1.mp4"));
            create(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 1)
                    .put("output_video_path", "clips/ava_walk_2.mp4"));
            h.app.metadata().awaitIdle(Duration.ofSeconds(60)); // auto-regeneration of the creates has settled

            assertThat(h.app.metadata().regenerateProject(project, false).failed()).isZero();
            JsonNode sceneState = h.http.get("/api/scenes/" + scene + "/metadata").json();
            assertThat(reasons(sceneState)).isEmpty();
            assertThat(h.http.get("/api/projects/" + project + "/metadata/delivery-check").json().get("ready").asBoolean()).isTrue();
            JsonNode recorded = Json.MAPPER.valueToTree(h.app.metadata().generation("scene", scene).orElseThrow().media());
            assertThat(recorded).hasSize(2);
            assertThat(recorded.get(0).get("sha256").asText()).isEqualTo(dev.reelmark.media.MediaIdentity.sha256(clip1));
            assertThat(recorded.get(0).get("size").longValue()).isEqualTo(Files.size(clip1));

            // Touching a clip (same bytes, new mtime) is not a change: the content decides.
            Files.setLastModifiedTime(clip2, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(reasons(h.http.get("/api/scenes/" + scene + "/metadata").json())).isEmpty();

            // Re-render clip 1 at the same path, another resolution, rate and length: stale in the next request.
            rerender(tools, clip1, 640, 360, 30, 2);
            sceneState = h.http.get("/api/scenes/" + scene + "/metadata").json();
            assertThat(reasons(sceneState)).containsExactly(MetadataService.MEDIA_CHANGED);
            JsonNode problem = sceneState.get("media").get(0);
            assertThat(sceneState.get("media")).hasSize(1);
            assertThat(problem.get("kind").asText()).isEqualTo("segment_video");
            assertThat(problem.get("id").longValue()).isEqualTo(seg1);
            assertThat(problem.get("path").asText()).isEqualTo("clips/ava_walk_1.mp4");
            assertThat(problem.get("current_sha256").asText()).isEqualTo(dev.reelmark.media.MediaIdentity.sha256(clip1));
            JsonNode stale = h.http.get("/api/projects/" + project + "/metadata/stale").json();
            assertThat(stale.get("video_metadata")).hasSize(1);
            JsonNode check = h.http.get("/api/projects/" + project + "/metadata/delivery-check").json();
            assertThat(check.get("ready").asBoolean()).isFalse();
            assertThat(check.get("characters").get(0).get("problems").toString()).contains("media_changed").contains("clips/ava_walk_1.mp4");
            var refused = h.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"folder\"}");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body()).contains("media_changed");

            // After regeneration the delivered video_metadata.json describes the new clip, as ffprobe measures it.
            assertThat(h.app.metadata().regenerateProject(project, true).regenerated()).isEqualTo(1);
            assertThat(reasons(h.http.get("/api/scenes/" + scene + "/metadata").json())).isEmpty();
            var delivered = h.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"folder\"}");
            assertThat(delivered.status()).as(delivered.body()).isEqualTo(201);
            Path folder = Path.of(delivered.json().get("path").asText());
            String videoFile = null;
            for (JsonNode f : delivered.json().get("files")) if (f.asText().endsWith("video_metadata.json")) videoFile = f.asText();
            JsonNode doc = Json.parse(Files.readString(folder.resolve(videoFile)));
            ProbeResult p1 = new MediaProbe(tools).probe(clip1);
            ProbeResult p2 = new MediaProbe(tools).probe(clip2);
            assertThat(p1.resolution()).isEqualTo("640x360");
            assertThat(doc.get("technical").get("resolution").asText()).isEqualTo(p1.resolution());
            assertThat(doc.get("technical").get("fps").doubleValue()).isEqualTo(30.0);
            assertThat(doc.get("technical").get("duration_seconds").doubleValue())
                    .isCloseTo(p1.durationSeconds() + p2.durationSeconds(), org.assertj.core.data.Offset.offset(0.01))
                    .isGreaterThan(2.5);

            // A deleted clip: media_missing, naming it.
            Files.move(clip2, data.resolve("clips/moved.mp4"));
            sceneState = h.http.get("/api/scenes/" + scene + "/metadata").json();
            assertThat(reasons(sceneState)).containsExactly(MetadataService.MEDIA_MISSING);
            assertThat(sceneState.get("media").get(0).get("path").asText()).isEqualTo("clips/ava_walk_2.mp4");
            Files.move(data.resolve("clips/moved.mp4"), clip2);
            assertThat(reasons(h.http.get("/api/scenes/" + scene + "/metadata").json())).isEmpty();

            // The image: replaced by another picture, then corrupted (truncated), then deleted.
            assertThat(reasons(h.http.get("/api/characters/" + character + "/metadata").json())).isEmpty();
            drawPng(tools, png, "smptebars=size=256x256:duration=1");
            JsonNode charState = h.http.get("/api/characters/" + character + "/metadata").json();
            assertThat(reasons(charState)).containsExactly(MetadataService.MEDIA_CHANGED);
            assertThat(charState.get("media").get(0).get("kind").asText()).isEqualTo("image");
            assertThat(charState.get("media").get(0).get("id").longValue()).isEqualTo(image);
            h.http.post("/api/characters/" + character + "/metadata/regenerate", "{}");
            assertThat(reasons(h.http.get("/api/characters/" + character + "/metadata").json())).isEmpty();
            byte[] bytes = Files.readAllBytes(png);
            FileTime mtime = Files.getLastModifiedTime(png);
            bytes[bytes.length / 2] ^= 0x5a; // corrupted: a flipped byte and a cut-off end, the old mtime put back
            Files.write(png, java.util.Arrays.copyOf(bytes, bytes.length - 7));
            Files.setLastModifiedTime(png, mtime);
            assertThat(reasons(h.http.get("/api/characters/" + character + "/metadata").json())).containsExactly(MetadataService.MEDIA_CHANGED);
            Files.delete(png);
            charState = h.http.get("/api/characters/" + character + "/metadata").json();
            assertThat(reasons(charState)).containsExactly(MetadataService.MEDIA_MISSING);
            assertThat(charState.get("media").get(0).get("message").asText()).contains("images/ava.png");
            assertThat(h.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"zip\"}").status()).isEqualTo(422);
        }
    }
}
