package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.SafeZip;
import dev.reelmark.sidecar.DemoData;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** Dataset exports on the demo studio over real HTTP, on both databases. */
class DatasetExportApiTest {
    static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    static void assertBadField(TestHttp.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
    }

    static JsonNode exportAndWait(ApiHarness h, long project, String body) throws InterruptedException {
        var r = h.http.post("/api/projects/" + project + "/export-dataset", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isIn("queued", "running", "completed");
        Job job = h.app.jobs().awaitTerminal(r.json().get("job_id").longValue(), WAIT);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
        var got = h.http.get("/api/projects/" + project + "/datasets/" + r.json().get("id").longValue());
        assertThat(got.status()).isEqualTo(200);
        return got.json();
    }

    /** Entry name → bytes, every entry read (so every CRC is checked), STORED names collected. */
    record Unzipped(Map<String, byte[]> entries, Set<String> stored) {
        String text(String name) {
            assertThat(entries).containsKey(name);
            return new String(entries.get(name), StandardCharsets.UTF_8);
        }
    }

    static Unzipped unzip(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Set<String> stored = new HashSet<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                SafeZip.checkName(e.getName());
                try (var in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
                if (e.getMethod() == ZipEntry.STORED) stored.add(e.getName());
            }
        }
        return new Unzipped(entries, stored);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badConfigsAreRejectedNamingTheFieldAndRecordNothing(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            String p = "/api/projects/" + project + "/export-dataset";
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 70, \"validation\": 20, \"test\": 20}}"), "splits");
            assertThat(h.http.post(p, "{\"splits\": {\"train\": 70, \"validation\": 20, \"test\": 20}}").json().get("message").asText()).contains("= 110");
            assertBadField(h.http.post(p, "{\"quality_threshold\": 7}"), "quality_threshold");
            assertBadField(h.http.post(p, "{\"quality_threshold\": \"high\"}"), "quality_threshold");
            assertBadField(h.http.post(p, "{\"scene_types\": [\"idle\", \"karaoke\"]}"), "scene_types[1]");
            assertBadField(h.http.post(p, "{\"character_ids\": [999]}"), "character_ids[0]");
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 100, \"validation\": 0}}"), "splits.test");
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 90.5, \"validation\": 9.5, \"test\": 0}}"), "splits.train");
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 80, \"validation\": 10, \"test\": 10, \"holdout\": 0}}"), "splits.holdout");
            assertBadField(h.http.post(p, "{\"format\": \"parquet\"}"), "format");
            assertBadField(h.http.post(p, "{\"include_videos\": false, \"frame_images\": false}"), "include_videos");
            // numbers are range-checked before they are narrowed: 4294967396 would wrap to 100 as an int
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 4294967396, \"validation\": 0, \"test\": 0}}"), "splits.train");
            assertBadField(h.http.post(p, "{\"splits\": {\"train\": 100, \"validation\": -4294967296, \"test\": 0}}"), "splits.validation");
            assertBadField(h.http.post(p, "{\"seed\": 18446744073709551616}"), "seed");
            assertBadField(h.http.post(p, "{\"seed\": -1}"), "seed");
            assertBadField(h.http.post(p, "{\"character_ids\": [18446744073709551617]}"), "character_ids[0]");
            assertBadField(h.http.post(p, "{\"include_unfinished\": \"yes\"}"), "include_unfinished");
            assertThat(h.http.post("/api/projects/999/export-dataset", "{}").status()).isEqualTo(404);
            assertThat(h.http.get("/api/projects/" + project + "/datasets").json().get("total").intValue()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void packagesFilteredScenesWholeIntoSplitsWithManifestAndHuggingFaceMetadata(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            String config = "{\"name\": \"night shift v1\", \"quality_threshold\": 0.7, \"splits\": {\"train\": 60, \"validation\": 20, \"test\": 20}, \"seed\": 7}";
            JsonNode d = exportAndWait(h, project, config);
            assertThat(d.get("status").asText()).isEqualTo("completed");
            JsonNode manifest = d.get("manifest");
            Path zipFile = Path.of(d.get("file_path").asText());
            assertThat(d.get("file_size_bytes").longValue()).isEqualTo(Files.size(zipFile));
            assertThat(d.get("config").get("splits").get("train").intValue()).isEqualTo(60);

            // which segments should be in: quality >= 0.7 (the generating scene has no quality: excluded)
            Map<Long, Double> quality = new HashMap<>();
            for (ObjectNode q : h.app.catalog().list(CatalogModel.SEGMENT_QUALITY, Map.of(), 100, null).items()) {
                quality.put(q.get("segment_id").longValue(), q.get("overall_score").doubleValue());
            }
            Set<Long> expected = new HashSet<>();
            quality.forEach((seg, score) -> { if (score >= 0.7) expected.add(seg); });
            assertThat(expected).isNotEmpty();
            assertThat(expected.size()).isLessThan(quality.size()); // the filter really drops some
            assertThat(d.get("sample_count").intValue()).isEqualTo(expected.size());
            assertThat(manifest.get("total_samples").intValue()).isEqualTo(expected.size());
            assertThat(manifest.get("metadata").get("excluded").size()).isEqualTo(15 - expected.size());

            Unzipped zip = unzip(zipFile);
            assertThat(zip.entries()).containsKey("manifest.json");
            assertThat(Json.parse(zip.text("manifest.json"))).isEqualTo(manifest);
            Set<Long> packed = new HashSet<>();
            Map<Long, String> sceneSplit = new HashMap<>();
            Map<Long, Long> sceneOf = new HashMap<>();
            for (ObjectNode s : h.app.catalog().list(CatalogModel.SEGMENTS, Map.of(), 100, null).items()) {
                sceneOf.put(s.get("id").longValue(), s.get("scene_id").longValue());
            }
            for (String split : List.of("train", "validation", "test")) {
                for (JsonNode sample : manifest.get("splits").get(split)) {
                    long seg = sample.get("segment_id").longValue();
                    packed.add(seg);
                    assertThat(sample.get("split").asText()).isEqualTo(split);
                    // segments of one scene never straddle two splits
                    String before = sceneSplit.putIfAbsent(sceneOf.get(seg), split);
                    assertThat(before == null || before.equals(split)).as("scene of segment " + seg).isTrue();
                    assertThat(zip.entries()).containsKey(sample.get("path").asText()).containsKey(sample.get("frame").asText())
                            .containsKey(sample.get("metadata").asText());
                    assertThat(zip.stored()).contains(sample.get("path").asText(), sample.get("frame").asText());
                    byte[] jpg = zip.entries().get(sample.get("frame").asText());
                    assertThat(jpg[0] & 0xff).isEqualTo(0xFF);
                    assertThat(jpg[1] & 0xff).isEqualTo(0xD8);
                    JsonNode meta = Json.parse(new String(zip.entries().get(sample.get("metadata").asText()), StandardCharsets.UTF_8));
                    assertThat(meta.get("quality_score").doubleValue()).isEqualTo(quality.get(seg));
                    assertThat(meta.has("prompt") && meta.has("lora_weights") && meta.has("failure_tags")).isTrue();
                }
                // Hugging Face videofolder metadata: file_name relative to the split folder
                if (manifest.get("splits").get(split).isEmpty()) {
                    assertThat(zip.entries()).doesNotContainKey(split + "/metadata.jsonl");
                    continue;
                }
                List<String> lines = zip.text(split + "/metadata.jsonl").lines().toList();
                assertThat(lines).hasSize(manifest.get("splits").get(split).size());
                for (String line : lines) {
                    JsonNode row = Json.parse(line);
                    assertThat(zip.entries()).containsKey(split + "/" + row.get("file_name").asText());
                    assertThat(row.get("file_name").asText()).doesNotContain("/");
                }
            }
            assertThat(packed).isEqualTo(expected);
            // no receipts yet: a sample's generation facts say where they came from, and a clip whose comment is no
            // ComfyUI graph has none (never its comment text as a prompt)
            for (var e : zip.entries().entrySet()) {
                if (!e.getKey().contains("/metadata/")) continue;
                JsonNode meta = Json.parse(new String(e.getValue(), StandardCharsets.UTF_8));
                assertThat(meta.get("generation_source").asText()).isIn("none", "file_comment");
                if (meta.get("generation_source").asText().equals("none")) {
                    assertThat(meta.get("prompt").isNull()).isTrue();
                    assertThat(meta.get("caption").isNull()).isTrue();
                    assertThat(meta.get("lora_weights")).isEmpty();
                }
            }
            // the same config again gives the same split; the list shows both, newest first, without manifests
            JsonNode again = exportAndWait(h, project, config);
            assertThat(splitOf(again.get("manifest"))).isEqualTo(splitOf(manifest));
            JsonNode list = h.http.get("/api/projects/" + project + "/datasets").json();
            assertThat(list.get("total").intValue()).isEqualTo(2);
            assertThat(list.get("items").get(0).get("id").longValue()).isEqualTo(again.get("id").longValue());
            assertThat(list.get("items").get(0).get("manifest").isNull()).isTrue();
            byte[] downloaded = h.http.getBytes(d.get("download").asText());
            assertThat(downloaded).isEqualTo(Files.readAllBytes(zipFile));
            assertThat(h.http.get("/api/projects/" + project + "/datasets/999").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aSegmentSelectionIsAllThatIsConsideredAndIdsOutsideTheProjectAreRefusedByIndex(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            String p = "/api/projects/" + project + "/export-dataset";
            List<Long> finished = new ArrayList<>();
            Long unfinished = null;
            Set<String> files = new HashSet<>();
            for (ObjectNode s : h.app.catalog().list(CatalogModel.SEGMENTS, Map.of(), 100, null).items()) {
                boolean done = Set.of("complete", "approved").contains(s.get("status").asText());
                if (done && finished.size() < 3 && files.add(s.path("output_video_path").asText())) finished.add(s.get("id").longValue());
                if (!done && unfinished == null) unfinished = s.get("id").longValue();
            }
            assertThat(finished).hasSize(3);
            assertThat(unfinished).isNotNull();
            // a segment of another project
            long other = h.http.post("/api/projects", "{\"name\":\"Elsewhere\"}").json().get("id").longValue();
            long ch = h.http.post("/api/characters", "{\"project_id\":" + other + ",\"name\":\"Bea\"}").json().get("id").longValue();
            long type = h.http.post("/api/scene-types", "{\"project_id\":" + other + ",\"name\":\"walk\"}").json().get("id").longValue();
            long scene = h.http.post("/api/scenes", "{\"character_id\":" + ch + ",\"scene_type_id\":" + type + ",\"name\":\"Bea walks\"}").json().get("id").longValue();
            long foreign = h.http.post("/api/segments", "{\"scene_id\":" + scene + ",\"sequence_index\":0}").json().get("id").longValue();
            long first = finished.get(0);

            assertBadField(h.http.post(p, "{\"segment_ids\": " + first + "}"), "segment_ids");
            assertBadField(h.http.post(p, "{\"segment_ids\": []}"), "segment_ids");
            assertBadField(h.http.post(p, "{\"segment_ids\": [" + first + ", 0]}"), "segment_ids[1]");
            assertBadField(h.http.post(p, "{\"segment_ids\": [" + first + ", \"" + first + "\"]}"), "segment_ids[1]");
            // range-checked before it is narrowed: 2^64 + 1 would wrap to 1
            assertBadField(h.http.post(p, "{\"segment_ids\": [" + first + ", 18446744073709551617]}"), "segment_ids[1]");
            assertBadField(h.http.post(p, "{\"segment_ids\": [" + first + ", 999999]}"), "segment_ids[1]");
            var foreignRefused = h.http.post(p, "{\"segment_ids\": [" + first + ", " + finished.get(1) + ", " + foreign + "]}");
            assertBadField(foreignRefused, "segment_ids[2]");
            assertThat(foreignRefused.json().get("message").asText()).contains("another project");
            StringBuilder tooMany = new StringBuilder("{\"segment_ids\": [");
            for (int i = 0; i <= DatasetConfig.MAX_SEGMENT_IDS; i++) tooMany.append(i == 0 ? "" : ",").append(first);
            assertBadField(h.http.post(p, tooMany.append("]}").toString()), "segment_ids");
            assertThat(h.http.get("/api/projects/" + project + "/datasets").json().get("total").intValue()).isZero();

            // the picked segments (a repeat dropped) are the only candidates: the finished ones go in, the unfinished one is excluded
            List<Long> picked = new ArrayList<>(finished);
            picked.add(unfinished);
            String body = "{\"include_videos\": false, \"segment_ids\": [" + String.join(", ", picked.stream().map(String::valueOf).toList())
                    + ", " + first + "]}";
            JsonNode d = exportAndWait(h, project, body);
            assertThat(d.get("config").get("segment_ids")).hasSize(4);
            Set<Long> packed = new HashSet<>();
            for (String split : List.of("train", "validation", "test")) {
                d.get("manifest").get("splits").get(split).forEach(sample -> packed.add(sample.get("segment_id").longValue()));
            }
            Set<Long> excluded = new HashSet<>();
            d.get("manifest").get("metadata").get("excluded").forEach(e -> excluded.add(e.get("segment_id").longValue()));
            assertThat(packed).containsExactlyInAnyOrderElementsOf(finished);
            assertThat(excluded).containsExactly(unfinished);
            assertThat(d.get("sample_count").intValue()).isEqualTo(3);
            Unzipped zip = unzip(Path.of(d.get("file_path").asText()));
            int rows = 0;
            for (String split : List.of("train", "validation", "test")) {
                if (zip.entries().containsKey(split + "/metadata.jsonl")) rows += zip.text(split + "/metadata.jsonl").lines().toList().size();
            }
            assertThat(rows).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void onlyFinishedSegmentsOneSamplePerFileEveryNonZeroSplitFilledAndEmptySplitsWarned(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            Map<Long, String> status = new HashMap<>();
            Map<Long, String> pathOf = new HashMap<>();
            for (ObjectNode s : h.app.catalog().list(CatalogModel.SEGMENTS, Map.of(), 100, null).items()) {
                status.put(s.get("id").longValue(), s.get("status").asText());
                pathOf.put(s.get("id").longValue(), s.get("output_video_path").asText());
            }
            assertThat(status).containsValue("generating");
            // a second segment of another scene pointing at the file of an existing one (a re-imported take)
            long ava = DemoData.characters(h, project).get(0);
            long first = status.keySet().stream().min(Long::compare).orElseThrow();
            ObjectNode otherScene = h.app.catalog().list(CatalogModel.SCENES, Map.of("character_id", DemoData.characters(h, project).get(1)), 1, null).items().get(0);
            long dup = h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", otherScene.get("id").longValue())
                    .put("sequence_index", 9).put("output_video_path", pathOf.get(first)).put("status", "complete")).get("id").longValue();

            // the default 80/10/10: every split gets samples (15 segments once gave 12/3/0), nothing unfinished, one sample per file
            JsonNode d = exportAndWait(h, project, "{}");
            Map<Long, String> split = splitOf(d.get("manifest"));
            for (String s : List.of("train", "validation", "test")) assertThat(split).as(s).containsValue(s);
            assertThat(d.get("warnings")).isEmpty();
            assertThat(split.keySet()).allMatch(id -> List.of("complete", "approved").contains(status.get(id))).contains(first).doesNotContain(dup);
            JsonNode excluded = d.get("manifest").get("metadata").get("excluded");
            JsonNode dupEntry = null;
            for (JsonNode e : excluded) if (e.get("segment_id").longValue() == dup) dupEntry = e;
            assertThat(dupEntry).as(excluded.toString()).isNotNull();
            assertThat(dupEntry.get("code").asText()).isEqualTo("duplicate");
            assertThat(dupEntry.get("reason").asText()).contains("as segment " + first);
            long unfinished = status.values().stream().filter(v -> !v.equals("complete") && !v.equals("approved")).count();
            int unfinishedExcluded = 0;
            for (JsonNode e : excluded) if (e.get("code").asText().equals("unfinished")) unfinishedExcluded++;
            assertThat(unfinishedExcluded).isEqualTo((int) unfinished).isPositive();

            // asked for: unfinished segments with a readable video go in too
            JsonNode all = exportAndWait(h, project, "{\"include_unfinished\": true}");
            assertThat(splitOf(all.get("manifest")).keySet()).anyMatch(id -> status.get(id).equals("generating"));

            // one scene cannot fill three splits: the empty ones are warnings in the API answer and the job result
            var r = h.http.post("/api/projects/" + project + "/export-dataset", "{\"character_ids\": [" + ava + "], \"scene_types\": [\"idle\"]}");
            Job job = h.app.jobs().awaitTerminal(r.json().get("job_id").longValue(), WAIT);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            JsonNode one = h.http.get("/api/projects/" + project + "/datasets/" + r.json().get("id").longValue()).json();
            List<String> codes = new ArrayList<>();
            one.get("warnings").forEach(w -> codes.add(w.get("code").asText() + ":" + w.get("message").asText().split(" ")[1]));
            assertThat(codes).containsExactly("empty_split:validation", "empty_split:test");
            assertThat(job.result().get("warnings")).isEqualTo(one.get("warnings"));
            assertThat(one.get("manifest").get("metadata").get("warnings")).isEqualTo(one.get("warnings"));
            assertThat(h.http.get("/api/projects/" + project + "/datasets").json().get("items").get(0).get("warnings")).isEqualTo(one.get("warnings"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void whatACrashedExportLeftIsRemovedAtStartupButNotWhatAnExportStillRunningWrites(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            JsonNode done = exportAndWait(h, project, "{\"character_ids\": [" + DemoData.characters(h, project).get(0) + "]}");
            Path datasets = DemoData.dataDir(h).resolve("exports/datasets");
            long id = done.get("id").longValue();
            // as a killed JVM leaves them: the ZIP's temp file and the work folder, of this export and of an unknown one
            Path part = Files.writeString(datasets.resolve(".dataset-" + id + ".zip.123.part"), "half");
            Path work = Files.createDirectories(datasets.resolve(".work-" + id));
            Files.writeString(work.resolve("frame-0.jpg"), "x");
            Path orphan = Files.writeString(datasets.resolve(".dataset-999.zip.7.part"), "half");
            // an export that is queued (a job will run it, maybe in another process) keeps its files
            // (the row is made directly: no job picks it up during the test)
            long waiting = new DatasetStore(h.app.database()).insert(project, "waiting", Json.object()).id();
            Path running = Files.writeString(datasets.resolve(".dataset-" + waiting + ".zip.5.part"), "being written");
            h.app.datasets().removeLeftovers();
            assertThat(part).doesNotExist();
            assertThat(work).doesNotExist();
            assertThat(orphan).doesNotExist();
            assertThat(running).exists();
            assertThat(datasets.resolve("dataset-" + id + ".zip")).exists();
        }
    }

    static Map<Long, String> splitOf(JsonNode manifest) {
        Map<Long, String> out = new HashMap<>();
        manifest.get("splits").fields().forEachRemaining(e -> e.getValue().forEach(s -> out.put(s.get("segment_id").longValue(), e.getKey())));
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aVideoThatVanishesMidExportFailsThatSampleAndTheZipStaysValid(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            Path data = DemoData.dataDir(h);
            List<String> deleted = new ArrayList<>();
            long ava = DemoData.characters(h, project).get(0);
            // once packaging has started, the video of a later sample disappears
            h.app.datasets().onBeforeSample(i -> {
                if (i != 0) return;
                var selection = h.app.datasets().select(project, DatasetConfig.fromJson(Json.parse(
                        "{\"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}, \"character_ids\": [" + ava + "], \"scene_types\": [\"idle\"]}")));
                String victim = selection.samples().get(1).clip().storedPath();
                try {
                    Files.delete(data.resolve(victim));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                deleted.add(victim);
            });
            JsonNode d = exportAndWait(h, project, "{\"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}, \"character_ids\": [" + ava
                    + "], \"scene_types\": [\"idle\"]}");
            assertThat(deleted).hasSize(1);
            assertThat(d.get("failed_count").intValue()).isEqualTo(1);
            int all = d.get("sample_count").intValue() + 1;
            assertThat(all).isGreaterThanOrEqualTo(2);
            JsonNode failed = d.get("manifest").get("metadata").get("failed");
            assertThat(failed.get(0).get("error").asText()).contains("vanished").contains(deleted.get(0));
            Unzipped zip = unzip(Path.of(d.get("file_path").asText()));
            String id = failed.get(0).get("sample").asText();
            assertThat(zip.entries().keySet()).noneMatch(n -> n.contains(id));
            assertThat(zip.text("train/metadata.jsonl").lines().count()).isEqualTo(all - 1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void namesThatWouldEscapeTheZipAreNeverWritten(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            Path data = DemoData.dataDir(h);
            long ava = DemoData.characters(h, project).get(0);
            ObjectNode scene = h.app.catalog().list(CatalogModel.SCENES, Map.of("character_id", ava), 1, null).items().get(0);
            // a clip whose name is hostile (a copy of another character's clip: one file is one sample), and a row
            // pointing outside the data directory
            Path weird = data.resolve("media/x/..%2f..%2fevil name..mp4");
            Files.createDirectories(weird.getParent());
            ObjectNode other = h.app.catalog().list(CatalogModel.SCENES, Map.of("character_id", DemoData.characters(h, project).get(1)), 1, null).items().get(0);
            Files.copy(data.resolve(h.app.catalog().list(CatalogModel.SEGMENTS, Map.of("scene_id", other.get("id").longValue()), 1, null)
                    .items().get(0).get("output_video_path").asText()), weird);
            h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene.get("id").longValue())
                    .put("sequence_index", 7).put("output_video_path", data.relativize(weird).toString()).put("status", "complete"));
            long outside = h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene.get("id").longValue())
                    .put("sequence_index", 8).put("output_video_path", "../../../../etc/hosts")).get("id").longValue();
            JsonNode d = exportAndWait(h, project, "{\"character_ids\": [" + ava + "], \"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}");
            Unzipped zip = unzip(Path.of(d.get("file_path").asText()));
            // no entry climbs out: no '..' segment, backslash or absolute path; the clip keeps its own (odd but legal) name
            assertThat(zip.entries().keySet()).allMatch(n -> !List.of(n.split("/")).contains("..") && !n.contains("\\") && !n.startsWith("/"));
            assertThat(zip.entries().keySet()).anyMatch(n -> n.matches("train/seg\\d+_%2f\\.\\.%2fevil name\\.mp4"));
            assertThat(d.get("manifest").get("metadata").get("excluded").toString()).contains("\"segment_id\":" + outside);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aCancelledExportIsRecordedAsCancelledAndLeavesNoZip(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            long[] job = {0};
            h.app.datasets().onBeforeSample(i -> {
                if (i != 1) return;
                for (int wait = 0; job[0] == 0 && wait < 1000; wait++) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                h.app.jobs().cancel(job[0]);
            });
            var r = h.http.post("/api/projects/" + project + "/export-dataset", "{}");
            job[0] = r.json().get("job_id").longValue();
            Job done = h.app.jobs().awaitTerminal(job[0], WAIT);
            assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
            Thread.sleep(500); // the handler records the cancellation as it unwinds
            long id = r.json().get("id").longValue();
            JsonNode d = h.http.get("/api/projects/" + project + "/datasets/" + id).json();
            assertThat(d.get("status").asText()).isEqualTo("cancelled");
            assertThat(d.get("download").isNull()).isTrue();
            assertThat(h.http.get("/api/projects/" + project + "/datasets/" + id + "/download").status()).isEqualTo(409);
            Path datasets = DemoData.dataDir(h).resolve("exports/datasets");
            try (var files = Files.list(datasets)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.endsWith(".zip") || n.endsWith(".part"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void safeZipRejectsEscapingNames(Vendor vendor) {
        assertThat(vendor).isNotNull();
        for (String bad : List.of("../x", "/etc/passwd", "a/../../b", "C:\\x", "a\\..\\b", "a//b", "./a", "a/.", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SafeZip.checkName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SafeZip.segment("../../etc/passwd")).isEqualTo("etc_passwd");
        assertThat(SafeZip.segment("..")).isEqualTo("_");
        assertThat(SafeZip.segment("Chloé Martin")).isEqualTo("Chloe_Martin");
    }
}
