package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Receipts record the SHA-256 and size of their output video once it exists (set once, enforced by the database);
 * {@code GET /api/provenance/verify} and {@code reelmark provenance verify} report each segment whose file no longer
 * matches its receipt; such segments are stale. Versions are identified by content. Both databases, real clips.
 */
class ReceiptMediaApiTest {
    @TempDir
    Path dir;

    static long create(ApiHarness h, String path, ObjectNode body) {
        var r = h.http.post(path, body.toString());
        if (r.status() != 201) throw new AssertionError(path + " → " + r.status() + " " + r.body());
        return r.json().get("id").longValue();
    }

    /** SHA-256 by coreutils, not by our code. */
    static String sha256sum(Path file) {
        var r = ProcessRunner.run(List.of("sha256sum", file.toString()), Duration.ofSeconds(30));
        assertThat(r.ok()).isTrue();
        return r.stdoutText().trim().split("\\s+")[0];
    }

    static ObjectNode receipt(long model) {
        return Json.object().put("model_asset_id", model).put("prompt_text", "Ava walks").put("cfg_scale", 6)
                .put("seed", 7).put("resolution_width", 320).put("resolution_height", 180).put("steps", 20).put("sampler", "euler");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void receiptsRecordTheirOutputAndVerifyReportsEveryMismatch(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            FfmpegTools tools = h.app.ffmpegTools();
            ClipSynth synth = new ClipSynth(tools);
            Path clip0 = data.resolve("clips/s0.mp4");
            Path clip1 = data.resolve("clips/s1.mp4");
            synth.synthesize(ClipSpec.of(320, 180, 24, 1), clip0);
            synth.synthesize(ClipSpec.of(320, 180, 24, 1).withPattern(ClipSpec.Pattern.SMPTEBARS), clip1);

            long project = create(h, "/api/projects", Json.object().put("name", "Verify"));
            long character = create(h, "/api/characters", Json.object().put("project_id", project).put("name", "Ava"));
            long type = create(h, "/api/scene-types", Json.object().put("project_id", project).put("name", "walk"));
            long scene = create(h, "/api/scenes", Json.object().put("character_id", character).put("scene_type_id", type).put("name", "Walk"));
            long[] seg = new long[3];
            for (int i = 0; i < 3; i++) {
                seg[i] = create(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", i)
                        .put("output_video_path", "clips/s" + i + ".mp4"));
            }
            long model = create(h, "/api/assets", Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1")
                    .put("checksum_sha256", "1".repeat(64)));

            // At creation: the existing output video is hashed; a not-yet-rendered one has no hash.
            JsonNode r0 = h.http.post("/api/segments/" + seg[0] + "/receipts", receipt(model).toString()).json();
            assertThat(r0.get("output_sha256").asText()).isEqualTo(sha256sum(clip0));
            assertThat(r0.get("output_size").longValue()).isEqualTo(Files.size(clip0));
            JsonNode r1 = h.http.post("/api/segments/" + seg[1] + "/receipts", receipt(model).toString()).json();
            Path clip2 = data.resolve("clips/s2.mp4");
            JsonNode r2 = h.http.post("/api/segments/" + seg[2] + "/receipts", receipt(model).toString()).json();
            assertThat(r2.get("output_sha256").isNull()).isTrue();

            // At completion: the video rendered meanwhile is recorded, once.
            synth.synthesize(ClipSpec.of(320, 180, 24, 1).withPattern(ClipSpec.Pattern.TESTSRC2), clip2);
            JsonNode done = h.http.post("/api/receipts/" + r2.get("id").longValue() + "/complete", "{\"generation_duration_ms\": 1200}").json();
            assertThat(done.get("output_sha256").asText()).isEqualTo(sha256sum(clip2));
            assertThat(done.get("output_size").longValue()).isEqualTo(Files.size(clip2));
            assertThat(h.http.post("/api/receipts/" + r2.get("id").longValue() + "/complete", "{\"generation_duration_ms\": 1}").status()).isEqualTo(409);

            // Set once, enforced by the database: NULL -> value passes, any other change is refused.
            var jdbi = h.app.database().jdbi();
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE generation_receipts SET output_sha256 = ? WHERE id = ?",
                    "f".repeat(64), r0.get("id").longValue()))).hasMessageContaining("immutable");
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE generation_receipts SET output_size = 1 WHERE id = ?",
                    r0.get("id").longValue()))).hasMessageContaining("immutable");
            assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute("UPDATE generation_receipts SET output_sha256 = NULL, output_size = NULL WHERE id = ?",
                    r0.get("id").longValue()))).hasMessageContaining("immutable");

            // Everything matches.
            JsonNode v = h.http.get("/api/provenance/verify?project_id=" + project).json();
            assertThat(v.get("segments_checked").asInt()).isEqualTo(3);
            assertThat(v.get("ok").asInt()).isEqualTo(3);
            assertThat(v.get("problems")).isEmpty();
            assertThat(h.http.get("/api/segments/" + seg[0] + "/provenance").json().get("stale").asBoolean()).isFalse();

            // Re-render seg 0 in place (another size and rate) and delete seg 2's clip; seg 1 stays as recorded.
            assertThat(r1.get("output_sha256").asText()).isEqualTo(sha256sum(clip1));
            var rr = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=2",
                    "-c:v", synth.defaultVideoCodec(), "-pix_fmt", "yuv420p", clip0.toString()), Duration.ofSeconds(120));
            assertThat(rr.ok()).isTrue();
            Files.delete(clip2);
            // A fourth segment whose receipt was written before its clip existed, never completed: no hash recorded.
            long seg3 = create(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 3).put("output_video_path", "clips/s3.mp4"));
            h.http.post("/api/segments/" + seg3 + "/receipts", receipt(model).toString());
            JsonNode pending = h.http.get("/api/segments/" + seg3 + "/provenance").json(); // not rendered yet: not stale
            assertThat(pending.get("stale").asBoolean()).isFalse();
            assertThat(pending.get("media").get(0).get("status").asText()).isEqualTo("no_hash_recorded");
            assertThat(pending.get("media").get(0).get("reason").isNull()).isTrue();
            synth.synthesize(ClipSpec.of(320, 180, 24, 1), data.resolve("clips/s3.mp4"));

            v = h.http.get("/api/provenance/verify?project_id=" + project).json();
            assertThat(v.get("ok").asInt()).isEqualTo(1);
            assertThat(v.get("changed").asInt()).isEqualTo(1);
            assertThat(v.get("missing").asInt()).isEqualTo(1);
            assertThat(v.get("no_hash_recorded").asInt()).isEqualTo(1);
            assertThat(v.get("segments_not_matching").asInt()).isEqualTo(3);
            JsonNode changed = v.get("problems").get(0);
            assertThat(changed.get("segment_id").longValue()).isEqualTo(seg[0]);
            assertThat(changed.get("status").asText()).isEqualTo("changed");
            assertThat(changed.get("recorded_sha256").asText()).isEqualTo(r0.get("output_sha256").asText());
            assertThat(changed.get("current_sha256").asText()).isEqualTo(sha256sum(clip0));
            assertThat(changed.get("message").asText()).contains("clips/s0.mp4");
            assertThat(v.get("problems").get(1).get("segment_id").longValue()).isEqualTo(seg[2]);
            assertThat(v.get("problems").get(1).get("status").asText()).isEqualTo("missing");
            assertThat(v.get("problems").get(2).get("status").asText()).isEqualTo("no_hash_recorded");
            assertThat(h.http.get("/api/provenance/verify").json().get("segments_checked").asInt()).isEqualTo(4);
            assertThat(h.http.get("/api/provenance/verify?project_id=999999").status()).isEqualTo(404);
            assertThat(h.http.get("/api/provenance/verify?project_id=abc").status()).isEqualTo(400);

            // The segments are stale because of it, with the reason.
            JsonNode prov = h.http.get("/api/segments/" + seg[0] + "/provenance").json();
            assertThat(prov.get("stale").asBoolean()).isTrue();
            assertThat(prov.get("media").get(0).get("status").asText()).isEqualTo("changed");
            assertThat(prov.get("media").get(0).get("reason").asText()).isEqualTo("media_changed");
            JsonNode report = h.http.get("/api/projects/" + project + "/staleness-report").json();
            assertThat(report.get("total_media_stale_segments").asInt()).isEqualTo(2);

            // The CLI says the same and exits 1; --record-missing trusts the existing unhashed file once.
            String db = h.app.database().displayUrl(); // the test databases have no password
            StringWriter out = new StringWriter();
            int code = ProvenanceCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                    "verify", String.valueOf(project), "--data", data.toString(), "--db", db);
            assertThat(code).as(out.toString()).isEqualTo(1);
            assertThat(out.toString()).contains("1 changed, 1 missing, 1 without hash").contains("segment " + seg[0]).contains("clips/s2.mp4");
            out = new StringWriter();
            code = ProvenanceCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                    "verify", String.valueOf(project), "--record-missing", "--data", data.toString(), "--db", db);
            assertThat(out.toString()).contains("recorded the output hash of 1 receipt(s)").contains("0 without hash");
            assertThat(code).isEqualTo(1);
            out = new StringWriter();
            assertThat(ProvenanceCommand.run(new PrintWriter(out, true), new PrintWriter(out, true), "verify", "-3",
                    "--data", data.toString(), "--db", db)).isEqualTo(2);
        }
    }
}
