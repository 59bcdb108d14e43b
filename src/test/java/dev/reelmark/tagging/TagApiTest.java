package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.reelmark.tagging.TagFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

class TagApiTest {
    @TempDir
    Path dir;

    /** The plan's items by file name. */
    static Map<String, JsonNode> byName(JsonNode plan) {
        Map<String, JsonNode> out = new HashMap<>();
        plan.get("items").forEach(i -> out.put(i.get("file_name").asText(), i));
        return out;
    }

    static JsonNode ok(TestHttp.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json();
    }

    static JsonNode await(ApiHarness h, long opId) throws Exception {
        h.app.tagging().await(opId, Duration.ofSeconds(120));
        return ok(h.http.get("/api/metadata/operations/" + opId), 200);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void planWriteVerifyHistoryAndRollbackOnRealFiles(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            TagFixtures f = new TagFixtures(h.app.catalog(), data, "tags");
            long scene = f.scene(f.character("Alice"));
            // a: two audio tracks and a subtitle stream, no comment
            Path a = f.clip("v/a.mp4", TagFixtures.small().withExtraAudioTracks(1).withSubtitle(true));
            long segA = f.segment(scene, "v/a.mp4");
            // b: MKV that already names Bob
            Path b = f.clip("v/b.mkv", TagFixtures.small().withAudio(true).withSubtitle(true).withTag("comment", "People: Bob"));
            f.segment(scene, "v/b.mkv");
            // c: ComfyUI provenance in the comment
            Path c = f.clip("v/c.mov", TagFixtures.small().withTag("comment", TagFixtures.COMFY));
            long segC = f.segment(scene, "v/c.mov");
            // its generation receipt: the plan's provenance view shows the receipt's facts (a receipt wins over the comment)
            long model = h.app.catalog().create(dev.reelmark.catalog.CatalogModel.ASSETS, Json.object().put("kind", "model")
                    .put("name", "wan2.2-i2v-14b").put("version_label", "2.2.1")).get("id").longValue();
            var receipt = Json.object().put("model_asset_id", model).put("prompt_text", "a cat; dancing = joy #1")
                    .put("cfg_scale", 6.5).put("seed", 42).put("resolution_width", 160).put("resolution_height", 90)
                    .put("steps", 20).put("sampler", "euler");
            receipt.putArray("loras");
            ok(h.http.post("/api/segments/" + segC + "/receipts", receipt.toString()), 201);
            // d: someone's own comment text
            Path d = f.clip("v/d.mp4", TagFixtures.small().withTag("comment", "shot on day 2"));
            f.segment(scene, "v/d.mp4");
            // blocked ones
            f.segment(scene, "v/missing.mp4");
            Files.writeString(data.resolve("v/notvideo.mp4"), "this is not a video");
            f.segment(scene, "v/notvideo.mp4");
            byte[] whole = Files.readAllBytes(a);
            Files.write(data.resolve("v/truncated.mp4"), java.util.Arrays.copyOf(whole, whole.length / 3));
            f.segment(scene, "v/truncated.mp4");
            Path ro = f.clip("v/readonly.mp4", TagFixtures.small());
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
            f.segment(scene, "v/readonly.mp4");
            Files.createDirectories(data.resolve("v/dir.mp4"));
            f.segment(scene, "v/dir.mp4");
            Files.copy(d, data.resolve("v/clip.avi"));
            f.segment(scene, "v/clip.avi");

            // people through the API: quotes are fine; commas, newlines and 10 KB of text are clear 400s
            ok(h.http.post("/api/segments/" + segA + "/people", Json.write(body("name", "Zoë O'Brien \"Z\""))), 201);
            for (String bad : List.of("Smith, John", "two\nlines", "x".repeat(10_000), " ")) {
                TestHttp.Response r = h.http.post("/api/segments/" + segA + "/people", Json.write(body("name", bad)));
                assertThat(r.status()).as(bad.length() > 20 ? "10 KB" : bad).isEqualTo(400);
                assertThat(r.body()).contains("name");
            }
            assertThat(h.http.post("/api/segments/" + segA + "/people", Json.write(body("name", "Zoë O'Brien \"Z\""))).status()).isEqualTo(409);
            assertThat(h.http.get("/api/segments/999999/people").status()).isEqualTo(404);
            assertThat(ok(h.http.get("/api/segments/" + segA + "/people"), 200).get("items")).hasSize(1);

            JsonNode plan = ok(h.http.get("/api/metadata/plan"), 200);
            JsonNode stats = plan.get("statistics");
            assertThat(stats.get("total_files").asInt()).isEqualTo(10);
            assertThat(stats.get("blocked_count").asInt()).isEqualTo(6);
            // the ComfyUI file is a warning: its JSON comment is kept byte-identical, its people go to a key of their own
            // (which players do not show as the comment)
            assertThat(stats.get("safe_count").asInt()).isEqualTo(2);
            assertThat(stats.get("warning_count").asInt()).isEqualTo(1);
            assertThat(stats.get("danger_count").asInt()).isEqualTo(1);
            assertThat(stats.get("will_overwrite_custom").asInt()).isEqualTo(1);
            assertThat(stats.get("with_provenance").asInt()).isEqualTo(1);
            assertThat(stats.get("total_tags_to_add").asInt()).isEqualTo(2 + 1 + 1 + 1);
            Map<String, JsonNode> items = byName(plan);
            JsonNode ia = items.get("a.mp4");
            assertThat(ia.get("risk_level").asText()).isEqualTo("safe");
            assertThat(ia.get("result_comment").asText()).isEqualTo("People: Alice, Zoë O'Brien \"Z\"");
            assertThat(ia.get("tags_to_add")).hasSize(2);
            JsonNode ib = items.get("b.mkv");
            assertThat(ib.get("existing_people").get(0).asText()).isEqualTo("Bob");
            assertThat(ib.get("result_comment").asText()).isEqualTo("People: Bob, Alice");
            JsonNode ic = items.get("c.mov");
            assertThat(ic.get("comment_kind").asText()).isEqualTo("comfyui");
            assertThat(ic.get("provenance").get("generation_source").asText()).isEqualTo("receipt");
            assertThat(ic.get("provenance").get("prompt").asText()).isEqualTo("a cat; dancing = joy #1");
            assertThat(ic.get("provenance").get("seed").asInt()).isEqualTo(42);
            assertThat(ic.get("provenance").get("models").get(0).get("name").asText()).isEqualTo("wan2.2-i2v-14b");
            // the other files' comments ("People: Bob", own text) are no generation facts
            assertThat(items.get("b.mkv").get("provenance").isNull()).isTrue();
            assertThat(items.get("d.mp4").get("provenance").isNull()).isTrue();
            assertThat(ic.get("risk_level").asText()).isEqualTo("warning");
            assertThat(ic.get("warnings").toString()).contains("keeps ComfyUI's prompt/workflow JSON byte-identical");
            assertThat(ic.get("preserve_comment").asBoolean()).isTrue();
            assertThat(ic.get("result_comment").asText()).isEqualTo(TagFixtures.COMFY);
            assertThat(ic.get("people_target").asText()).isEqualTo("mp4_key");
            assertThat(ic.get("result_people_key").asText()).isEqualTo("Alice");
            assertThat(ia.get("people_target").asText()).isEqualTo("comment");
            assertThat(items.get("b.mkv").get("people_locations").toString()).isEqualTo("[\"comment:People line\"]");
            JsonNode id = items.get("d.mp4");
            assertThat(id.get("risk_level").asText()).isEqualTo("danger");
            assertThat(id.get("conflict_type").asText()).isEqualTo("custom_comment");
            assertThat(items.get("missing.mp4").get("issues").toString()).contains("missing file");
            assertThat(items.get("notvideo.mp4").get("issues").toString()).contains("unreadable");
            assertThat(items.get("truncated.mp4").get("issues").toString()).contains("unreadable");
            assertThat(items.get("readonly.mp4").get("issues").toString()).contains("no write permission");
            assertThat(items.get("dir.mp4").get("issues").toString()).contains("directory");
            assertThat(items.get("clip.avi").get("issues").toString()).contains("unsupported container");
            assertThat(plan.get("categories").get("blocked")).hasSize(6);
            assertThat(plan.get("probed").asInt()).isEqualTo(8); // existing regular files; the directory and missing file are not probed

            // filters, search, sort, pagination; a second plan reads no file (cache)
            assertThat(ok(h.http.get("/api/metadata/plan?risk=blocked"), 200).get("total_items").asInt()).isEqualTo(6);
            assertThat(ok(h.http.get("/api/metadata/plan?file_type=mkv"), 200).get("items").get(0).get("file_name").asText()).isEqualTo("b.mkv");
            assertThat(ok(h.http.get("/api/metadata/plan?person=bob"), 200).get("total_items").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/plan?q=zo%C3%AB"), 200).get("total_items").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/plan?conflict=provenance"), 200).get("total_items").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/plan?min_tags=2&include_blocked=false"), 200).get("total_items").asInt()).isEqualTo(2);
            JsonNode sorted = ok(h.http.get("/api/metadata/plan?sort=risk&order=desc&per_page=3&page=2"), 200);
            assertThat(sorted.get("total_pages").asInt()).isEqualTo(4);
            assertThat(sorted.get("items")).hasSize(3);
            assertThat(sorted.get("cache_hits").asInt()).isEqualTo(8);
            assertThat(sorted.get("probed").asInt()).isZero();
            assertThat(h.http.get("/api/metadata/plan?sort=colour").status()).isEqualTo(400);
            assertThat(h.http.get("/api/metadata/plan?risk=scary").body()).contains("risk");
            assertThat(h.http.get("/api/metadata/plan/export").json().get("items")).hasSize(10);

            // the high-risk file needs confirmation
            List<String> ready = new ArrayList<>();
            plan.get("categories").get("ready").forEach(x -> ready.add(x.asText()));
            assertThat(ready).hasSize(4);
            TestHttp.Response refused = h.http.post("/api/metadata/write", Json.write(body("file_hashes", ready)));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("confirm_danger");
            // ...or preserving its comment, which lowers the risk
            JsonNode edited = ok(h.http.post("/api/metadata/plan/" + id.get("file_hash").asText() + "/edit",
                    Json.write(body("preserve_comment", true))), 200);
            assertThat(edited.get("risk_level").asText()).isEqualTo("warning");
            assertThat(edited.get("result_comment").asText()).isEqualTo("shot on day 2\nPeople: Alice");
            assertThat(h.http.post("/api/metadata/plan/nope/edit", "{\"skip\":true}").status()).isEqualTo(404);
            assertThat(h.http.post("/api/metadata/plan/" + id.get("file_hash").asText() + "/edit",
                    Json.write(body("result_people", List.of("A, B")))).body()).contains("result_people[0]");

            // dry run: validates everything, writes nothing
            String before = TagFixtures.sha(a);
            JsonNode dry = ok(h.http.post("/api/metadata/write", Json.write(body("file_hashes", ready, "dry_run", true))), 200);
            assertThat(dry.get("ok_count").asInt()).as(dry.toString()).isEqualTo(4);
            assertThat(dry.get("items").get(0).get("checks").toString()).contains("disk_space", "encoding", "metadata_size", "access");
            assertThat(TagFixtures.sha(a)).isEqualTo(before);
            assertThat(ok(h.http.get("/api/metadata/history"), 200).get("total").asInt()).isZero();

            Map<String, Map<String, String>> hashes = new HashMap<>();
            for (Path p : List.of(a, b, c, d)) hashes.put(p.toString(), TagFixtures.streamHashes(p));
            List<String> typesA = TagFixtures.streamTypes(a);
            assertThat(typesA).containsExactly("video/mpeg4", "audio/aac", "audio/aac", "subtitle/mov_text");

            JsonNode started = ok(h.http.post("/api/metadata/write", Json.write(body("file_hashes", ready, "note", "first"))), 202);
            long opId = started.get("operation_id").asLong();
            assertThat(started.get("events_url").asText()).startsWith("/api/jobs/");
            JsonNode status = await(h, opId);
            assertThat(status.get("operation").get("status").asText()).as(status.toString()).isEqualTo("completed");
            assertThat(status.get("operation").get("success_count").asInt()).isEqualTo(4);
            status.get("items").forEach(i -> assertThat(i.get("has_backup").asBoolean()).isTrue());
            // which path each file took: neither is re-muxed (Matroska's Tags move to the end of the Segment)
            status.get("items").forEach(i -> assertThat(i.get("write_path").asText()).as(i.toString())
                    .isEqualTo(i.get("file_path").asText().endsWith(".mkv") ? "tags_moved" : "moov_rewritten"));

            // an independent reader agrees: ffprobe and exiftool read the written comment back
            Map<Path, String> expected = Map.of(a, "People: Alice, Zoë O'Brien \"Z\"", b, "People: Bob, Alice",
                    c, TagFixtures.COMFY, d, "shot on day 2\nPeople: Alice");
            for (var e : expected.entrySet()) {
                assertThat(TagFixtures.ffprobeComment(e.getKey())).as("ffprobe " + e.getKey()).isEqualTo(e.getValue());
                assertThat(TagFixtures.exiftoolComment(e.getKey())).as("exiftool " + e.getKey()).isEqualTo(e.getValue());
                assertThat(TagFixtures.streamHashes(e.getKey())).as("media of " + e.getKey()).isEqualTo(hashes.get(e.getKey().toString()));
            }
            assertThat(TagFixtures.streamTypes(a)).isEqualTo(typesA);
            assertThat(TagFixtures.streamTypes(b)).containsExactly("video/mpeg4", "audio/aac", "subtitle/subrip");
            assertThat(TagFixtures.ffprobe(b).path("format").path("tags").path("title").asText()).isEqualTo("Take 1");
            assertThat(Json.parse(TagFixtures.ffprobeComment(c)).get("workflow")).isNotNull();
            assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(c).path("format"))).isEqualTo("Alice");
            try (Stream<Path> left = Files.list(data.resolve("v"))) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("reelmark-tmp"));
            }
            // the backup holds the full original probe
            long itemA = status.get("items").get(0).get("id").asLong();
            JsonNode backup = ok(h.http.get("/api/metadata/backups/" + itemA), 200);
            assertThat(backup.get("original_metadata").get("streams")).isNotEmpty();

            // planning again: nothing left to do
            JsonNode again = ok(h.http.get("/api/metadata/plan?include_blocked=false"), 200);
            again.get("items").forEach(i -> assertThat(i.get("has_changes").asBoolean()).as(i.toString()).isFalse());

            // history filters
            assertThat(ok(h.http.get("/api/metadata/history?person=alice"), 200).get("total").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/history?person=nobody"), 200).get("total").asInt()).isZero();
            assertThat(ok(h.http.get("/api/metadata/history?file=b.mkv"), 200).get("total").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/history?status=completed"), 200).get("total").asInt()).isEqualTo(1);
            assertThat(ok(h.http.get("/api/metadata/history?start_date=" + LocalDate.now().plusDays(2)), 200).get("total").asInt()).isZero();
            assertThat(ok(h.http.get("/api/metadata/history?end_date=" + LocalDate.now().plusDays(1)), 200).get("total").asInt()).isEqualTo(1);
            assertThat(h.http.get("/api/metadata/history?start_date=yesterday").status()).isEqualTo(400);
            JsonNode details = ok(h.http.get("/api/metadata/history/" + opId), 200);
            assertThat(details.get("backups")).hasSize(4);

            // someone changes d's comment afterwards: its rollback is a conflict, the others are restored
            Path other = data.resolve("v/d-other.mp4");
            var r = dev.reelmark.media.FfmpegTools.defaults().runFfmpeg(List.of("-v", "error", "-y", "-i", d.toString(), "-map", "0",
                    "-c", "copy", "-metadata", "comment=edited by hand", other.toString()), Duration.ofSeconds(60));
            assertThat(r.ok()).isTrue();
            Files.move(other, d, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            JsonNode rb = ok(h.http.post("/api/metadata/history/" + opId + "/rollback", ""), 202);
            assertThat(rb.get("feasible").asInt()).isEqualTo(3);
            assertThat(rb.get("conflicts").get(0).get("file_path").asText()).endsWith("d.mp4");
            JsonNode rbStatus = await(h, rb.get("operation_id").asLong());
            assertThat(rbStatus.get("operation").get("operation_type").asText()).isEqualTo("rollback");
            assertThat(rbStatus.get("operation").get("success_count").asInt()).isEqualTo(3);
            assertThat(TagFixtures.ffprobeComment(a)).isNull();
            assertThat(TagFixtures.exiftoolComment(a)).isNull();
            assertThat(TagFixtures.ffprobeComment(b)).isEqualTo("People: Bob");
            assertThat(TagFixtures.ffprobeComment(c)).isEqualTo(TagFixtures.COMFY);
            assertThat(TagWriter.peopleKeyOf(TagFixtures.ffprobe(c).path("format"))).as("the people key is gone again").isNull();
            assertThat(TagFixtures.ffprobeComment(d)).isEqualTo("edited by hand");
            assertThat(TagFixtures.streamTypes(a)).isEqualTo(typesA);
            JsonNode original = ok(h.http.get("/api/metadata/operations/" + opId), 200).get("operation");
            assertThat(original.get("status").asText()).isEqualTo("partially_rolled_back");
            assertThat(ok(h.http.get("/api/metadata/history?type=rollback"), 200).get("total").asInt()).isEqualTo(1);

            // retention clean-up removes backups; a write without backups cannot be rolled back
            JsonNode second = ok(h.http.post("/api/metadata/write", Json.write(body("file_hashes",
                    List.of(byName(ok(h.http.get("/api/metadata/plan?file_type=mkv"), 200)).get("b.mkv").get("file_hash").asText())))), 202);
            await(h, second.get("operation_id").asLong());
            assertThat(ok(h.http.post("/api/metadata/backups/cleanup", "{\"retention_days\": 0}"), 200).get("removed").asInt()).isGreaterThanOrEqualTo(1);
            JsonNode noBackup = ok(h.http.post("/api/metadata/history/" + second.get("operation_id").asLong() + "/rollback", ""), 202);
            assertThat(noBackup.get("feasible").asInt()).isZero();
            assertThat(noBackup.get("conflicts").get(0).get("reason").asText()).contains("backup missing");
            assertThat(TagFixtures.ffprobeComment(b)).isEqualTo("People: Bob, Alice");
        }
    }
}
