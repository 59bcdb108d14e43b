package dev.reelmark.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.ScratchDatabase;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.provenance.ProvenanceImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;

/**
 * {@code reelmark bench provenance-import}: a Wan 2.2 image-to-video graph (two UNETLoaders, two KSamplerAdvanced,
 * three LoRAs, WanImageToVideo, LoadImage) in the comment tag of real MKV clips made with ffmpeg and in the text chunks
 * of real PNGs, each file with its own seed and segment; model and LoRA files on disk (hashed once per import) and in
 * the catalog. Then the real {@code provenance.import} job over the videos and over the PNGs, timed wall-clock.
 */
@Command(name = "provenance-import", description = "Import N ComfyUI outputs (videos with the graph in their comment, PNGs) "
        + "through the provenance.import job on a fresh database and print files/s.")
final class ImportBench implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--files", defaultValue = "1000", description = "Files to import (default ${DEFAULT-VALUE})")
    int files;

    @Option(names = "--videos", defaultValue = "100", description = "How many of them are MKV clips made with ffmpeg; the rest are PNGs (default ${DEFAULT-VALUE})")
    int videos;

    @Override
    public Integer call() throws Exception {
        if (files < 1 || files > ProvenanceImporter.MAX_PATHS) throw new IllegalArgumentException("--files must be from 1 to " + ProvenanceImporter.MAX_PATHS);
        if (videos < 0 || videos > files) throw new IllegalArgumentException("--videos must be from 0 to --files");
        AppConfig base = common.config(0);
        try (ScratchDatabase db = ScratchDatabase.open(base.dbUrl(), "reelmark_bench_import");
             Reelmark app = Reelmark.open(new AppConfig(db.dir().resolve("data"), db.url(), base.ffmpeg(), base.ffprobe(), 1))) {
            Path data = app.config().dataDir();
            CatalogService catalog = app.catalog();
            long t0 = System.nanoTime();
            for (String[] f : new String[][]{{"model", "models/diffusion_models/wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors"},
                    {"model", "models/diffusion_models/wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors"},
                    {"lora", "models/loras/lightx2v_high.safetensors"}, {"lora", "models/loras/lightx2v_low.safetensors"},
                    {"lora", "models/loras/ava-likeness-wan22.safetensors"}}) {
                Path p = data.resolve(f[1]);
                Files.createDirectories(p.getParent());
                byte[] weights = new byte[8 << 20];
                new java.util.Random(f[1].hashCode()).nextBytes(weights);
                Files.write(p, weights);
                String name = p.getFileName().toString().replace(".safetensors", "");
                catalog.create(CatalogModel.ASSETS, Json.object().put("kind", f[0]).put("name", name).put("version_label", "v1")
                        .put("checksum_sha256", sha256(p)));
            }
            Path start = data.resolve("input/ava_start_frame.png");
            Files.createDirectories(start.getParent());
            ImageIO.write(new BufferedImage(640, 640, BufferedImage.TYPE_INT_RGB), "png", start.toFile());
            long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "bench-import")).get("id").longValue();
            long ch = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")).get("id").longValue();
            long st = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "shot")).get("id").longValue();
            List<String> videoPaths = new ArrayList<>(), pngPaths = new ArrayList<>();
            ClipSynth synth = new ClipSynth(app.ffmpegTools());
            long scene = 0;
            for (int i = 0; i < files; i++) {
                if (i % 10 == 0) {
                    scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st)
                            .put("name", "s" + i)).get("id").longValue();
                }
                ObjectNode prompt = wanGraph(1_000_000L + i);
                String rel;
                if (i < videos) {
                    rel = "clips/shot_" + i + ".mkv";
                    ObjectNode comment = Json.object().put("prompt", Json.write(prompt));
                    synth.synthesize(ClipSpec.of(320, 320, 8, 0.5).withTag("comment", Json.write(comment)), data.resolve(rel));
                    videoPaths.add(rel);
                } else {
                    rel = "frames/shot_" + i + ".png";
                    Files.createDirectories(data.resolve("frames"));
                    Files.write(data.resolve(rel), png(640, 640, "prompt", Json.write(prompt)));
                    pngPaths.add(rel);
                }
                catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i % 10).put("output_video_path", rel));
            }
            System.out.printf(Locale.ROOT, "%s: %d files (%d MKV clips made with ffmpeg, %d PNGs), 5 model/LoRA files of 8 MiB, set up in %.1f s%n",
                    db.label(), files, videoPaths.size(), pngPaths.size(), (System.nanoTime() - t0) / 1e9);
            if (!videoPaths.isEmpty()) time(app, videoPaths, "videos (ffprobe per file)");
            if (!pngPaths.isEmpty()) time(app, pngPaths, "PNGs (Java text-chunk reader)");
            List<String> all = new ArrayList<>(videoPaths);
            all.addAll(pngPaths);
            time(app, all, "all again (every file 'unchanged')");
        }
        return 0;
    }

    private static void time(Reelmark app, List<String> paths, String label) throws InterruptedException {
        long t0 = System.nanoTime();
        ProvenanceImporter.Submitted s = app.provenanceImporter().submit(paths);
        Job job;
        if (s.queued()) {
            job = app.jobs().awaitTerminal(s.body().get("job").get("id").longValue(), Duration.ofHours(2));
        } else {
            job = null;
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        String outcome = job == null ? s.body().get("imported").asInt() + " imported"
                : job.status() + ": " + job.result().path("imported").asInt() + " imported, " + job.result().path("unchanged").asInt()
                + " unchanged, " + job.result().path("failed").asInt() + " failed";
        System.out.printf(Locale.ROOT, "  %-38s %5d files in %7.2f s = %7.1f files/s (%s)%n", label, paths.size(), sec, paths.size() / sec, outcome);
        if (job != null && job.result().path("failed").asInt() > 0) System.out.println("    first failure: " + job.result().get("failures").get(0));
    }

    /** The Wan 2.2 image-to-video graph ComfyUI's template writes (API format), with a given seed. */
    static ObjectNode wanGraph(long seed) {
        ObjectNode g = Json.object();
        node(g, "37", "UNETLoader").put("unet_name", "wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors").put("weight_dtype", "default");
        node(g, "56", "UNETLoader").put("unet_name", "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors").put("weight_dtype", "default");
        node(g, "38", "CLIPLoader").put("clip_name", "umt5_xxl_fp8_e4m3fn_scaled.safetensors").put("type", "wan").put("device", "default");
        node(g, "39", "VAELoader").put("vae_name", "wan_2.1_vae.safetensors");
        link(node(g, "91", "LoraLoaderModelOnly").put("lora_name", "lightx2v_high.safetensors").put("strength_model", 1.0), "model", "37", 0);
        link(node(g, "92", "LoraLoaderModelOnly").put("lora_name", "lightx2v_low.safetensors").put("strength_model", 1.0), "model", "56", 0);
        link(node(g, "93", "LoraLoaderModelOnly").put("lora_name", "ava-likeness-wan22.safetensors").put("strength_model", 0.75), "model", "92", 0);
        link(node(g, "54", "ModelSamplingSD3").put("shift", 8.0), "model", "91", 0);
        link(node(g, "55", "ModelSamplingSD3").put("shift", 8.0), "model", "93", 0);
        link(node(g, "6", "CLIPTextEncode").put("text", "Ava turns towards the camera and smiles, golden hour"), "clip", "38", 0);
        link(node(g, "7", "CLIPTextEncode").put("text", "overexposed, static, blurry details, subtitles"), "clip", "38", 0);
        node(g, "52", "LoadImage").put("image", "ava_start_frame.png").put("upload", "image");
        ObjectNode i2v = node(g, "50", "WanImageToVideo").put("width", 640).put("height", 640).put("length", 81).put("batch_size", 1);
        link(i2v, "positive", "6", 0);
        link(i2v, "negative", "7", 0);
        link(i2v, "vae", "39", 0);
        link(i2v, "start_image", "52", 0);
        ObjectNode hi = node(g, "57", "KSamplerAdvanced").put("add_noise", "enable").put("noise_seed", seed).put("steps", 4).put("cfg", 1)
                .put("sampler_name", "euler").put("scheduler", "simple").put("start_at_step", 0).put("end_at_step", 2)
                .put("return_with_leftover_noise", "enable");
        link(hi, "model", "54", 0);
        link(hi, "positive", "50", 0);
        link(hi, "negative", "50", 1);
        link(hi, "latent_image", "50", 2);
        ObjectNode lo = node(g, "58", "KSamplerAdvanced").put("add_noise", "disable").put("noise_seed", 0).put("steps", 4).put("cfg", 1)
                .put("sampler_name", "euler").put("scheduler", "simple").put("start_at_step", 2).put("end_at_step", 10000)
                .put("return_with_leftover_noise", "disable");
        link(lo, "model", "55", 0);
        link(lo, "positive", "50", 0);
        link(lo, "negative", "50", 1);
        link(lo, "latent_image", "57", 0);
        link(link(node(g, "8", "VAEDecode"), "samples", "58", 0), "vae", "39", 0);
        return g;
    }

    private static ObjectNode node(ObjectNode g, String id, String type) {
        ObjectNode n = g.putObject(id).put("class_type", type);
        return n.putObject("inputs");
    }

    private static ObjectNode link(ObjectNode inputs, String name, String from, int slot) {
        ArrayNode a = inputs.putArray(name);
        a.add(from).add(slot);
        return inputs;
    }

    private static String sha256(Path p) throws IOException {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real PNG with tEXt chunks after IHDR, as ComfyUI's SaveImage writes them. */
    static byte[] png(int w, int h, String... keyValues) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", img);
        byte[] raw = img.toByteArray();
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(raw, 0, afterIhdr);
        DataOutputStream d = new DataOutputStream(out);
        for (int i = 0; i < keyValues.length; i += 2) {
            byte[] data = (keyValues[i] + "\u0000" + keyValues[i + 1]).getBytes(StandardCharsets.ISO_8859_1);
            d.writeInt(data.length);
            byte[] type = "tEXt".getBytes(StandardCharsets.ISO_8859_1);
            d.write(type);
            d.write(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            d.writeInt((int) crc.getValue());
        }
        out.write(raw, afterIhdr, raw.length - afterIhdr);
        return out.toByteArray();
    }
}
