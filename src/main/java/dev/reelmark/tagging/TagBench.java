package dev.reelmark.tagging;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code reelmark bench tags}: every figure beside its anchor tool in one run ({@link #runSideBySide}): the plan of N
 * real files (MP4/MOV/MKV, some with People and ComfyUI comments, cached under the data folder) cold and warm over
 * HTTP against one exiftool process and one ffprobe per file, then comment writes of a 1 GB MP4 in place against
 * {@code ffmpeg -c copy} and {@code exiftool -Comment=}; {@code --inplace} times each write path ({@link #runInPlace}).
 */
public final class TagBench {
    private final Path scratch;
    private final int files;
    private final int bigMb;
    private final PrintStream out;

    /** False: only Reelmark's own plan rounds (no exiftool / ffprobe anchors), for profiling. */
    private boolean anchors = true;

    public TagBench withAnchors(boolean on) {
        this.anchors = on;
        return this;
    }

    public TagBench(Path scratch, int files, int bigMb, PrintStream out) {
        this.scratch = scratch;
        this.files = files;
        this.bigMb = bigMb;
        this.out = out;
    }

    /**
     * The side-by-side run: {@code dataDir} holds the cached media ({@code bench-tags/} under it: the N files and the
     * large MP4, made once with ffmpeg and reused by later runs); the database is a fresh scratch one ({@code dbUrl}
     * null: SQLite), so the first plan finds no file in the plan cache.
     */
    public void runSideBySide(Path dataDir, String dbUrl, String ffmpeg, String ffprobe, int writes) throws Exception {
        AppConfig base = new AppConfig(dataDir, dbUrl, ffmpeg, ffprobe, 0);
        FfmpegTools tools = base.ffmpegTools();
        out.println("machine: " + dev.reelmark.cli.MachineLoad.describe());
        out.println("ffmpeg: " + tools.version() + " (" + tools.source() + ")");
        Path root = dataDir.toAbsolutePath().resolve("bench-tags");
        Files.createDirectories(root);
        TagConfig config = TagConfig.fromEnvironment();
        List<Path> paths = cachedFiles(root, tools, config.probeThreads());
        // The catalog rows below would make the metadata service regenerate 1,000 segments' metadata (an ffprobe
        // each) in the background, beside the plans being timed: off for this process.
        System.setProperty("reelmark.metadata.auto", "false");
        try (dev.reelmark.db.ScratchDatabase scratch = dev.reelmark.db.ScratchDatabase.open(dbUrl, "reelmark-bench-tags");
             Reelmark app = Reelmark.open(new AppConfig(root, scratch.url(), ffmpeg, ffprobe, 0))) {
            out.println("database: " + scratch.label() + " (fresh: no file in the plan cache)");
            catalogRows(app, root, paths);
            int port = app.startServer("127.0.0.1", 0).port();
            var client = java.net.http.HttpClient.newHttpClient();
            java.net.URI plan = java.net.URI.create("http://127.0.0.1:" + port + "/api/metadata/plan?per_page=50");
            TagService tags = app.tagging();

            // Reelmark first (a fresh server: nothing read yet), then the same question over HTTP in a warm server.
            List<Double> colds = new ArrayList<>();
            List<Double> warms = new ArrayList<>();
            List<Double> coldCpus = new ArrayList<>();
            for (int round = 1; round <= 5; round++) {
                if (round > 1) tags.clearPlanCache();
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                var cold = http(client, plan);
                double coldMs = (System.nanoTime() - t0) / 1e6;
                double coldCpu = (cpuNanos() - c0) / 1e6;
                long c1 = cpuNanos();
                long t1 = System.nanoTime();
                var warm = http(client, plan);
                double warmMs = (System.nanoTime() - t1) / 1e6;
                double warmCpu = (cpuNanos() - c1) / 1e6;
                if (cold.path("statistics").path("total_files").asInt() != files) {
                    throw new IllegalStateException("planned " + cold.path("statistics").path("total_files").asInt() + " files, expected " + files);
                }
                out.printf("plan round %d%s: cold %.0f ms over HTTP, %.0f ms CPU (server %d ms; %d files read, %d ffprobe fallbacks); "
                                + "warm %.0f ms, %.0f ms CPU (server %d ms; %d cache hits); load %.1f%n", round, round == 1 ? " (fresh server)" : "",
                        coldMs, coldCpu, cold.path("generated_in_ms").asLong(), cold.path("probed").asInt(), cold.path("ffprobe_calls").asInt(),
                        warmMs, warmCpu, warm.path("generated_in_ms").asLong(), warm.path("cache_hits").asInt(),
                        dev.reelmark.cli.MachineLoad.oneMinute());
                if (round > 1) {
                    colds.add(coldMs);
                    warms.add(warmMs);
                    coldCpus.add(coldCpu);
                }
            }
            double coldMs = median(colds);
            double warmMs = median(warms);
            if (!anchors) {
                out.printf("plan cold median %.1f ms (CPU %.1f ms), warm median %.1f ms (anchors off)%n", coldMs, median(coldCpus), warmMs);
                return;
            }

            // one exiftool process over every file, as a user would run it
            Path argFile = Files.write(scratch.dir().resolve("exiftool-args.txt"), paths.stream().map(Path::toString).toList());
            double[] exif = new double[2];
            String[] modes = {"-fast", "-fast2"};
            int exifComments = -1;
            for (int m = 0; m < 2; m++) {
                long t0 = System.nanoTime();
                ProcessRunner.Result r = ProcessRunner.run(List.of("exiftool", modes[m], "-Comment", "-json", "-@", argFile.toString()),
                        Duration.ofMinutes(10));
                exif[m] = (System.nanoTime() - t0) / 1e6;
                if (r.exitCode() != 0 && r.exitCode() != 1) throw new IllegalStateException("exiftool failed: " + r.stderrTail(3));
                var rows = Json.MAPPER.readTree(r.stdoutText());
                if (rows.size() != files) throw new IllegalStateException("exiftool answered for " + rows.size() + " files");
                if (m == 0) {
                    exifComments = 0;
                    for (var row : rows) if (row.has("Comment")) exifComments++;
                }
            }
            int planComments = 0;
            for (var i : tags.plan(TagService.PlanQuery.all()).items()) if (i.existingComment() != null) planComments++;

            // one ffprobe per file, in parallel (the bound the planner uses for ffprobe)
            TagWriter writer = new TagWriter(() -> tools, Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(config.probeThreads());
            List<Future<?>> fs = new ArrayList<>();
            for (Path p : paths) fs.add(pool.submit(() -> writer.probeLight(p)));
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            double ffprobeMs = (System.nanoTime() - t0) / 1e6;

            out.printf("%n%d files (mp4/mov/mkv; %d with a People comment, %d with a ComfyUI prompt/workflow comment):%n",
                    files, (files + 3) / 4, (files + 3) / 4);
            row("Reelmark plan cold (median of 4, warm server, HTTP)", coldMs, coldMs);
            row("Reelmark plan warm (median of 4, HTTP)", warmMs, coldMs);
            out.printf("  %-62s %9.1f ms (the JVM's CPU time; on a loaded machine wall time is several times this)%n",
                    "Reelmark plan cold, CPU time (median of 4)", median(coldCpus));
            row("exiftool -fast -Comment -json (one process)", exif[0], coldMs);
            row("exiftool -fast2 -Comment -json (one process)", exif[1], coldMs);
            row("ffprobe -show_format, one per file (" + config.probeThreads() + " at once)", ffprobeMs, coldMs);
            out.printf("files with a comment: plan %d, exiftool %d%n", planComments, exifComments);
        }
        if (bigMb > 0) bigInPlace(root, tools, Math.max(1, writes));
        out.println("machine: " + dev.reelmark.cli.MachineLoad.describe());
    }

    private void row(String what, double ms, double planColdMs) {
        out.printf("  %-62s %9.1f ms %9.0f files/s   %6.2fx the cold plan's time%n", what, ms, files * 1000.0 / ms, ms / planColdMs);
    }

    private static com.fasterxml.jackson.databind.JsonNode http(java.net.http.HttpClient client, java.net.URI uri) throws Exception {
        var res = client.send(java.net.http.HttpRequest.newBuilder(uri).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) throw new IllegalStateException(uri + " answered " + res.statusCode() + ": " + res.body());
        return Json.MAPPER.readTree(res.body());
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The N files under {@code root/files-N}, made once (a marker says the set is complete) and reused. */
    private List<Path> cachedFiles(Path root, FfmpegTools tools, int threads) throws Exception {
        Path media = root.resolve("files-" + files);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            String ext = switch (i % 3) {
                case 0 -> "mp4";
                case 1 -> "mkv";
                default -> "mov";
            };
            paths.add(media.resolve("d" + (i / 100)).resolve(String.format("clip%05d.%s", i, ext)));
        }
        Path marker = media.resolve(".complete-v1");
        if (Files.exists(marker)) {
            out.printf("files: %d cached under %s%n", files, media);
            return paths;
        }
        long t0 = System.nanoTime();
        ClipSynth synth = new ClipSynth(tools);
        Files.createDirectories(media);
        List<Path> bases = List.of(
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true), media.resolve("base.mp4")),
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true).withSubtitle(true), media.resolve("base.mkv")),
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4"), media.resolve("base.mov")));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path base = bases.get(i % 3);
            Path p = paths.get(i);
            int n = i;
            fs.add(pool.submit(() -> {
                Files.createDirectories(p.getParent());
                List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-i", base.toString(), "-map", "0", "-c", "copy",
                        "-metadata", "title=clip " + n));
                if (n % 4 == 0) args.addAll(List.of("-metadata", "comment=People: Person " + (n % 10)));
                if (n % 4 == 1) args.addAll(List.of("-metadata", "comment=" + comfyComment(n)));
                args.add(p.toString());
                ProcessRunner.Result r = tools.runFfmpeg(args, Duration.ofSeconds(60));
                if (!r.ok()) throw new IllegalStateException("ffmpeg failed: " + r.stderrTail(3));
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        for (Path b : bases) Files.deleteIfExists(b);
        Files.writeString(marker, "made by reelmark bench tags\n");
        out.printf("files: %d real files (mp4/mkv/mov) made with ffmpeg under %s in %.1f s (kept for later runs)%n", files, media, secs(t0));
        return paths;
    }

    /** Ten characters, one scene each, and a segment per file (its path relative to the media root). */
    private void catalogRows(Reelmark app, Path root, List<Path> paths) {
        long project = app.catalog().create(CatalogModel.PROJECTS, Json.object().put("name", "tag bench")).get("id").longValue();
        long type = app.catalog().create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        List<Long> scenes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            long ch = app.catalog().create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Person " + c)).get("id").longValue();
            scenes.add(app.catalog().create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", type).put("name", "s" + c)).get("id").longValue());
        }
        for (int i = 0; i < paths.size(); i++) {
            app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scenes.get(i % 10)).put("sequence_index", i)
                    .put("output_video_path", root.relativize(paths.get(i)).toString()));
        }
    }

    /**
     * A ComfyUI comment as VideoHelperSuite writes it: {@code {"prompt": API graph, "workflow": UI graph}}, a
     * checkpoint, a LoRA, two text encoders, a sampler with its own seed, decode and the video combine node.
     */
    static String comfyComment(int seed) {
        var prompt = Json.object();
        node(prompt, "4", "CheckpointLoaderSimple").put("ckpt_name", "sd_xl_base_1.0.safetensors");
        var lora = node(prompt, "10", "LoraLoader").put("lora_name", "person-" + (seed % 10) + ".safetensors")
                .put("strength_model", 0.8).put("strength_clip", 0.8);
        link(lora, "model", "4", 0);
        link(lora, "clip", "4", 1);
        link(node(prompt, "6", "CLIPTextEncode").put("text", "a portrait of person " + (seed % 10) + ", studio light, 35mm"), "clip", "10", 1);
        link(node(prompt, "7", "CLIPTextEncode").put("text", "blurry, low quality"), "clip", "10", 1);
        node(prompt, "5", "EmptyLatentImage").put("width", 1024).put("height", 1024).put("batch_size", 16);
        var k = node(prompt, "3", "KSampler").put("seed", 1000L + seed).put("steps", 30).put("cfg", 7.0)
                .put("sampler_name", "euler").put("scheduler", "normal").put("denoise", 1.0);
        link(k, "model", "10", 0);
        link(k, "positive", "6", 0);
        link(k, "negative", "7", 0);
        link(k, "latent_image", "5", 0);
        link(link(node(prompt, "8", "VAEDecode"), "samples", "3", 0), "vae", "4", 2);
        link(node(prompt, "9", "VHS_VideoCombine").put("frame_rate", 24).put("format", "video/h264-mp4")
                .put("filename_prefix", "clip"), "images", "8", 0);
        var workflow = Json.object().put("last_node_id", 10).put("last_link_id", 12).put("version", 0.4);
        var nodes = workflow.putArray("nodes");
        int id = 0;
        for (var e : prompt.properties()) {
            var n = nodes.addObject().put("id", Integer.parseInt(e.getKey())).put("type", e.getValue().path("class_type").asText())
                    .put("order", id++).put("mode", 0);
            n.putArray("pos").add(100 * id).add(200);
            n.putObject("size").put("0", 315).put("1", 98);
            var widgets = n.putArray("widgets_values");
            e.getValue().path("inputs").properties().forEach(in -> {
                if (!in.getValue().isArray()) widgets.add(in.getValue());
            });
        }
        workflow.putArray("links");
        return Json.object().set("prompt", prompt).toString().replaceFirst("}$", ",\"workflow\":" + workflow + "}");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode node(com.fasterxml.jackson.databind.node.ObjectNode g, String id, String type) {
        return g.putObject(id).put("class_type", type).putObject("inputs");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode link(com.fasterxml.jackson.databind.node.ObjectNode inputs, String name, String from, int slot) {
        inputs.putArray(name).add(from).add(slot);
        return inputs;
    }

    /**
     * The 1 GB MP4 (moov at the end; made once under {@code root}, kept): N comment writes of a new People value
     * through the real write path ({@link TagWriter#rewrite}: journal, in place, fsync, verify), their median,
     * against {@code ffmpeg -map 0 -c copy} to a new file and {@code exiftool -Comment=… -overwrite_original} of
     * that copy, in the same run.
     */
    private void bigInPlace(Path root, FfmpegTools tools, int writes) throws Exception {
        Path big = root.resolve("big-" + bigMb + "mb.mp4");
        long need = ((long) bigMb << 20) * (Files.exists(big) ? 2 : 3);
        long free = Files.getFileStore(root).getUsableSpace();
        if (free < need + (512L << 20)) {
            out.printf("large write skipped: %d MB free, it needs %d MB%n", free >> 20, need >> 20);
            return;
        }
        if (!Files.exists(big)) {
            long t0 = System.nanoTime();
            Path base = root.resolve("big-base.mp4");
            ProcessRunner.Result r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
                    "-f", "lavfi", "-i", "sine=f=440:d=10", "-c:v", "mpeg4", "-q:v", "1", "-c:a", "aac", base.toString()), Duration.ofMinutes(10));
            if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
            int copies = (int) Math.max(1, ((long) bigMb << 20) / Files.size(base));
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < copies; i++) list.append("file '").append(base).append("'\n");
            Path listFile = Files.writeString(root.resolve("concat.txt"), list);
            Path tmp = root.resolve(".big-making.mp4");
            r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listFile.toString(), "-map", "0",
                    "-c", "copy", "-metadata", "comment=People: Ann", tmp.toString()), Duration.ofMinutes(20));
            if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
            Files.delete(base);
            Files.delete(listFile);
            Files.move(tmp, big, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            out.printf("large file: %.0f MB MP4 (moov at the end) made in %.1f s, kept at %s%n", Files.size(big) / 1048576.0, secs(t0), big);
        } else {
            out.printf("large file: %.0f MB MP4 cached at %s%n", Files.size(big) / 1048576.0, big);
        }
        TagWriter writer = new TagWriter(() -> tools, Duration.ofMinutes(30));
        List<Double> inPlace = new ArrayList<>();
        List<Double> probes = new ArrayList<>();
        for (int i = 0; i <= writes; i++) {
            long t1 = System.nanoTime();
            String probe = writer.probeFull(big);
            double probeMs = (System.nanoTime() - t1) / 1e6;
            long t2 = System.nanoTime();
            TagWriter.WriteResult w = writer.rewrite(big, probe, "People: Ann, Bo " + System.nanoTime());
            double writeMs = (System.nanoTime() - t2) / 1e6;
            String label = i == 0 ? "first write (leaves padding)" : "write " + i;
            out.printf("  %-30s %-15s %8.1f ms (backup probe before it %.1f ms)%n", label, w.writePath(), writeMs, probeMs);
            if (i > 0 && "in_place".equals(w.writePath())) {
                inPlace.add(writeMs);
                probes.add(probeMs);
            }
        }
        Path copy = root.resolve("ffmpeg-copy.mp4");
        long t3 = System.nanoTime();
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-i", big.toString(), "-map", "0", "-c", "copy",
                "-metadata", "comment=People: Ann, Bo", copy.toString()), Duration.ofMinutes(20));
        double ffmpegMs = (System.nanoTime() - t3) / 1e6;
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        long t4 = System.nanoTime();
        r = ProcessRunner.run(List.of("exiftool", "-q", "-Comment=People: Ann, Bo, Cleo", "-overwrite_original", copy.toString()), Duration.ofMinutes(20));
        double exifMs = (System.nanoTime() - t4) / 1e6;
        if (!r.ok()) throw new IllegalStateException("exiftool failed: " + r.stderrTail(3));
        Files.delete(copy);
        double med = median(inPlace);
        out.printf("%n%.0f MB MP4, comment write (People: value):%n", Files.size(big) / 1048576.0);
        out.printf("  %-62s %9.1f ms   (%d in_place writes; backup probe median %.1f ms more in a write job)%n",
                "Reelmark write in place, median (journal, write, fsync, verify)", med, inPlace.size(), median(probes));
        out.printf("  %-62s %9.1f ms   %6.1fx the Reelmark write%n", "ffmpeg -map 0 -c copy to a new file", ffmpegMs, ffmpegMs / med);
        out.printf("  %-62s %9.1f ms   %6.1fx the Reelmark write%n", "exiftool -Comment=... -overwrite_original", exifMs, exifMs / med);
    }

    /**
     * {@code bench tags --inplace}: one large MP4 (moov at the end, then a faststart copy), then the same media as
     * Matroska; times the comment write of each path Reelmark takes (moov rewritten, in place into the padding,
     * shifted; Matroska tags moved to the end, then in place) against {@code ffmpeg -map 0 -c copy} of the same file
     * and against the ffmpeg rewrite Reelmark falls back to, in the same run.
     */
    public void runInPlace() throws Exception {
        FfmpegTools tools = FfmpegTools.defaults();
        out.println("ffmpeg: " + tools.version() + " (" + tools.source() + "); " + Runtime.getRuntime().availableProcessors() + " CPU(s)");
        int mb = Math.max(1, bigMb);
        long need = (long) mb * 3 << 20;
        long free = Files.getFileStore(scratch).getUsableSpace();
        if (free < need + (512L << 20)) throw new IllegalStateException("not enough disk space: " + (free >> 20) + " MB free, it needs " + (need >> 20) + " MB");
        long t0 = System.nanoTime();
        Path base = scratch.resolve("big-base.mp4");
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
                "-f", "lavfi", "-i", "sine=f=440:d=10", "-c:v", "mpeg4", "-q:v", "1", "-c:a", "aac", base.toString()), Duration.ofMinutes(10));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        int copies = (int) Math.max(1, ((long) mb << 20) / Files.size(base));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < copies; i++) list.append("file '").append(base).append("'\n");
        Path listFile = Files.writeString(scratch.resolve("concat.txt"), list);
        Path big = scratch.resolve("big.mp4");
        Path fast = scratch.resolve("big-faststart.mp4");
        r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listFile.toString(), "-map", "0",
                "-c", "copy", "-metadata", "comment=People: Ann", big.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        Files.delete(base);
        out.printf("large file: %.0f MB MP4 (moov at the end) made in %.1f s%n", Files.size(big) / 1048576.0, secs(t0));

        Path copy = scratch.resolve("ffmpeg-copy.mp4");
        long t1 = System.nanoTime();
        r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-i", big.toString(), "-map", "0", "-c", "copy",
                "-metadata", "comment=People: Ann, Bo", copy.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        double ffmpegCopy = secs(t1);
        Files.delete(copy);
        out.printf("baseline: ffmpeg -map 0 -c copy with a new comment: %.2f s%n", ffmpegCopy);

        TagWriter writer = new TagWriter(() -> tools, Duration.ofMinutes(30));
        TagWriter remuxOnly = new TagWriter(() -> tools, Duration.ofMinutes(30), false);
        String[] comments = {"People: Ann, Bo", "People: Ann, Bo, Cleo", "People: Ann, Bo, Cleo, Dee"};
        for (int round = 0; round < comments.length; round++) timedWrite(writer, big, comments[round], ffmpegCopy);

        r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-i", big.toString(), "-map", "0", "-c", "copy",
                "-movflags", "+faststart", fast.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        Files.delete(big);
        out.printf("faststart copy made (moov before the media)%n");
        timedWrite(writer, fast, "People: Ann, Bo, Cleo, Dee and a list that no longer fits the faststart moov", ffmpegCopy);
        timedWrite(writer, fast, "People: Ann, Bo, Cleo, Dee, Eve", ffmpegCopy);
        timedWrite(remuxOnly, fast, "People: Ann", ffmpegCopy);

        // Matroska: the same media in a .mkv made by ffmpeg (Tags before the first Cluster, no room to grow)
        Path mkv = scratch.resolve("big.mkv");
        long t3 = System.nanoTime();
        r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-i", fast.toString(), "-map", "0", "-c", "copy",
                "-metadata", "comment=People: Ann", mkv.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        double mkvCopy = secs(t3);
        Files.delete(fast);
        out.printf("baseline: ffmpeg -map 0 -c copy into Matroska with a new comment: %.2f s (%.0f MB)%n", mkvCopy,
                Files.size(mkv) / 1048576.0);
        timedWrite(writer, mkv, "People: Ann, Bo", mkvCopy);
        timedWrite(writer, mkv, "People: Ann, Bo, Cleo", mkvCopy);
        timedWrite(writer, mkv, "People: Ann, Bo, Cleo, Dee", mkvCopy);
        timedWrite(remuxOnly, mkv, "People: Ann", mkvCopy);
        Files.delete(mkv);
    }

    private void timedWrite(TagWriter writer, Path file, String comment, double ffmpegCopy) {
        long t1 = System.nanoTime();
        String probe = writer.probeFull(file);
        double probeS = secs(t1);
        long t2 = System.nanoTime();
        TagWriter.WriteResult w = writer.rewrite(file, probe, comment);
        double writeS = secs(t2);
        out.printf("write %-14s backup probe %.3f s + write (incl. ffprobe verify, fsync) %.3f s; ffmpeg -c copy / this write = %.1fx%n",
                w.writePath() + ":", probeS, writeS, ffmpegCopy / writeS);
    }

    /** CPU time of this JVM (every thread: server, planner pool, GC), where the platform reports it. */
    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
