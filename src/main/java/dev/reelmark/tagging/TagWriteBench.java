package dev.reelmark.tagging;

import dev.reelmark.app.BenchStudio;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.cli.MachineLoad;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code reelmark bench tag-writes}: N small real MP4 clips (made by ffmpeg, one catalog segment each) written through
 * the real operation path: the write request, the {@code tagging.write} job with its backups, parallel batches, the
 * Java read-back and the batched fsyncs, timed from the request to the operation's end. The anchor, in the same run and
 * on the same files: {@code exiftool -Comment=…} over all of them in one process. Prints wall time, files/s, the ratio
 * and the machine's load before and after.
 */
public final class TagWriteBench {
    private TagWriteBench() {
    }

    @Command(name = "tag-writes", description = "Writes the people comment into N small real clips through the write operation "
            + "(parallel batches, Java verification, batched fsyncs), against exiftool -Comment= over the same files in one process.")
    public static final class Cmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--files", defaultValue = "1000", description = "Clips (default ${DEFAULT-VALUE})")
        int files;

        @Option(names = "--concurrency", description = "Files written at once (default: REELMARK_METADATA_MAX_CONCURRENT_WRITES or its default)")
        Integer concurrency;

        @Override
        public Integer call() throws Exception {
            if (files < 1 || files > 100_000) throw new IllegalArgumentException("--files must be from 1 to 100000");
            if (concurrency != null && (concurrency < 1 || concurrency > 16)) throw new IllegalArgumentException("--concurrency must be from 1 to 16");
            System.out.println("load before: " + MachineLoad.describe());
            try (BenchStudio.Scratch s = new BenchStudio.Scratch(common, "reelmark_bench_tagwrites", 1)) {
                run(s.app, s.label());
            }
            System.out.println("load after: " + MachineLoad.describe());
            return 0;
        }

        private void run(Reelmark app, String label) throws Exception {
            Path data = app.config().dataDir();
            FfmpegTools tools = app.ffmpegTools();
            long t0 = System.nanoTime();
            Path base = new ClipSynth(tools).synthesize(ClipSpec.of(160, 90, 12, 1).withVideoCodec("mpeg4").withAudio(true),
                    data.resolve("media/base.mp4"));
            List<String> rel = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String r = String.format(Locale.ROOT, "media/d%02d/clip%05d.mp4", i / 100, i);
                rel.add(r);
                Path p = data.resolve(r);
                int n = i;
                fs.add(pool.submit(() -> {
                    Files.createDirectories(p.getParent());
                    // distinct bytes per clip (its title), so each has a fingerprint of its own
                    ProcessRunner.Result res = tools.runFfmpeg(List.of("-v", "error", "-y", "-i", base.toString(), "-map", "0",
                            "-c", "copy", "-metadata", "title=clip " + n, p.toString()), Duration.ofSeconds(120));
                    if (!res.ok()) throw new IllegalStateException("ffmpeg failed: " + res.stderrTail(3));
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            BenchStudio.fixture(app, rel, List.of(12L), files, 10, false);
            TagService tags = app.tagging();
            if (concurrency != null) tags.setMaxConcurrentWrites(concurrency);
            System.out.printf(Locale.ROOT, "%s: %d real MP4 clips (%d bytes each) and segments in %.1f s; %d file(s) at once, batches of %d%n",
                    label, files, Files.size(data.resolve(rel.get(0))), secs(t0), tags.maxConcurrentWrites(), TagBatchWriter.BATCH);

            long tp = System.nanoTime();
            var plan = tags.plan(TagService.PlanQuery.all());
            System.out.printf(Locale.ROOT, "plan (cold, Java reader): %.2f s, %d files%n", secs(tp), plan.statistics().totalFiles());

            long t1 = System.nanoTime();
            var started = tags.write(new TagService.WriteRequest(null, true, false, false, "bench", null));
            long op = started.get("operation_id").asLong();
            TagRecords.Operation done = tags.await(op, Duration.ofHours(1));
            double ours = secs(t1);
            if (!done.status().equals("completed") || done.successCount() != files) {
                throw new IllegalStateException("the operation ended " + done.status() + " with " + done.successCount() + " of " + files + " files");
            }
            Map<String, Long> paths = new java.util.TreeMap<>();
            for (TagRecords.OperationItem i : tags.items(op)) paths.merge(i.writePath(), 1L, Long::sum);
            // read back a sample with ffprobe, an independent reader
            for (int i = 0; i < files; i += Math.max(1, files / 10)) {
                TagWriter.LightProbe p = tags.writer().probeLight(data.resolve(rel.get(i)));
                if (p.comment() == null || !p.comment().startsWith("People: ")) throw new IllegalStateException("ffprobe reads " + p.comment());
            }
            System.out.printf(Locale.ROOT, "reelmark write operation: %.2f s for %d files = %.0f files/s (%.1f ms/file wall) %s%n",
                    ours, files, files / ours, ours * 1000 / files, paths);
            System.out.println("load: " + MachineLoad.describe());

            // one file's in-place write on its own (journal, write, Java read-back, fsyncs, no process), the backup
            // probe before it not counted: what a single write costs whatever the media's size (only moov is written)
            Path one = data.resolve(rel.get(0));
            List<Double> ms = new ArrayList<>();
            String path = null;
            for (int round = 0; round < 11; round++) {
                String probe = tags.writer().probeFull(one);
                long tw = System.nanoTime();
                TagWriter.WriteResult w = tags.writer().rewrite(one, probe, "People: single write " + (round % 2));
                ms.add((System.nanoTime() - tw) / 1e6);
                path = w.writePath();
            }
            ms.sort(null);
            System.out.printf(Locale.ROOT, "one file written alone (%s, backup probe not counted): median %.1f ms, min %.1f ms of %d%n",
                    path, ms.get(ms.size() / 2), ms.get(0), ms.size());

            List<String> cmd = new ArrayList<>(List.of("exiftool", "-q", "-overwrite_original", "-Comment=People: anchor"));
            for (String r : rel) cmd.add(data.resolve(r).toString());
            long t2 = System.nanoTime();
            ProcessRunner.Result ex;
            try {
                ex = ProcessRunner.run(cmd, Duration.ofHours(1));
            } catch (RuntimeException e) {
                System.out.println("anchor skipped: exiftool is not installed (" + e.getMessage() + ")");
                return;
            }
            double anchor = secs(t2);
            if (!ex.ok()) throw new IllegalStateException("exiftool failed: " + ex.stderrTail(3));
            System.out.printf(Locale.ROOT, "anchor: exiftool -Comment= over the same %d files in one process: %.2f s = %.0f files/s%n",
                    files, anchor, files / anchor);
            System.out.printf(Locale.ROOT, "ratio: exiftool time / reelmark time = %.2fx (above 1: reelmark is faster); target 1000 files <= 10 s%n",
                    anchor / ours);
        }
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
