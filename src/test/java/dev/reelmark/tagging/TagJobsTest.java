package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.reelmark.tagging.TagApiTest.ok;
import static dev.reelmark.tagging.TagFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

class TagJobsTest {
    @TempDir
    Path dir;

    private static List<Path> studio(ApiHarness h, int files, String name) {
        TagFixtures f = new TagFixtures(h.app.catalog(), h.app.config().dataDir(), "jobs");
        long scene = f.scene(f.character(name));
        Path base = f.clip("j/base.mp4", TagFixtures.small().withAudio(true));
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path p = h.app.config().dataDir().resolve("j/clip" + String.format("%02d", i) + ".mkv");
            // distinct content per file (a different title), so every file has its own fingerprint
            var r = dev.reelmark.media.FfmpegTools.defaults().runFfmpeg(List.of("-v", "error", "-y", "-i", base.toString(),
                    "-map", "0", "-c", "copy", "-metadata", "title=clip " + i, p.toString()), Duration.ofSeconds(60));
            assertThat(r.ok()).isTrue();
            f.segment(scene, "j/" + p.getFileName());
            out.add(p);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void pauseResumeAndCancelAnOperation(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            List<Path> files = studio(h, 12, "Pia");
            JsonNode started = ok(h.http.post("/api/metadata/write", Json.write(body("all", true))), 202);
            long op = started.get("operation_id").asLong();
            JsonNode paused = ok(h.http.post("/api/metadata/operations/" + op + "/pause", ""), 200);
            long jobId = paused.get("job_id").asLong();
            h.app.jobs().await(jobId, j -> j.status() == JobStatus.PAUSED && j.claimedBy() == null, Duration.ofSeconds(60));
            JsonNode status = ok(h.http.get("/api/metadata/operations/" + op), 200);
            assertThat(status.get("operation").get("status").asText()).isEqualTo("paused");
            int doneWhilePaused = status.get("progress").get("done").asInt();
            assertThat(doneWhilePaused).isLessThan(12);
            Thread.sleep(500);
            assertThat(ok(h.http.get("/api/metadata/operations/" + op), 200).get("progress").get("done").asInt()).isEqualTo(doneWhilePaused);
            assertThat(h.http.post("/api/metadata/operations/" + op + "/pause", "").status()).isEqualTo(409);
            // a second write may not race the paused one on the same files
            var racing = h.http.post("/api/metadata/write", Json.write(body("all", true)));
            assertThat(racing.status()).isEqualTo(409);
            assertThat(racing.body()).contains("operation " + op);

            ok(h.http.post("/api/metadata/operations/" + op + "/resume", ""), 200);
            JsonNode done = TagApiTest.await(h, op);
            assertThat(done.get("operation").get("status").asText()).isEqualTo("completed");
            assertThat(done.get("operation").get("success_count").asInt()).isEqualTo(12);
            for (Path p : files) assertThat(TagFixtures.ffprobeComment(p)).isEqualTo("People: Pia");

            // cancel: files written stay written (and verified), the rest are skipped, nothing is half-written
            h.app.catalog().update(dev.reelmark.catalog.CatalogModel.CHARACTERS,
                    h.app.catalog().list(dev.reelmark.catalog.CatalogModel.CHARACTERS, java.util.Map.of(), 10, null).items().get(0).get("id").longValue(),
                    Json.object().put("name", "Pia Renamed"));
            JsonNode second = ok(h.http.post("/api/metadata/write", Json.write(body("all", true))), 202);
            long op2 = second.get("operation_id").asLong();
            ok(h.http.post("/api/metadata/operations/" + op2 + "/cancel", ""), 200);
            JsonNode cancelled = TagApiTest.await(h, op2);
            assertThat(cancelled.get("operation").get("status").asText()).isEqualTo("cancelled");
            int written = 0;
            for (JsonNode item : cancelled.get("items")) {
                String s = item.get("status").asText();
                assertThat(s).isIn("success", "skipped");
                Path p = Path.of(item.get("file_path").asText());
                assertThat(TagFixtures.ffprobeComment(p)).isEqualTo(s.equals("success") ? "People: Pia, Pia Renamed" : "People: Pia");
                if (s.equals("success")) written++;
            }
            assertThat(written).isLessThan(12);
            assertThat(h.http.post("/api/metadata/operations/" + op2 + "/resume", "").status()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void anItemLeftWritingByACrashIsSettledFromTheFile(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            List<Path> files = studio(h, 2, "Quinn");
            TagService tags = h.app.tagging();
            var plan = tags.plan(TagService.PlanQuery.all());
            // As if a server died after the rename of file 0 (new comment on disk) and during the copy of file 1
            // (old file, stale temp file beside it), before either item was marked.
            List<TagRecords.NewItem> items = new ArrayList<>();
            for (var i : plan.items()) {
                if (!i.canUpdate()) continue;
                items.add(new TagRecords.NewItem(i.fileHash(), i.filePath(), "pending", i.existingComment(), i.resultComment(),
                        i.tagsToAdd(), i.tagsToRemove(), null, null));
            }
            long op = tags.store().createOperation("write", null, null, items);
            var its = tags.store().items(op);
            Path f0 = Path.of(its.get(0).filePath());
            Path f1 = Path.of(its.get(1).filePath());
            String probe0 = tags.writer().probeFull(f0);
            tags.store().backupAndMarkWriting(its.get(0).id(), its.get(0).fileHash(), null, probe0);
            tags.writer().rewrite(f0, probe0, its.get(0).newComment());
            tags.store().backupAndMarkWriting(its.get(1).id(), its.get(1).fileHash(), null, tags.writer().probeFull(f1));
            Files.copy(f1, TagWriter.tempFor(f1));

            var job = h.app.jobs().submit(TagWriteJob.KIND, Json.object().put("operation_id", op));
            tags.store().setJob(op, job.id());
            var result = tags.await(op, Duration.ofSeconds(60));
            assertThat(result.status()).isEqualTo("completed");
            assertThat(result.successCount()).isEqualTo(2);
            for (Path p : files) assertThat(TagFixtures.ffprobeComment(p)).isEqualTo("People: Quinn");
            assertThat(Files.exists(TagWriter.tempFor(f1))).isFalse();
            assertThat(tags.store().backupOf(its.get(1).id())).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badNamesInTheCatalogBlockTheFileAndLongCommentsGoThroughFfmetadata(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            TagFixtures f = new TagFixtures(h.app.catalog(), h.app.config().dataDir(), "edge");
            f.clip("e/comma.mp4", TagFixtures.small());
            f.segment(f.scene(f.character("Smith, John")), "e/comma.mp4");
            f.clip("e/huge.mkv", TagFixtures.small());
            f.segment(f.scene(f.character("y".repeat(400))), "e/huge.mkv");
            // 200 KB of existing comment text with every FFMETADATA special character, kept and appended to
            String longText = ("line ; with = and # and \\ backslash, ünïcode ✓\n").repeat(4000);
            Path big = f.clip("e/long.mp4", TagFixtures.small().withTag("comment", longText));
            f.segment(f.scene(f.character("Lou")), "e/long.mp4");

            f.segment(f.scene(f.character("Eve")), "/etc/hostname.mp4");
            f.segment(f.scene(f.character("Eve")), "../outside.mkv");

            JsonNode plan = ok(h.http.get("/api/metadata/plan"), 200);
            var items = TagApiTest.byName(plan);
            assertThat(items.get("hostname.mp4").get("issues").toString()).contains("outside the media roots");
            assertThat(items.get("outside.mkv").get("issues").toString()).contains("outside the media roots");
            assertThat(h.http.get("/api/metadata/plan?project_id=999999").status()).isEqualTo(404);
            assertThat(ok(h.http.get("/api/metadata/plan?project_id=" + f.projectId), 200).get("statistics").get("total_files").asInt()).isEqualTo(5);
            assertThat(items.get("comma.mp4").get("risk_level").asText()).isEqualTo("blocked");
            assertThat(items.get("comma.mp4").get("issues").toString()).contains("comma");
            assertThat(items.get("huge.mkv").get("issues").toString()).contains("at most 200");
            JsonNode longItem = items.get("long.mp4");
            assertThat(longItem.get("risk_level").asText()).isEqualTo("danger");
            String hash = longItem.get("file_hash").asText();
            ok(h.http.post("/api/metadata/plan/" + hash + "/edit", Json.write(body("preserve_comment", true))), 200);
            JsonNode started = ok(h.http.post("/api/metadata/write", Json.write(body("file_hashes", List.of(hash)))), 202);
            JsonNode done = TagApiTest.await(h, started.get("operation_id").asLong());
            assertThat(done.get("operation").get("status").asText()).as(done.toString()).isEqualTo("completed");
            String expected = longText + "People: Lou";
            assertThat(TagFixtures.ffprobeComment(big)).isEqualTo(expected);
            assertThat(TagFixtures.exiftoolComment(big)).isEqualTo(expected);
        }
    }
}
