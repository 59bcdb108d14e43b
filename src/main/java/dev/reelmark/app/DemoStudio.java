package dev.reelmark.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.json.Json;
import dev.reelmark.provenance.ProvenanceService;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaException;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Builds a small but realistic studio: one project, three characters with source images, two scene types, six
 * scenes of 2–3 segments whose videos are real clips made by ffmpeg (several sizes, codecs and containers, one
 * with extra audio and subtitle streams, one carrying ComfyUI's prompt/workflow JSON in its comment), versioned
 * assets, and quality data with some of it missing on purpose. Running it again re-creates missing files only.
 */
public final class DemoStudio {
    public static final String PROJECT_NAME = "Demo Studio: Night Shift";
    private static final Duration FFMPEG_TIMEOUT = Duration.ofSeconds(120);

    private final CatalogService catalog;
    private final Path dataDir;
    private final FfmpegTools tools;
    private final ClipSynth synth;
    private final MediaProbe probe;

    public DemoStudio(CatalogService catalog, Path dataDir, FfmpegTools tools) {
        this.catalog = catalog;
        this.dataDir = dataDir;
        this.tools = tools;
        this.synth = new ClipSynth(tools);
        this.probe = new MediaProbe(tools);
    }

    /**
     * @param ffmpeg the build that made the clips ({@link FfmpegTools#describe()})
     * @param codecs the video codecs of the demo's clips (ffprobe's names), each with the encoder that made it
     */
    public record Summary(long projectId, boolean created, int characters, int scenes, int segments, int clipsWritten,
                          int assets, int segmentsWithQuality, int frameMetrics, String ffmpeg,
                          Map<String, String> codecs) {
    }

    record CharacterPlan(String name, String description, List<String> tags, String height, String build, String hair,
                         String eyes, Map<String, Object> customFields, ClipSpec.Pattern imagePattern) {
    }

    /** {@code comfy}: the clip carries ComfyUI's graph in its comment, written once its segment (and so its seed) exists. */
    record ClipPlan(String relativePath, ClipSpec spec, boolean comfy) {
    }

    static final List<CharacterPlan> CHARACTERS = List.of(
            new CharacterPlan("Ava Reyes", "Lead dancer of the night shift crew.", List.of("lead", "dancer"),
                    "170 cm", "athletic", "black", "brown", Map.of("voice", "alto", "wardrobe", "red jacket"),
                    ClipSpec.Pattern.TESTSRC2),
            new CharacterPlan("Bruno Okafor", "Security guard who hums while on patrol.", List.of("supporting"),
                    "188 cm", "broad", "shaved", "hazel", null, ClipSpec.Pattern.SMPTEBARS),
            new CharacterPlan("Chloé Martin", "Barista; appears in the café scenes.", List.of("supporting", "café"),
                    null, "slim", "auburn", "green", Map.of("accent", "Québécois"), ClipSpec.Pattern.MANDELBROT));

    static final List<String> SCENE_TYPES = List.of("idle", "dance");

    /**
     * Clip i of the demo: sizes, codecs and containers vary so later features meet real-world variety. The codecs
     * are H.264 (libx264 or libopenh264, whichever this ffmpeg has: a build with neither is refused, naming them),
     * MPEG-4 Part 2 and Motion JPEG.
     */
    ClipSpec clipFor(int characterIndex, int sceneIndex, int segmentIndex) {
        int variant = (characterIndex * 5 + sceneIndex * 3 + segmentIndex) % 4;
        ClipSpec spec = switch (variant) {
            case 0 -> ClipSpec.of(320, 180, 24, 1.0).withVideoCodec(synth.requireEncoderFor("mpeg4"));
            case 1 -> ClipSpec.of(640, 360, 30, 1.0).withVideoCodec(synth.requireEncoderFor("mpeg4"));
            case 2 -> ClipSpec.of(256, 256, 25, 1.2).withVideoCodec(synth.requireEncoderFor("mjpeg"));
            default -> ClipSpec.of(480, 270, 24, 1.0).withVideoCodec(synth.requireEncoderFor("h264"));
        };
        return spec.withPattern(CHARACTERS.get(characterIndex).imagePattern())
                .withTag("title", CHARACTERS.get(characterIndex).name() + " — " + SCENE_TYPES.get(sceneIndex) + " #" + segmentIndex);
    }

    static String containerFor(int characterIndex, int sceneIndex, int segmentIndex) {
        return switch ((characterIndex + sceneIndex + segmentIndex) % 3) {
            case 0 -> "mp4";
            case 1 -> "mkv";
            default -> "mov";
        };
    }

    static int segmentCount(int characterIndex, int sceneIndex) {
        return 2 + (characterIndex + sceneIndex) % 2;
    }

    /**
     * The ComfyUI-shaped JSON VideoHelperSuite writes into a video's comment tag: the same generation as the demo
     * receipt of that segment (prompt, negative prompt, seed, model, LoRAs and their strengths, sampler), linked the
     * way ComfyUI links its nodes.
     */
    static String comfyComment(String characterName, long segmentId) {
        ObjectNode root = Json.object();
        ObjectNode prompt = root.putObject("prompt");
        prompt.putObject("4").put("class_type", "CheckpointLoaderSimple").putObject("inputs").put("ckpt_name", "wan2.2-i2v-14b.safetensors");
        ObjectNode lora = prompt.putObject("10").put("class_type", "LoraLoader").putObject("inputs");
        lora.put("lora_name", "chloe-likeness.safetensors").put("strength_model", 0.8).put("strength_clip", 0.8);
        lora.putArray("model").add("4").add(0);
        lora.putArray("clip").add("4").add(1);
        ObjectNode motion = prompt.putObject("11").put("class_type", "LoraLoader").putObject("inputs");
        motion.put("lora_name", "smooth-motion.safetensors").put("strength_model", 0.45).put("strength_clip", 0.45);
        motion.putArray("model").add("10").add(0);
        motion.putArray("clip").add("10").add(1);
        ObjectNode pos = prompt.putObject("6").put("class_type", "CLIPTextEncode").putObject("inputs")
                .put("text", ProvenanceService.demoPrompt(characterName));
        pos.putArray("clip").add("11").add(1);
        ObjectNode neg = prompt.putObject("7").put("class_type", "CLIPTextEncode").putObject("inputs")
                .put("text", ProvenanceService.DEMO_NEGATIVE_PROMPT);
        neg.putArray("clip").add("11").add(1);
        prompt.putObject("5").put("class_type", "EmptyLatentImage").putObject("inputs").put("width", 832).put("height", 480).put("batch_size", 1);
        ObjectNode sampler = prompt.putObject("3").put("class_type", "KSampler").putObject("inputs");
        sampler.put("seed", ProvenanceService.demoSeed(segmentId)).put("steps", 30).put("cfg", 6.5).put("sampler_name", "euler")
                .put("scheduler", "normal").put("denoise", 1.0);
        sampler.putArray("model").add("11").add(0);
        sampler.putArray("positive").add("6").add(0);
        sampler.putArray("negative").add("7").add(0);
        sampler.putArray("latent_image").add("5").add(0);
        ObjectNode workflow = root.putObject("workflow");
        workflow.put("last_node_id", 11).put("version", 0.4);
        ArrayNode nodes = workflow.putArray("nodes");
        nodes.addObject().put("id", 3).put("type", "KSampler");
        nodes.addObject().put("id", 10).put("type", "LoraLoader");
        nodes.addObject().put("id", 11).put("type", "LoraLoader");
        return Json.write(root);
    }

    /** Synthesizes the ComfyUI clip of {@code segmentId} (and its last frame) when it is missing; true when written. */
    private boolean writeComfyClip(ClipPlan clip, String characterName, long segmentId) {
        Path file = dataDir.resolve(clip.relativePath());
        boolean written = false;
        if (!Files.isRegularFile(file)) {
            synth.synthesize(clip.spec().withTag("comment", comfyComment(characterName, segmentId)), file);
            written = true;
        }
        Path lastFrame = dataDir.resolve(lastFramePath(clip.relativePath()));
        if (!Files.isRegularFile(lastFrame)) extractLastFrame(file, lastFrame);
        return written;
    }

    public Summary build(BiConsumer<Integer, Integer> progress) {
        tools.requireSupported();
        tools.requireEncoder("png", "the demo's images and last frames");
        List<ClipPlan> clips = planClips();
        int total = clips.size() + CHARACTERS.size();
        int[] done = {0};
        Runnable step = () -> progress.accept(++done[0], total);

        int written = 0;
        for (int c = 0; c < CHARACTERS.size(); c++) {
            if (writeImageIfMissing(sourceImagePath(c), CHARACTERS.get(c).imagePattern())) written++;
            writeImageIfMissing(derivedImagePath(c), CHARACTERS.get(c).imagePattern());
            step.run();
        }
        var existing = catalog.findProjectByName(PROJECT_NAME);
        for (ClipPlan clip : clips) {
            Path file = dataDir.resolve(clip.relativePath());
            if (clip.comfy()) {
                // its comment names its segment's seed: written with the segment (fresh catalog) or now (re-run)
                if (existing.isPresent()) {
                    var segments = catalog.reads().segmentsWithOutputPath(clip.relativePath());
                    if (!segments.isEmpty() && writeComfyClip(clip, comfyCharacter(), segments.get(0).id())) written++;
                }
                step.run();
                continue;
            }
            if (!Files.isRegularFile(file)) {
                synth.synthesize(clip.spec(), file);
                written++;
            }
            Path lastFrame = dataDir.resolve(lastFramePath(clip.relativePath()));
            if (!Files.isRegularFile(lastFrame)) extractLastFrame(file, lastFrame);
            step.run();
        }

        if (existing.isPresent()) {
            return summarize(existing.get().get("id").longValue(), false, written, clips);
        }
        long projectId = createCatalog(clips);
        return summarize(projectId, true, written + comfyWritten, clips);
    }

    /** The character whose first clip carries ComfyUI's graph in its comment. */
    static final int COMFY_CHARACTER = 2;
    private int comfyWritten;

    private static String comfyCharacter() {
        return CHARACTERS.get(COMFY_CHARACTER).name();
    }

    private List<ClipPlan> planClips() {
        List<ClipPlan> plans = new ArrayList<>();
        for (int c = 0; c < CHARACTERS.size(); c++) {
            for (int s = 0; s < SCENE_TYPES.size(); s++) {
                for (int g = 0; g < segmentCount(c, s); g++) {
                    ClipSpec spec = clipFor(c, s, g);
                    String ext = containerFor(c, s, g);
                    if (c == 1 && s == 1 && g == 0) {
                        // Real-world file: two audio tracks and a subtitle stream that tag writing must keep.
                        spec = spec.withExtraAudioTracks(1).withSubtitle(true);
                        ext = "mkv";
                    }
                    boolean comfy = c == COMFY_CHARACTER && s == 0 && g == 0;
                    if (comfy) ext = "mp4";
                    plans.add(new ClipPlan(clipPath(c, s, g, ext), spec, comfy));
                }
            }
        }
        return plans;
    }

    private long createCatalog(List<ClipPlan> clips) {
        Random random = new Random(7);
        createAssets();
        long project = create(CatalogModel.PROJECTS, Json.object().put("name", PROJECT_NAME)
                .put("description", "Generated by `reelmark demo`: real clips, versioned assets, partial quality data."));
        List<Long> sceneTypes = new ArrayList<>();
        for (String type : SCENE_TYPES) {
            sceneTypes.add(create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", type)
                    .put("description", type.equals("idle") ? "Character at rest, subtle motion" : "Full-body dance loop")));
        }
        int clipIndex = 0;
        for (int c = 0; c < CHARACTERS.size(); c++) {
            CharacterPlan plan = CHARACTERS.get(c);
            ObjectNode body = Json.object().put("project_id", project).put("name", plan.name())
                    .put("description", plan.description()).put("build", plan.build())
                    .put("hair_color", plan.hair()).put("eye_color", plan.eyes());
            if (plan.height() != null) body.put("height", plan.height());
            body.set("tags", Json.MAPPER.valueToTree(plan.tags()));
            if (plan.customFields() != null) body.set("custom_fields", Json.MAPPER.valueToTree(plan.customFields()));
            long character = create(CatalogModel.CHARACTERS, body);

            long source = create(CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", sourceImagePath(c).getFileName().toString())
                    .put("path", dataDir.relativize(sourceImagePath(c)).toString())
                    .put("content_hash", sha256(sourceImagePath(c))));
            long derived = create(CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "derived")
                    .put("source_image_id", source)
                    .put("filename", derivedImagePath(c).getFileName().toString())
                    .put("path", dataDir.relativize(derivedImagePath(c)).toString())
                    .put("content_hash", sha256(derivedImagePath(c))));
            create(CatalogModel.IMAGE_VARIANTS, Json.object().put("image_id", derived).put("variant_type", "clothed")
                    .put("status", c == 1 ? "generated" : "approved"));

            for (int s = 0; s < SCENE_TYPES.size(); s++) {
                boolean lastScene = c == CHARACTERS.size() - 1 && s == SCENE_TYPES.size() - 1;
                long scene = create(CatalogModel.SCENES, Json.object().put("character_id", character)
                        .put("scene_type_id", sceneTypes.get(s)).put("name", plan.name() + " — " + SCENE_TYPES.get(s))
                        .put("status", lastScene ? "generating" : s == 0 ? "approved" : "complete"));
                String seed = dataDir.relativize(sourceImagePath(c)).toString();
                for (int g = 0; g < segmentCount(c, s); g++) {
                    ClipPlan clip = clips.get(clipIndex++);
                    String last = lastFramePath(clip.relativePath());
                    long segment = create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", g)
                            .put("seed_frame_path", seed).put("output_video_path", clip.relativePath())
                            .put("last_frame_path", last).put("status", lastScene && g > 0 ? "generating" : "complete"));
                    if (clip.comfy() && writeComfyClip(clip, plan.name(), segment)) comfyWritten++;
                    seed = last; // chained generation: each segment starts from the previous one's last frame
                    // Quality data is missing on purpose for the last scene (still generating).
                    if (!lastScene) recordQuality(segment, clip, g, random);
                }
            }
        }
        return project;
    }

    private void recordQuality(long segment, ClipPlan clip, int sequenceIndex, Random random) {
        double overall = Math.round((0.62 + random.nextDouble() * 0.35) * 1000) / 1000.0;
        ObjectNode quality = Json.object().put("segment_id", segment).put("overall_score", overall);
        quality.set("failure_tags", overall < 0.7 ? Json.MAPPER.createArrayNode().add("face_drift") : Json.MAPPER.createArrayNode());
        create(CatalogModel.SEGMENT_QUALITY, quality);
        ProbeResult probed = probe.probe(dataDir.resolve(clip.relativePath()));
        long frames = Math.max(1, probed.frameCount());
        for (int f = 0; f < frames; f++) {
            ObjectNode metric = Json.object().put("segment_id", segment).put("frame", f);
            if (f % 11 == 5) metric.putNull("face_confidence"); // no face found in this frame
            else metric.put("face_confidence", round(0.7 + random.nextDouble() * 0.3));
            metric.put("motion_score", round(random.nextDouble() * 4));
            metric.put("quality_metric", round(0.5 + random.nextDouble() * 0.5));
            if (f == 0 && sequenceIndex > 0) metric.put("boundary_ssim", round(0.85 + random.nextDouble() * 0.14));
            create(CatalogModel.FRAME_METRICS, metric);
        }
    }

    private void createAssets() {
        long model = createAsset("model", "wan2.2-i2v-14b", "2.2.0");
        addAssetVersion(model, "wan2.2-i2v-14b", "2.2.1");
        for (String lora : List.of("ava-likeness", "chloe-likeness")) createAsset("lora", lora, "v1");
        long motion = createAsset("lora", "smooth-motion", "v1");
        addAssetVersion(motion, "smooth-motion", "v2");
        createAsset("workflow", "i2v-chained-segments", "1.0");
    }

    private long createAsset(String kind, String name, String label) {
        Path file = assetFile(name, label);
        return create(CatalogModel.ASSETS, Json.object().put("kind", kind).put("name", name).put("version_label", label)
                .put("file_path", dataDir.relativize(file).toString()).put("checksum_sha256", sha256(file)));
    }

    private void addAssetVersion(long assetId, String name, String label) {
        Path file = assetFile(name, label);
        catalog.createVersion(CatalogModel.ASSETS, assetId, Json.object().put("version_label", label)
                .put("file_path", dataDir.relativize(file).toString()).put("checksum_sha256", sha256(file)));
    }

    /** Stand-in weights: small files whose hashes differ per version, so provenance has real checksums to compare. */
    private Path assetFile(String name, String label) {
        Path file = dataDir.resolve("assets").resolve(name + "-" + label + ".safetensors");
        if (!Files.isRegularFile(file)) {
            writeAtomically(file, ("Reelmark demo stand-in for " + name + " " + label + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private Summary summarize(long projectId, boolean created, int written, List<ClipPlan> clips) {
        var reads = catalog.reads();
        List<Long> characterIds = reads.charactersOf(projectId).stream().map(dev.reelmark.catalog.Character::id).toList();
        int characters = characterIds.size();
        int scenes = reads.scenesOfCharacters(characterIds).size();
        List<Long> segmentIds = reads.segmentsOfProject(projectId).stream().map(dev.reelmark.catalog.Segment::id).toList();
        int segments = segmentIds.size();
        int withQuality = reads.quality(segmentIds).size();
        int metrics = reads.frameMetrics(segmentIds).values().stream().mapToInt(List::size).sum();
        int assets = reads.assetCount();
        Map<String, String> codecs = new java.util.TreeMap<>();
        for (ClipPlan clip : clips) codecs.put(ClipSynth.codecOf(clip.spec().videoCodec()), clip.spec().videoCodec());
        return new Summary(projectId, created, characters, scenes, segments, written, assets, withQuality, metrics,
                tools.describe(), java.util.Collections.unmodifiableMap(codecs));
    }

    private long create(EntityType type, ObjectNode body) {
        return catalog.create(type, body).get("id").longValue();
    }

    private String clipPath(int c, int s, int g, String ext) {
        return "media/" + slug(CHARACTERS.get(c).name()) + "/" + SCENE_TYPES.get(s) + "/segment_" + g + "." + ext;
    }

    private static String lastFramePath(String clipPath) {
        return clipPath.replaceAll("\\.[a-z0-9]+$", "_last.png");
    }

    private Path sourceImagePath(int c) {
        return dataDir.resolve("images").resolve(slug(CHARACTERS.get(c).name()) + "_source.png");
    }

    private Path derivedImagePath(int c) {
        return dataDir.resolve("images").resolve(slug(CHARACTERS.get(c).name()) + "_clothed.png");
    }

    static String slug(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private boolean writeImageIfMissing(Path png, ClipSpec.Pattern pattern) {
        if (Files.isRegularFile(png)) return false;
        try (AtomicOutput out = AtomicOutput.create(png)) {
            String source = pattern.filter() + "=size=512x512" + (pattern == ClipSpec.Pattern.MANDELBROT ? "" : ":duration=1");
            var r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                    "-frames:v", "1", "-f", "image2", "-c:v", "png", out.temp().toString()), FFMPEG_TIMEOUT);
            if (!r.ok()) throw new MediaException("ffmpeg could not draw " + png + ": " + r.stderrTail(5));
            out.commit();
            return true;
        }
    }

    private void extractLastFrame(Path video, Path png) {
        try (AtomicOutput out = AtomicOutput.create(png)) {
            var r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-sseof", "-0.3", "-i", video.toString(),
                    "-update", "1", "-frames:v", "1", "-f", "image2", "-c:v", "png", out.temp().toString()), FFMPEG_TIMEOUT);
            if (!r.ok()) throw new MediaException("ffmpeg could not extract the last frame of " + video + ": " + r.stderrTail(5));
            out.commit();
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) {
        try (AtomicOutput out = AtomicOutput.create(file)) {
            Files.write(out.temp(), bytes);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
