package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static dev.reelmark.footage.comfy.ComfyGraphTest.fixture;
import static dev.reelmark.footage.comfy.ComfyGraphTest.vhsComment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Re-importing each ComfyUI fixture, written into a real video's comment tag with ffmpeg and into a real PNG's text
 * chunks, gives a receipt with exactly the inputs in it; bad input is refused or fails per file, writing nothing.
 */
class ComfyImportTest {
    @TempDir
    Path dir;

    /** What each fixture says (the receipt must say the same). */
    record Expect(String fixture, boolean ui, int width, int height, String prompt, String negative, String seed,
                  String sampler, String scheduler, double cfg, int steps, Integer frames, List<String> models,
                  List<String> roles, List<Object[]> loras, List<String> images) {
    }

    static final List<Expect> EXPECTED = List.of(
            new Expect("sdxl_lora_stack.json", false, 1024, 1024,
                    "portrait of Ava Reyes on a rooftop at dusk, 85mm, shallow depth of field\ncinematic, film still",
                    "lowres, blurry, extra fingers, watermark, text", "887766554433", "dpmpp_2m_sde", "karras", 6.5, 30, null,
                    List.of("sd_xl_base_1.0.safetensors"), List.of("base"),
                    List.<Object[]>of(new Object[]{"ava-likeness-sdxl.safetensors", 0.8, 0.7}, new Object[]{"film-grain-xl.safetensors", 0.35, 0.5},
                            new Object[]{"detail-tweaker-xl.safetensors", 0.5, 0.25}), List.of()),
            new Expect("wan22_i2v_high_low.json", false, 640, 640,
                    "Ava turns towards the camera and smiles, wind in her hair, slow dolly-in, golden hour",
                    "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止, overexposed, static, blurry details, subtitles",
                    "1234567890123", "euler", "simple", 1.0, 4, 81,
                    List.of("wan2.2_i2v_high_noise_14B_fp8_scaled", "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors"),
                    List.of("high_noise", "low_noise"),
                    List.<Object[]>of(new Object[]{"wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors", 1.0, null},
                            new Object[]{"wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors", 1.0, null},
                            new Object[]{"ava-likeness-wan22", 0.75, null}), List.of("ava_start_frame.png")),
            new Expect("controlnet_advanced.json", false, 512, 768, "Chloe dancing in a sunlit studio, full body, photorealistic",
                    "deformed hands, bad anatomy, cartoon", "42", "euler_ancestral", "normal", 7.0, 25, null,
                    List.of("realisticVisionV60B1_v51HyperVAE.safetensors"), List.of("base"), List.of(), List.of("pose_reference.png")),
            new Expect("rgthree_power_lora.json", false, 832, 1216, "Ava walking through a night market, neon reflections, 35mm",
                    "blurry, jpeg artifacts", "99", "dpmpp_sde", "karras", 1.5, 6, null,
                    List.of("juggernautXL_v9Rdphoto2Lightning.safetensors"), List.of("base"),
                    List.<Object[]>of(new Object[]{"ava-likeness-sdxl.safetensors", 0.9, 0.6}, new Object[]{"styles\\detail-tweaker-xl.safetensors", 1.2, 1.2}),
                    List.of()),
            new Expect("pysssss_lora.json", false, 512, 512, "Ava waves at the camera", "blurry, watermark", "424242", "dpmpp_2m",
                    "karras", 7.0, 25, null, List.of("dreamshaper_8.safetensors"), List.of("base"),
                    List.<Object[]>of(new Object[]{"ava-likeness-v1.safetensors", 0.8, 1.0}, new Object[]{"smooth-motion.safetensors", 0.45, 0.3}),
                    List.of()),
            new Expect("primitive_seed_u64.json", false, 1216, 832, "Ava in the rain on a neon street, cinematic",
                    "lowres, blurry, oversaturated", "18000000000000000001", "euler", "normal", 5.5, 28, null,
                    List.of("sd_xl_base_1.0.safetensors"), List.of("base"), List.of(), List.of()),
            new Expect("flux_sampler_custom_advanced.json", false, 1024, 1024,
                    "a close-up of Ava reading a letter by candlelight, film grain", null, "219670278747233", "euler", "simple",
                    1.0, 20, null, List.of("flux1-dev.safetensors"), List.of("base"),
                    List.<Object[]>of(new Object[]{"flux-ava-likeness.safetensors", 1.0, 0.9}), List.of()),
            new Expect("ui_workflow_sd15.json", true, 512, 768, "Ava on a ferry at sunrise, wind, soft light", "text, watermark, lowres",
                    "5318008123456", "dpmpp_2m", "karras", 7.5, 25, null, List.of("dreamshaper_8.safetensors"), List.of("base"),
                    List.<Object[]>of(new Object[]{"ava-likeness-v1.safetensors", 0.8, 0.6}), List.of()));

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void everyFixtureReimportsWithExactlyItsInputsFromAVideoCommentAndAPngTextChunk(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            CatalogService catalog = h.app.catalog();
            long scene = scene(catalog);
            // the catalog knows some of the files: by content (high-noise model), by file name (Ava's Wan LoRA); the
            // low-noise model's file is on disk but its bytes match no catalog version, so it stays unverified
            Path high = data.resolve("models/diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors");
            Files.createDirectories(high.getParent());
            Files.writeString(high, "high-noise expert weights");
            long highId = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan2.2_i2v_high_noise_14B_fp8_scaled")
                    .put("version_label", "fp8-scaled").put("checksum_sha256", ProvenanceImporter.sha256File(high))).get("id").longValue();
            Files.writeString(data.resolve("models/diffusion_models/wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors"), "retrained locally");
            catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan2.2_i2v_low_noise_14B_fp8_scaled")
                    .put("version_label", "fp8-scaled").put("checksum_sha256", "d".repeat(64)));
            long avaWan = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "ava-likeness-wan22")
                    .put("version_label", "v3").put("file_path", "loras/ava-likeness-wan22.safetensors")).get("id").longValue();
            // the Wan graph's LoadImage file, in ComfyUI's input folder, is the character's catalogued source image
            BufferedImage frame = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Path startFrame = data.resolve("input/ava_start_frame.png");
            Files.createDirectories(startFrame.getParent());
            ImageIO.write(frame, "png", startFrame.toFile());
            String startSha = ProvenanceImporter.sha256File(startFrame);

            List<String> paths = new ArrayList<>();
            Map<String, Long> segments = new LinkedHashMap<>();
            int index = 0;
            for (Expect e : EXPECTED) {
                JsonNode graph = fixture(e.fixture());
                String video = "clips/" + e.fixture().replace(".json", ".mkv");
                String comment = e.ui() ? Json.write(graph) : vhsComment(graph, fixture("ui_workflow_sd15.json"));
                Path vp = data.resolve(video);
                Files.createDirectories(vp.getParent());
                new ClipSynth().synthesize(ClipSpec.of(e.width(), e.height(), 8, 0.5).withTag("comment", comment), vp);
                segments.put(video, segment(catalog, scene, index++, video));
                paths.add(video);
                String png = "frames/" + e.fixture().replace(".json", ".png");
                Path pp = data.resolve(png);
                Files.createDirectories(pp.getParent());
                Files.write(pp, e.ui() ? png(e.width(), e.height(), "workflow", Json.write(graph))
                        : png(e.width(), e.height(), "prompt", Json.write(graph), "workflow", Json.write(fixture("ui_workflow_sd15.json"))));
                segments.put(png, segment(catalog, scene, index++, png));
                paths.add(png);
            }
            long imageId = sourceImage(catalog, startSha);

            // 16 files: more than a request imports at once, so a job with progress
            var r = h.http.post("/api/provenance/import", Json.write(Json.object().set("paths", Json.MAPPER.valueToTree(paths))));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            Job job = h.app.jobs().awaitTerminal(r.json().get("job").get("id").longValue(), Duration.ofSeconds(120));
            assertThat(job.status()).as(String.valueOf(job.result())).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result().get("imported").asInt()).as(job.result().toString()).isEqualTo(16);
            assertThat(job.result().get("failures")).isEmpty();
            assertThat(job.progressDone()).isEqualTo(16);
            assertThat(job.progressTotal()).isEqualTo(16L);

            for (Expect e : EXPECTED) {
                for (String p : List.of("clips/" + e.fixture().replace(".json", ".mkv"), "frames/" + e.fixture().replace(".json", ".png"))) {
                    JsonNode latest = h.http.get("/api/segments/" + segments.get(p) + "/provenance").json().get("latest");
                    assertReceipt(e, p, latest);
                    // the raw graph is kept with the receipt, as written
                    JsonNode kept = h.http.get("/api/receipts/" + latest.get("id").longValue() + "/comfy").json();
                    if (e.ui()) {
                        assertThat(kept.get("format").asText()).isEqualTo("ui");
                        assertThat(kept.get("prompt_graph").isNull()).isTrue();
                        assertThat(kept.get("workflow")).isEqualTo(fixture(e.fixture()));
                    } else {
                        assertThat(kept.get("format").asText()).isEqualTo("api");
                        assertThat(kept.get("prompt_graph")).isEqualTo(fixture(e.fixture()));
                        assertThat(kept.get("workflow")).isEqualTo(fixture("ui_workflow_sd15.json"));
                    }
                }
            }

            // Wan: verified and unverified models, the LoRA by file name, the LoadImage file by content
            JsonNode wanVideo = h.http.get("/api/segments/" + segments.get("clips/wan22_i2v_high_low.mkv") + "/provenance").json();
            JsonNode wan = wanVideo.get("latest");
            assertThat(wan.get("model_asset_id").longValue()).isEqualTo(highId);
            assertThat(wan.get("models").get(0).get("verified").asBoolean()).isTrue();
            assertThat(wan.get("models").get(1).get("asset_id").isNull()).isTrue();
            assertThat(wan.get("models").get(1).get("hash").asText()).hasSize(64); // the file's own hash, for the record
            assertThat(wan.get("loras").get(2).get("asset_id").longValue()).isEqualTo(avaWan);
            assertThat(wan.get("verified").asBoolean()).isFalse();
            assertThat(wan.get("source_image_id").longValue()).isEqualTo(imageId);
            assertThat(wan.get("source_files").get(0).get("sha256").asText()).isEqualTo(startSha);
            assertThat(wan.get("source_files").get(0).get("image_id").longValue()).isEqualTo(imageId);
            assertThat(wan.get("source_files").get(0).get("path").asText()).isEqualTo("input/ava_start_frame.png");
            assertThat(wan.get("additional_params").get("samplers")).hasSize(2);
            // stale until resolved: the unverified low-noise model and LoRAs are named, never claimed current
            assertThat(wanVideo.get("stale").asBoolean()).isTrue();
            List<String> reasons = new ArrayList<>();
            wanVideo.get("stale_reasons").forEach(x -> reasons.add(x.get("reason").asText() + " " + x.get("asset_type").asText() + " " + x.get("asset_name").asText()));
            assertThat(reasons).containsExactlyInAnyOrder("unverified model wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors",
                    "unverified lora wan2.2_i2v_lightx2v_4steps_lora_v1_high_noise.safetensors",
                    "unverified lora wan2.2_i2v_lightx2v_4steps_lora_v1_low_noise.safetensors");
            JsonNode report = h.http.get("/api/projects/" + project(catalog) + "/staleness-report").json();
            assertThat(report.get("total_stale_segments").asInt()).isEqualTo(16);

            // importing again changes nothing (same inputs hash), in a request
            var again = h.http.post("/api/provenance/import", "{\"paths\": [\"clips/wan22_i2v_high_low.mkv\"]}");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("items").get(0).get("status").asText()).isEqualTo("unchanged");

            // the CLI still imports
            if (vendor == Vendor.SQLITE) {
                StringWriter out = new StringWriter(), err = new StringWriter();
                int code = ProvenanceCommand.run(new PrintWriter(out), new PrintWriter(err), "import", "frames/pysssss_lora.png",
                        "--db", h.testDb.db().displayUrl(), "--data", data.toString());
                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).contains("\"status\" : \"unchanged\"");
            }
        }
    }

    private static void assertReceipt(Expect e, String path, JsonNode r) {
        String what = e.fixture() + " via " + path;
        assertThat(r.get("source").asText()).as(what).isEqualTo(path.endsWith(".png") ? "import:comfyui-png" : "import:comfyui-video-comment");
        assertThat(r.get("prompt_text").asText()).as(what).isEqualTo(e.prompt());
        if (e.negative() == null) assertThat(r.get("negative_prompt").isNull()).as(what).isTrue();
        else assertThat(r.get("negative_prompt").asText()).as(what).isEqualTo(e.negative());
        BigInteger seed = new BigInteger(e.seed());
        assertThat(r.get("seed").longValue()).as(what).isEqualTo(seed.longValue());
        if (seed.bitLength() == 64) assertThat(r.get("additional_params").get("seed_u64").asText()).as(what).isEqualTo(e.seed());
        else assertThat(r.get("additional_params").has("seed_u64")).as(what).isFalse();
        assertThat(r.get("sampler").asText()).as(what).isEqualTo(e.sampler());
        assertThat(r.get("additional_params").get("scheduler").asText()).as(what).isEqualTo(e.scheduler());
        assertThat(r.get("cfg_scale").doubleValue()).as(what).isEqualTo(e.cfg());
        assertThat(r.get("steps").intValue()).as(what).isEqualTo(e.steps());
        assertThat(r.get("resolution_width").intValue()).as(what).isEqualTo(e.width());
        assertThat(r.get("resolution_height").intValue()).as(what).isEqualTo(e.height());
        if (e.frames() == null) assertThat(r.get("additional_params").has("frames")).as(what).isFalse();
        else assertThat(r.get("additional_params").get("frames").intValue()).as(what).isEqualTo(e.frames());
        List<String> models = new ArrayList<>(), roles = new ArrayList<>();
        r.get("models").forEach(m -> {
            models.add(m.get("model_name").asText());
            roles.add(m.get("role").asText());
        });
        assertThat(models).as(what).isEqualTo(e.models());
        assertThat(roles).as(what).isEqualTo(e.roles());
        assertThat(r.get("model_name").asText()).as(what).isEqualTo(e.models().get(0));
        List<Object[]> loras = new ArrayList<>();
        r.get("loras").forEach(l -> loras.add(new Object[]{l.get("lora_name").asText(), l.get("weight").doubleValue(),
                l.get("strength_clip").isNull() ? null : l.get("strength_clip").doubleValue()}));
        assertThat(loras).as(what).containsExactlyElementsOf(e.loras());
        List<String> images = new ArrayList<>();
        r.get("source_files").forEach(f -> images.add(f.get("name").asText()));
        assertThat(images).as(what).isEqualTo(e.images());
        assertThat(r.get("has_comfy_graph").asBoolean()).as(what).isTrue();
        assertThat(r.get("workflow_hash").asText()).as(what).hasSize(64);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badInputIsRefusedOrFailsPerFileAndWritesNothing(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            CatalogService catalog = h.app.catalog();
            long scene = scene(catalog);
            TestHttp http = h.http;
            // a real file outside the media roots, directly, by ../ and through a symlink inside the data directory
            Path outside = dir.resolve("outside.png");
            Files.write(outside, png(64, 64, "prompt", Json.write(fixture("pysssss_lora.json"))));
            Files.createDirectories(data.resolve("frames"));
            Files.createSymbolicLink(data.resolve("frames/link.png"), outside);
            segment(catalog, scene, 0, outside.toString());
            segment(catalog, scene, 1, "frames/link.png");
            Files.write(data.resolve("frames/ok.png"), png(512, 512, "prompt", Json.write(fixture("pysssss_lora.json"))));
            segment(catalog, scene, 20, "frames/ok.png");
            for (String bad : List.of(outside.toString(), "../outside.png", "frames/link.png", "/etc/hostname")) {
                var r = http.post("/api/provenance/import", Json.write(Json.object().set("paths", Json.MAPPER.createArrayNode().add("frames/ok.png").add(bad))));
                assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
                assertThat(r.json().get("field").asText()).isEqualTo("paths[1]");
                assertThat(r.json().get("message").asText()).contains("outside the media roots");
            }
            var nul = http.post("/api/provenance/import", "{\"paths\": [\"frames/a\\u0000.png\"]}");
            assertThat(nul.status()).isEqualTo(400);
            assertThat(nul.json().get("field").asText()).isEqualTo("paths[0]");
            assertThat(nul.json().get("message").asText()).contains("NUL");
            var missing = http.post("/api/provenance/import", "{\"paths\": [\"frames/nope.png\"]}");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().get("message").asText()).contains("no such file");
            assertThat(http.post("/api/provenance/import", "{\"paths\": []}").status()).isEqualTo(400);
            assertThatThrownBy(() -> h.app.jobs().submit(ProvenanceImporter.IMPORT_KIND, Json.object().put("paths", "x")))
                    .hasMessageContaining("params.paths");

            // graphs that cannot be read: per-file failures in the job's result
            ObjectNode noSampler = (ObjectNode) fixture("pysssss_lora.json");
            noSampler.remove("3");
            ObjectNode cyclic = (ObjectNode) fixture("pysssss_lora.json");
            ((ObjectNode) cyclic.get("10").get("inputs")).putArray("model").add("11").add(0);
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("frames/no_sampler.png", png(512, 512, "prompt", Json.write(noSampler)));
            files.put("frames/cycle.png", png(512, 512, "prompt", Json.write(cyclic)));
            files.put("frames/huge.png", png(512, 512, "prompt", "{\"3\": {\"class_type\": \"KSampler\", \"inputs\": {\"x\": \""
                    + "a".repeat(50 * 1024 * 1024) + "\"}}}"));
            files.put("frames/not_comfy.png", png(512, 512, "Software", "GIMP"));
            files.put("frames/no_segment.png", png(512, 512, "prompt", Json.write(fixture("pysssss_lora.json"))));
            files.put("frames/good.png", png(512, 512, "prompt", Json.write(fixture("pysssss_lora.json"))));
            List<String> paths = new ArrayList<>();
            int i = 2;
            for (var f : files.entrySet()) {
                Files.write(data.resolve(f.getKey()), f.getValue());
                if (!f.getKey().contains("no_segment")) segment(catalog, scene, i++, f.getKey());
                paths.add(f.getKey());
            }
            // a video whose graph has no sampler, in its comment tag
            Path noSamplerVideo = data.resolve("clips/no_sampler.mkv");
            Files.createDirectories(noSamplerVideo.getParent());
            new ClipSynth().synthesize(ClipSpec.of(64, 64, 4, 0.5).withTag("comment", vhsComment(noSampler, null)), noSamplerVideo);
            segment(catalog, scene, i, "clips/no_sampler.mkv");
            paths.add("clips/no_sampler.mkv");
            long before = receipts(h);

            var r = http.post("/api/provenance/import", Json.write(Json.object().set("paths", Json.MAPPER.valueToTree(paths))));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            Job job = h.app.jobs().awaitTerminal(r.json().get("job").get("id").longValue(), Duration.ofSeconds(120));
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            JsonNode result = job.result();
            assertThat(result.get("imported").asInt()).as(result.toString()).isEqualTo(1);
            assertThat(result.get("failed").asInt()).isEqualTo(6);
            Map<String, String> why = new LinkedHashMap<>();
            result.get("failures").forEach(f -> why.put(f.get("path").asText(), f.get("message").asText()));
            assertThat(why.get("frames/no_sampler.png")).contains("no sampler node");
            assertThat(why.get("frames/cycle.png")).contains("cycle").contains("10 (LoraLoader|pysssss)");
            assertThat(why.get("frames/huge.png")).contains("at most 16 MiB");
            assertThat(why.get("frames/not_comfy.png")).contains("not a ComfyUI image");
            assertThat(why.get("frames/no_segment.png")).contains("no segment has output_video_path");
            assertThat(why.get("clips/no_sampler.mkv")).contains("no sampler node");
            // only the good file wrote anything: one receipt, one graph, its LoRA and model rows
            assertThat(receipts(h)).isEqualTo(before + 1);
            long graphs = h.app.database().jdbi().withHandle(x -> x.createQuery("SELECT count(*) FROM receipt_comfy_graphs").mapTo(Long.class).one());
            assertThat(graphs).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void theNewReceiptRowsAreWriteOnce(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            long scene = scene(h.app.catalog());
            Files.createDirectories(data.resolve("frames"));
            Files.write(data.resolve("frames/wan.png"), png(640, 640, "prompt", Json.write(fixture("wan22_i2v_high_low.json"))));
            long seg = segment(h.app.catalog(), scene, 0, "frames/wan.png");
            var r = h.http.post("/api/provenance/import", "{\"paths\": [\"frames/wan.png\"]}");
            long receipt = r.json().get("items").get(0).get("receipt_id").longValue();
            var jdbi = h.app.database().jdbi();
            List<String> statements = new ArrayList<>(List.of(
                    "UPDATE receipt_models SET model_name = 'forged' WHERE receipt_id = " + receipt,
                    "DELETE FROM receipt_models WHERE receipt_id = " + receipt,
                    "INSERT INTO receipt_models (receipt_id, segment_id, position, model_name) VALUES (" + receipt + ", " + seg + ", 2, 'extra')",
                    "UPDATE receipt_source_files SET sha256 = 'x' WHERE receipt_id = " + receipt,
                    "DELETE FROM receipt_source_files WHERE receipt_id = " + receipt,
                    "INSERT INTO receipt_source_files (receipt_id, position, name) VALUES (" + receipt + ", 1, 'extra.png')",
                    "UPDATE receipt_comfy_graphs SET format = 'ui' WHERE receipt_id = " + receipt,
                    "DELETE FROM receipt_comfy_graphs WHERE receipt_id = " + receipt,
                    "UPDATE receipt_loras SET strength_clip = 0.1 WHERE receipt_id = " + receipt));
            if (vendor == Vendor.SQLITE) {
                statements.add("INSERT OR REPLACE INTO receipt_models (receipt_id, segment_id, position, model_name) VALUES (" + receipt + ", " + seg + ", 1, 'swapped')");
                statements.add("REPLACE INTO receipt_comfy_graphs (receipt_id, format, prompt_graph) VALUES (" + receipt + ", 'api', '{}')");
            } else {
                statements.add("TRUNCATE receipt_models");
                statements.add("TRUNCATE receipt_comfy_graphs");
            }
            for (String sql : statements) {
                assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute(sql))).as(sql).hasMessageContaining("immutable");
            }
            JsonNode latest = h.http.get("/api/segments/" + seg + "/provenance").json().get("latest");
            assertThat(latest.get("models")).hasSize(2);
            assertThat(latest.get("models").get(1).get("model_name").asText()).isEqualTo("wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors");
            assertThat(latest.get("source_files")).hasSize(1);
            // a receipt recorded through the API cannot be given models, files or a graph afterwards
            long model = h.app.catalog().create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "m").put("version_label", "v1")).get("id").longValue();
            var created = h.http.post("/api/segments/" + seg + "/receipts", Json.write(Json.object().put("model_asset_id", model)
                    .put("prompt_text", "p").put("cfg_scale", 5).put("seed", 1).put("resolution_width", 64).put("resolution_height", 64)
                    .put("steps", 10).put("sampler", "euler")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            var reserved = h.http.post("/api/segments/" + seg + "/receipts", Json.write(Json.object().put("model_asset_id", model)
                    .put("prompt_text", "p").put("cfg_scale", 5).put("seed", 1).put("resolution_width", 64).put("resolution_height", 64)
                    .put("steps", 10).put("sampler", "euler").set("additional_params", Json.object().put("model_count", 3))));
            assertThat(reserved.status()).isEqualTo(400);
            assertThat(reserved.json().get("field").asText()).isEqualTo("additional_params.model_count");
            long api = created.json().get("id").longValue();
            assertThat(created.json().get("models")).hasSize(1);
            assertThat(created.json().get("has_comfy_graph").asBoolean()).isFalse();
            assertThat(h.http.get("/api/receipts/" + api + "/comfy").status()).isEqualTo(404);
            for (String sql : List.of(
                    "INSERT INTO receipt_models (receipt_id, segment_id, position, model_name) VALUES (" + api + ", " + seg + ", 0, 'late')",
                    "INSERT INTO receipt_source_files (receipt_id, position, name) VALUES (" + api + ", 0, 'late.png')",
                    "INSERT INTO receipt_comfy_graphs (receipt_id, format, prompt_graph) VALUES (" + api + ", 'api', '{}')")) {
                assertThatThrownBy(() -> jdbi.useHandle(x -> x.execute(sql))).as(sql).hasMessageContaining("immutable");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long receipts(ApiHarness h) {
        return h.app.database().jdbi().withHandle(x -> x.createQuery("SELECT count(*) FROM generation_receipts").mapTo(Long.class).one());
    }

    private static long project(CatalogService catalog) {
        return catalog.list(CatalogModel.PROJECTS, Map.of(), 10, null).items().get(0).get("id").longValue();
    }

    private static long scene(CatalogService catalog) {
        long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "Comfy")).get("id").longValue();
        long ch = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")).get("id").longValue();
        long st = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "shot")).get("id").longValue();
        return catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s")).get("id").longValue();
    }

    private static long segment(CatalogService catalog, long scene, int index, String path) {
        return catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", index)
                .put("output_video_path", path)).get("id").longValue();
    }

    private static long sourceImage(CatalogService catalog, String sha) {
        long ch = catalog.list(CatalogModel.CHARACTERS, Map.of(), 10, null).items().get(0).get("id").longValue();
        return catalog.create(CatalogModel.IMAGES, Json.object().put("character_id", ch).put("image_type", "source")
                .put("filename", "ava_start_frame.png").put("path", "input/ava_start_frame.png").put("content_hash", sha)).get("id").longValue();
    }

    /** A real PNG (ImageIO) with tEXt chunks inserted after IHDR, as ComfyUI's SaveImage writes them. */
    static byte[] png(int w, int h, String... keyValues) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", img);
        byte[] raw = img.toByteArray();
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(raw, 0, afterIhdr);
        for (int i = 0; i < keyValues.length; i += 2) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.write(keyValues[i].getBytes(StandardCharsets.ISO_8859_1));
            t.write(0);
            // ComfyUI's json.dumps escapes everything outside ASCII, so the Latin-1 tEXt chunk holds any prompt
            StringBuilder v = new StringBuilder();
            for (char c : keyValues[i + 1].toCharArray()) {
                if (c < 0x80) v.append(c); else v.append(String.format("\\u%04x", (int) c));
            }
            t.write(v.toString().getBytes(StandardCharsets.ISO_8859_1));
            DataOutputStream d = new DataOutputStream(out);
            byte[] data = t.toByteArray();
            d.writeInt(data.length);
            d.write("tEXt".getBytes(StandardCharsets.ISO_8859_1));
            d.write(data);
            CRC32 crc = new CRC32();
            crc.update("tEXt".getBytes(StandardCharsets.ISO_8859_1));
            crc.update(data);
            d.writeInt((int) crc.getValue());
        }
        out.write(raw, afterIhdr, raw.length - afterIhdr);
        return out.toByteArray();
    }

    @SuppressWarnings("unused")
    private static ArrayNode arr(String... s) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (String x : s) a.add(x);
        return a;
    }
}
