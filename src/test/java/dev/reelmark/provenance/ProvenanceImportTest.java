package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobService;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.testing.TestDatabases;
import dev.reelmark.testing.TestHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** Importing receipts from real ComfyUI-shaped output: a video with the prompt JSON in its comment tag, and a PNG. */
class ProvenanceImportTest {
    @TempDir
    Path dir;
    private TestDatabases.TestDb tdb;
    private Javalin server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.stop();
        if (tdb != null) tdb.close();
    }

    /** ComfyUI's API-format prompt, with the KSampler wired to its text encoders (as ComfyUI writes it). */
    static ObjectNode comfyPrompt(String ckpt, long seed) {
        ObjectNode p = Json.object();
        p.putObject("4").put("class_type", "CheckpointLoaderSimple").putObject("inputs").put("ckpt_name", ckpt);
        ObjectNode l1 = p.putObject("10").put("class_type", "LoraLoader").putObject("inputs");
        l1.put("lora_name", "smooth-motion.safetensors").put("strength_model", 0.45).put("strength_clip", 1.0);
        l1.putArray("model").add("4").add(0);
        ObjectNode l2 = p.putObject("11").put("class_type", "LoraLoader").putObject("inputs");
        l2.put("lora_name", "ava-likeness-v1.safetensors").put("strength_model", 0.8).put("strength_clip", 0.8);
        l2.putArray("model").add("10").add(0);
        // node 6 is the NEGATIVE one on purpose: the importer must follow the links, not node order
        p.putObject("6").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "blurry, watermark");
        p.putObject("7").put("class_type", "CLIPTextEncode").putObject("inputs").put("text", "Ava waves at the camera");
        ObjectNode latent = p.putObject("5").put("class_type", "EmptyLatentImage").putObject("inputs");
        latent.put("width", 832).put("height", 480).put("batch_size", 1);
        ObjectNode ks = p.putObject("3").put("class_type", "KSampler").putObject("inputs");
        ks.put("seed", seed).put("steps", 25).put("cfg", 7.0).put("sampler_name", "dpmpp_2m").put("scheduler", "karras").put("denoise", 1.0);
        ks.putArray("positive").add("7").add(0);
        ks.putArray("negative").add("6").add(0);
        ks.putArray("model").add("11").add(0);
        return p;
    }

    static byte[] pngWithText(int w, int h, String... keyValues) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[]{8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        for (int i = 0; i < keyValues.length; i += 2) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.write(keyValues[i].getBytes(StandardCharsets.ISO_8859_1));
            t.write(0);
            t.write(keyValues[i + 1].getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "tEXt", t.toByteArray());
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    @Test
    void pngTextChunksAreReadWithPlainJavaIo() throws IOException {
        byte[] png = pngWithText(64, 32, "prompt", "{\"a\":1}", "workflow", "{\"nodes\":[]}");
        PngText.Result r = PngText.read(new java.io.ByteArrayInputStream(png));
        assertThat(r.width()).isEqualTo(64);
        assertThat(r.height()).isEqualTo(32);
        assertThat(r.text()).containsEntry("prompt", "{\"a\":1}").containsEntry("workflow", "{\"nodes\":[]}");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void importsReceiptsFromAVideoCommentAndAPngAndMatchesAssetsByFileName(Vendor vendor) throws Exception {
        tdb = TestDatabases.fresh(vendor, dir);
        CatalogService catalog = new CatalogService(tdb.db());
        ProvenanceService provenance = new ProvenanceService(tdb.db(), catalog, new JobService(tdb.db()));
        ApiRouter router = new ApiRouter();
        new ProvenanceRoutes(provenance, new ProvenanceImporter(provenance, dir, MediaProbe::new)).register(router);
        server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        TestHttp http = new TestHttp(server.port());

        // catalog: the model's file is on disk (v1 content), so the importer hashes it and picks v1 although v2 is current
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/wan2.2-i2v-14b.safetensors"), "weights v1");
        String v1Hash = ProvenanceImporter.sha256File(dir.resolve("assets/wan2.2-i2v-14b.safetensors"));
        long m1 = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan2.2-i2v-14b")
                .put("version_label", "2.2.0").put("checksum_sha256", v1Hash)).get("id").longValue();
        long m2 = catalog.createVersion(CatalogModel.ASSETS, m1, Json.object().put("version_label", "2.2.1").put("checksum_sha256", "b".repeat(64))).get("id").longValue();
        long motion = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "smooth-motion").put("version_label", "v2")).get("id").longValue();
        long likeness = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "ava-likeness").put("version_label", "v1")
                .put("file_path", "assets/ava-likeness-v1.safetensors").put("checksum_sha256", "c".repeat(64))).get("id").longValue();
        long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "P")).get("id").longValue();
        long ch = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")).get("id").longValue();
        long st = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        long scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s")).get("id").longValue();
        long videoSeg = catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 0)
                .put("output_video_path", "clips/seg0.mp4")).get("id").longValue();
        long pngSeg = catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 1)
                .put("output_video_path", dir.resolve("frames/seg1.png").toString())).get("id").longValue();

        // VideoHelperSuite: {"prompt": {...}, "workflow": {...}} in the comment tag
        ObjectNode comment = Json.object();
        comment.set("prompt", comfyPrompt("wan2.2-i2v-14b.safetensors", 424242L));
        comment.putObject("workflow").put("last_node_id", 11).putArray("nodes").addObject().put("id", 3).put("type", "KSampler");
        Path video = dir.resolve("clips/seg0.mp4");
        Files.createDirectories(video.getParent());
        new ClipSynth().synthesize(ClipSpec.of(320, 240, 10, 1.0).withTag("comment", Json.write(comment)), video);
        // ComfyUI's SaveImage: the prompt and workflow as JSON strings in tEXt chunks
        Path png = dir.resolve("frames/seg1.png");
        Files.createDirectories(png.getParent());
        ObjectNode pngPrompt = comfyPrompt("wan2.2-i2v-14b.safetensors", 7L);
        // ComfyUI seeds are unsigned 64-bit
        ((ObjectNode) pngPrompt.get("3").get("inputs")).put("seed", new java.math.BigInteger("18446744073709551615"));
        Files.write(png, pngWithText(832, 480, "prompt", Json.write(pngPrompt),
                "workflow", "{\"last_node_id\":11,\"nodes\":[]}"));

        var bad = http.post("/api/provenance/import", "{\"paths\": [\"clips/seg0.mp4\", \"nope.mp4\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("paths[1]");

        var r = http.post("/api/provenance/import", "{\"paths\": [\"clips/seg0.mp4\", \"" + png + "\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("imported").asInt()).as(r.body()).isEqualTo(2);

        JsonNode v = http.get("/api/segments/" + videoSeg + "/provenance").json().get("latest");
        assertThat(v.get("source").asText()).isEqualTo("import:comfyui-video-comment");
        assertThat(v.get("prompt_text").asText()).isEqualTo("Ava waves at the camera");
        assertThat(v.get("negative_prompt").asText()).isEqualTo("blurry, watermark");
        assertThat(v.get("seed").longValue()).isEqualTo(424242L);
        assertThat(v.get("steps").intValue()).isEqualTo(25);
        assertThat(v.get("cfg_scale").doubleValue()).isEqualTo(7.0);
        assertThat(v.get("sampler").asText()).isEqualTo("dpmpp_2m");
        assertThat(v.get("resolution_width").intValue()).isEqualTo(320); // from the probe
        assertThat(v.get("model_asset_id").longValue()).isEqualTo(m1);   // by the file's hash, not "current"
        assertThat(v.get("model_hash").asText()).isEqualTo(v1Hash);
        assertThat(v.get("workflow_hash").asText()).hasSize(64);
        assertThat(v.get("additional_params").get("scheduler").asText()).isEqualTo("karras");
        assertThat(v.get("loras")).hasSize(2);
        // smooth-motion's file is nowhere and no catalog version has its file name: unverified, never "current"
        assertThat(v.get("loras").get(0).get("asset_id").isNull()).isTrue();
        assertThat(v.get("loras").get(0).get("verified").asBoolean()).isFalse();
        assertThat(v.get("loras").get(0).get("lora_name").asText()).isEqualTo("smooth-motion.safetensors");
        assertThat(v.get("loras").get(0).get("weight").doubleValue()).isEqualTo(0.45);
        assertThat(v.get("loras").get(0).get("strength_clip").doubleValue()).isEqualTo(1.0);
        assertThat(v.get("loras").get(1).get("asset_id").longValue()).isEqualTo(likeness); // by its file_path's file name
        assertThat(v.get("loras").get(1).get("weight").doubleValue()).isEqualTo(0.8);
        assertThat(v.get("loras").get(1).get("strength_clip").doubleValue()).isEqualTo(0.8);
        assertThat(motion).isPositive();

        JsonNode p = http.get("/api/segments/" + pngSeg + "/provenance").json().get("latest");
        assertThat(p.get("source").asText()).isEqualTo("import:comfyui-png");
        assertThat(p.get("seed").longValue()).isEqualTo(-1L); // the same 64 bits
        assertThat(p.get("additional_params").get("seed_u64").asText()).isEqualTo("18446744073709551615");
        assertThat(p.get("resolution_width").intValue()).isEqualTo(832);

        // the imported model version is not current any more → the segment is stale; so is the unverified LoRA
        JsonNode report = http.get("/api/projects/" + project + "/staleness-report").json();
        List<String> messages = new java.util.ArrayList<>();
        report.get("by_asset").forEach(g -> messages.add(g.get("message").asText()));
        assertThat(messages).containsExactlyInAnyOrder("2 segments across 1 scene used wan2.2-i2v-14b 2.2.0 — you are on 2.2.1",
                "2 segments across 1 scene used lora smooth-motion.safetensors — unverified: no catalog version matches its file name or file hash");
        assertThat(m2).isPositive();

        // importing the same file again changes nothing
        var again = http.post("/api/provenance/import", "{\"paths\": [\"clips/seg0.mp4\"]}").json();
        assertThat(again.get("items").get(0).get("status").asText()).isEqualTo("unchanged");

        // the CLI, on the same database
        if (vendor == Vendor.SQLITE) {
            String url = tdb.db().displayUrl();
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = ProvenanceCommand.run(new PrintWriter(out), new PrintWriter(err), "report", String.valueOf(project), "--db", url, "--data", dir.toString());
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("2 segments across 1 scene used wan2.2-i2v-14b 2.2.0 — you are on 2.2.1");
            code = ProvenanceCommand.run(new PrintWriter(out), new PrintWriter(err = new StringWriter()), "show", "-3", "--db", url);
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("SEGMENT_ID");
            code = ProvenanceCommand.run(new PrintWriter(out), new PrintWriter(err = new StringWriter()), "import", "missing.mp4", "--db", url, "--data", dir.toString());
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("paths[0]");
        }
    }
}
