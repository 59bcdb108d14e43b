package dev.reelmark.tagging;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.http.Json;
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
 * {@code reelmark bench tags}: plans N real video files (MP4, MOV and MKV, a third with a People comment) cold (empty
 * cache, Java reader), warm (cache), cold with the Java reader off (one ffprobe per file, in parallel), against a
 * plain "one ffprobe per file" loop in the same run; then rewrites the comment of one large file (default 1 GB).
 */
public final class TagBench {
    private final Path scratch;
    private final int files;
    private final int bigMb;
    private final PrintStream out;

    public TagBench(Path scratch, int files, int bigMb, PrintStream out) {
        this.scratch = scratch;
        this.files = files;
        this.bigMb = bigMb;
        this.out = out;
    }

    public void run() throws Exception {
        FfmpegTools tools = FfmpegTools.defaults();
        out.println("ffmpeg: " + tools.version() + " (" + tools.source() + "); " + Runtime.getRuntime().availableProcessors() + " CPU(s)");
        TagConfig config = TagConfig.fromEnvironment();
        try (Reelmark app = Reelmark.open(new AppConfig(scratch, null, null, null, 0))) {
            List<Path> paths = makeFiles(app, tools, config.probeThreads());
            TagService tags = app.tagging();

            // one ffprobe per file, in parallel, as a baseline
            TagWriter writer = new TagWriter(() -> tools, Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(config.probeThreads());
            List<Future<?>> fs = new ArrayList<>();
            for (Path p : paths) fs.add(pool.submit(() -> writer.probeLight(p)));
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            double ffprobeAll = secs(t0);
            out.printf("baseline: one ffprobe per file, %d threads: %.2f s for %d files (%.1f ms/file)%n", config.probeThreads(),
                    ffprobeAll, files, ffprobeAll * 1000 / files);

            for (int round = 1; round <= 3; round++) {
                tags.clearPlanCache();
                var cold = tags.plan(TagService.PlanQuery.all());
                var warm = tags.plan(TagService.PlanQuery.all());
                out.printf("round %d: plan cold (Java reader) %d ms [%d files read, %d ffprobe fallbacks]; warm %d ms [%d cache hits]%n",
                        round, cold.generatedInMs(), cold.probed(), cold.ffprobeCalls(), warm.generatedInMs(), warm.cacheHits());
                if (cold.statistics().totalFiles() != files) throw new IllegalStateException("planned " + cold.statistics().totalFiles());
            }
            TagService ffprobeOnly = new TagService(app.database(), app.catalog(), app.segmentFacts(), app.jobs(),
                    dev.reelmark.media.MediaRoots.of(scratch), () -> tools, config.withNativeReader(false));
            ffprobeOnly.clearPlanCache();
            var viaFfprobe = ffprobeOnly.plan(TagService.PlanQuery.all());
            out.printf("plan cold with REELMARK_METADATA_NATIVE_READER=false: %d ms [%d ffprobe calls]%n",
                    viaFfprobe.generatedInMs(), viaFfprobe.ffprobeCalls());
        }
        if (bigMb > 0) bigWrite(tools);
    }

    private List<Path> makeFiles(Reelmark app, FfmpegTools tools, int threads) throws Exception {
        long t0 = System.nanoTime();
        ClipSynth synth = new ClipSynth(tools);
        Path media = scratch.resolve("bench");
        List<Path> bases = List.of(
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true), media.resolve("base.mp4")),
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true).withSubtitle(true), media.resolve("base.mkv")),
                synth.synthesize(ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4"), media.resolve("base.mov")));
        long project = app.catalog().create(CatalogModel.PROJECTS, Json.object().put("name", "tag bench")).get("id").longValue();
        long type = app.catalog().create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        List<Long> scenes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            long ch = app.catalog().create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Person " + c)).get("id").longValue();
            scenes.add(app.catalog().create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", type).put("name", "s" + c)).get("id").longValue());
        }
        List<Path> out = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path base = bases.get(i % 3);
            String ext = TagWriter.extension(base);
            Path p = media.resolve("d" + (i / 100)).resolve(String.format("clip%05d.%s", i, ext));
            out.add(p);
            int n = i;
            fs.add(pool.submit(() -> {
                Files.createDirectories(p.getParent());
                List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-i", base.toString(), "-map", "0", "-c", "copy",
                        "-metadata", "title=clip " + n));
                if (n % 3 == 0) args.addAll(List.of("-metadata", "comment=People: Person " + (n % 10)));
                args.add(p.toString());
                ProcessRunner.Result r = tools.runFfmpeg(args, Duration.ofSeconds(60));
                if (!r.ok()) throw new IllegalStateException("ffmpeg failed: " + r.stderrTail(3));
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        for (int i = 0; i < files; i++) {
            app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scenes.get(i % 10)).put("sequence_index", i)
                    .put("output_video_path", scratch.relativize(out.get(i)).toString()));
        }
        this.out.printf("setup: %d real files (mp4/mkv/mov) and catalog rows in %.1f s%n", files, secs(t0));
        return out;
    }

    private void bigWrite(FfmpegTools tools) throws Exception {
        long need = (long) bigMb * 2 << 20;
        long free = Files.getFileStore(scratch).getUsableSpace();
        if (free < need + (512L << 20)) {
            out.printf("large write skipped: %d MB free, it needs %d MB%n", free >> 20, need >> 20);
            return;
        }
        long t0 = System.nanoTime();
        Path base = scratch.resolve("big-base.mkv");
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
                "-f", "lavfi", "-i", "sine=f=440:d=10", "-c:v", "mpeg4", "-q:v", "1", "-c:a", "aac", base.toString()), Duration.ofMinutes(10));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        long size = Files.size(base);
        int copies = (int) Math.max(1, ((long) bigMb << 20) / size);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < copies; i++) list.append("file '").append(base).append("'\n");
        Path listFile = Files.writeString(scratch.resolve("concat.txt"), list);
        Path big = scratch.resolve("big.mkv");
        r = tools.runFfmpeg(List.of("-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listFile.toString(), "-map", "0",
                "-c", "copy", "-metadata", "comment=People: Ann", big.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IllegalStateException(r.stderrTail(3));
        Files.delete(base);
        out.printf("large file: %.0f MB Matroska made in %.1f s%n", Files.size(big) / 1048576.0, secs(t0));
        TagWriter writer = new TagWriter(() -> tools, Duration.ofMinutes(30));
        for (int round = 1; round <= 2; round++) {
            long t1 = System.nanoTime();
            String probe = writer.probeFull(big);
            double probeS = secs(t1);
            long t2 = System.nanoTime();
            TagWriter.WriteResult w = writer.rewrite(big, probe, "People: Ann, Bo " + round);
            double writeS = secs(t2);
            out.printf("write round %d: backup probe %.2f s + write (%s, verify, fsync) %.2f s = %.2f s%n",
                    round, probeS, w.writePath(), writeS, probeS + writeS);
        }
        Files.delete(big);
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

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
