package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.sidecar.DemoData;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.reelmark.dataset.DatasetExportApiTest.exportAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset exports loaded by the real Hugging Face {@code datasets} library ({@link HfLoad}): the demo's default export
 * (where a split whose prompts are all unknown used to clash with the others), a frames-only export, and a
 * 1,000-sample export. SQLite only: what is tested is the files, the databases are covered by DatasetExportApiTest.
 */
class DatasetHuggingFaceTest {
    static final BigInteger HUGE_SEED = new BigInteger("18446744073709551615"); // 2^64 - 1, ComfyUI's largest

    @TempDir
    Path dir;

    static Map<String, String> expectedFeatures(boolean videos, boolean frames) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(videos ? "video" : "image", videos ? "video" : "image");
        if (videos && frames) f.put("frame_file", "string");
        for (String s : List.of("metadata_file", "sample_id")) f.put(s, "string");
        f.put("segment_id", "int64");
        f.put("scene_id", "int64");
        for (String s : List.of("scene", "scene_type", "character", "caption", "prompt", "negative_prompt", "seed", "model",
                "lora_weights", "generation_source")) {
            f.put(s, "string");
        }
        f.put("receipt_id", "int64");
        f.put("quality_score", "float64");
        f.put("failure_tags", "string");
        return f;
    }

    /** Both loads see exactly the manifest's non-empty splits and counts, with the same typed features everywhere. */
    static void assertLoaded(JsonNode report, JsonNode manifest, Map<String, String> features) {
        assertThat(report.get("problems")).as(report.get("problems").toString()).isEmpty();
        Map<String, Integer> expected = new LinkedHashMap<>();
        manifest.get("metadata").get("split_counts").fields().forEachRemaining(e -> {
            if (e.getValue().intValue() > 0) expected.put(e.getKey(), e.getValue().intValue());
        });
        for (String how : List.of("data_dir", "card")) {
            JsonNode load = report.get("loads").get(how);
            Map<String, Integer> got = new LinkedHashMap<>();
            load.get("splits").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().intValue()));
            assertThat(got).as(how).containsExactlyInAnyOrderEntriesOf(expected);
            for (String split : expected.keySet()) {
                Map<String, String> f = new LinkedHashMap<>();
                load.get("features").get(split).fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue().asText()));
                assertThat(f).as(how + " " + split).containsExactlyInAnyOrderEntriesOf(features);
            }
        }
    }

    /** A clip whose comment carries a ComfyUI graph with this seed and prompt. */
    static String comfyComment(BigInteger seed, String prompt) {
        ObjectNode root = Json.object();
        ObjectNode g = root.putObject("prompt");
        g.putObject("4").put("class_type", "CheckpointLoaderSimple").putObject("inputs").put("ckpt_name", "wan2.2-i2v-14b.safetensors");
        ObjectNode pos = g.putObject("6").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", prompt);
        pos.putArray("clip").add("4").add(1);
        ObjectNode neg = g.putObject("7").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "blurry");
        neg.putArray("clip").add("4").add(1);
        ObjectNode k = g.putObject("3").put("class_type", "KSampler").putObject("inputs");
        k.put("seed", seed).put("steps", 20).put("cfg", 6.0).put("sampler_name", "euler").put("scheduler", "normal").put("denoise", 1.0);
        k.putArray("model").add("4").add(0);
        k.putArray("positive").add("6").add(0);
        k.putArray("negative").add("7").add(0);
        return Json.write(root);
    }

    @Test
    void theDemosDefaultExportAndAFramesOnlyExportLoadInEverySplitWithTypedColumns() throws Exception {
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            long project = DemoData.build(h);
            Path data = DemoData.dataDir(h);
            // one more scene whose clip was drawn with a seed past int64
            long ava = DemoData.characters(h, project).get(0);
            long idle = h.app.catalog().reads().sceneTypesOf(project).get(0).id();
            Path big = data.resolve("media/ava_reyes/big seed.mp4");
            new ClipSynth(FfmpegTools.defaults()).synthesize(ClipSpec.of(160, 90, 24, 0.5)
                    .withTag("comment", comfyComment(HUGE_SEED, "ava under neon, huge seed")), big);
            long scene = h.app.catalog().create(CatalogModel.SCENES, Json.object().put("character_id", ava).put("scene_type_id", idle)
                    .put("name", "big seed").put("status", "complete")).get("id").longValue();
            long bigSegment = h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 0)
                    .put("output_video_path", data.relativize(big).toString()).put("status", "complete")).get("id").longValue();

            JsonNode d = exportAndWait(h, project, "{}");
            JsonNode frames = exportAndWait(h, project, "{\"include_videos\": false, \"splits\": {\"train\": 60, \"validation\": 20, \"test\": 20}}");
            JsonNode manifest = d.get("manifest");
            // the case that broke the loader: every split has samples, and some split knows no prompt at all
            for (String split : DatasetConfig.SPLITS) assertThat(manifest.get("splits").get(split)).as(split).isNotEmpty();
            assertThat(d.get("warnings")).isEmpty();
            List<String> promptless = new ArrayList<>();
            for (String split : DatasetConfig.SPLITS) {
                boolean any = false;
                for (JsonNode s : manifest.get("splits").get(split)) any |= !s.get("prompt").isNull();
                if (!any) promptless.add(split);
            }
            assertThat(promptless).isNotEmpty().hasSizeLessThan(3);
            // the sample of the huge seed: its exact digits in its metadata file and its row
            String bigSplit = null;
            for (String split : DatasetConfig.SPLITS) {
                for (JsonNode s : manifest.get("splits").get(split)) if (s.get("segment_id").longValue() == bigSegment) bigSplit = split;
            }
            assertThat(bigSplit).isNotNull();
            var zip = DatasetExportApiTest.unzip(Path.of(d.get("file_path").asText()));
            String row = zip.text(bigSplit + "/metadata.jsonl").lines().filter(l -> l.contains("\"segment_id\":" + bigSegment + ",")).findFirst().orElseThrow();
            assertThat(Json.parse(row).get("seed").asText()).isEqualTo(HUGE_SEED.toString());
            String card = zip.text("README.md");
            assertThat(card).startsWith("---\n").contains("dataset_info:").contains("configs:").contains("load_dataset");

            JsonNode reports = HfLoad.load(Path.of(d.get("file_path").asText()), Path.of(frames.get("file_path").asText()));
            assertLoaded(reports.get(0), manifest, expectedFeatures(true, true));
            assertLoaded(reports.get(1), frames.get("manifest"), expectedFeatures(false, true));
        }
    }

    @Test
    void aThousandSampleExportLoadsInEverySplit() throws Exception {
        try (var h = new ApiHarness(Vendor.SQLITE, dir)) {
            Path data = h.app.config().dataDir();
            Path bulk = data.resolve("media/bulk");
            Files.createDirectories(bulk);
            // 1,000 distinct one-frame clips from one ffmpeg run (the segment muxer cuts a moving test pattern)
            var r = FfmpegTools.defaults().runFfmpeg(List.of("-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=32x32:rate=10:duration=100", "-c:v", "mpeg4", "-g", "1", "-f", "segment", "-segment_time", "0.1",
                    "-reset_timestamps", "1", bulk.resolve("clip_%04d.mp4").toString()), Duration.ofMinutes(2));
            assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
            List<Path> clips;
            try (Stream<Path> files = Files.list(bulk)) {
                clips = files.sorted().toList();
            }
            assertThat(clips).hasSize(1000);

            // the catalog in SQL, batched (the services would regenerate metadata files after every row)
            long project = h.app.database().jdbi().inTransaction(t -> {
                long p = t.createQuery("INSERT INTO projects (name) VALUES ('bulk') RETURNING id").mapTo(Long.class).one();
                long type = t.createQuery("INSERT INTO scene_types (project_id, name) VALUES (:p, 'walk') RETURNING id").bind("p", p).mapTo(Long.class).one();
                long character = t.createQuery("INSERT INTO characters (project_id, name) VALUES (:p, 'Dora') RETURNING id").bind("p", p).mapTo(Long.class).one();
                List<Long> scenes = new ArrayList<>();
                for (int s = 0; s < 100; s++) {
                    scenes.add(t.createQuery("INSERT INTO scenes (character_id, scene_type_id, name, status) VALUES (:c, :t, :n, 'complete') RETURNING id")
                            .bind("c", character).bind("t", type).bind("n", "walk " + s).mapTo(Long.class).one());
                }
                var batch = t.prepareBatch("INSERT INTO segments (scene_id, sequence_index, output_video_path, status) VALUES (:s, :i, :path, :status)");
                for (int i = 0; i < 1000; i++) {
                    batch.bind("s", scenes.get(i / 10)).bind("i", i % 10).bind("path", data.relativize(clips.get(i)).toString())
                            .bind("status", i % 3 == 0 ? "approved" : "complete").add();
                }
                // the same files again (a re-imported take) and takes still generating: never extra samples
                for (int i = 0; i < 20; i++) {
                    batch.bind("s", scenes.get(99 - i)).bind("i", 10 + i).bind("path", data.relativize(clips.get(i * 7)).toString())
                            .bind("status", "complete").add();
                    batch.bind("s", scenes.get(i)).bind("i", 40 + i).bind("path", data.relativize(clips.get(i * 11)).toString())
                            .bind("status", "generating").add();
                }
                batch.execute();
                return p;
            });

            var posted = h.http.post("/api/projects/" + project + "/export-dataset", "{\"frame_images\": false}");
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
            // a deadline, not a pace: 1,000 ffprobe runs on a shared 2-core machine
            var job = h.app.jobs().awaitTerminal(posted.json().get("job_id").longValue(), Duration.ofMinutes(10));
            assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(dev.reelmark.jobs.JobStatus.COMPLETED);
            JsonNode d = h.http.get("/api/projects/" + project + "/datasets/" + posted.json().get("id").longValue()).json();
            System.out.println("1,000-sample export: " + job.result().get("seconds") + " s (select = probe + hash, package)");
            assertThat(d.get("sample_count").intValue()).isEqualTo(1000);
            JsonNode counts = d.get("manifest").get("metadata").get("split_counts");
            assertThat(counts.get("train").intValue()).isEqualTo(800);
            assertThat(counts.get("validation").intValue()).isEqualTo(100);
            assertThat(counts.get("test").intValue()).isEqualTo(100);
            Map<String, Integer> codes = new LinkedHashMap<>();
            d.get("manifest").get("metadata").get("excluded").forEach(e -> codes.merge(e.get("code").asText(), 1, Integer::sum));
            assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of("duplicate", 20, "unfinished", 20));

            JsonNode reports = HfLoad.load(Path.of(d.get("file_path").asText()));
            assertLoaded(reports.get(0), d.get("manifest"), expectedFeatures(true, false));
        }
    }
}
