package dev.reelmark.dataset;

import dev.reelmark.cli.CommonOptions;
import dev.reelmark.http.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.AtomicOutput;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaException;
import dev.reelmark.app.BenchStudio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code reelmark bench dataset}: a dataset of real (rawvideo, so large) clips made by ffmpeg, packaged by the real
 * {@code dataset.export} job (frame extraction, metadata, STORED ZIP), against {@code zip -0 -r} of the same media
 * in the same run; reports throughput of both and the peak heap of this JVM during the export.
 */
public final class DatasetBench {
    private DatasetBench() {
    }

    @Command(name = "dataset", description = "Package a dataset of --size-mb of real clips; compare with `zip -0 -r` of the same files; "
            + "report MB/s and peak heap (run with REELMARK_JAVA_OPTS=-Xmx256m to prove the heap bound).")
    public static final class Cmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--size-mb", defaultValue = "512", description = "Total media size in MB (default ${DEFAULT-VALUE})")
        int sizeMb;

        @Option(names = "--clips", defaultValue = "16", description = "Number of clips, 2 per scene (default ${DEFAULT-VALUE})")
        int clips;

        @Override
        public Integer call() throws Exception {
            if (sizeMb < 1 || sizeMb > 200_000) throw new IllegalArgumentException("--size-mb must be from 1 to 200000");
            if (clips < 2 || clips > 10_000) throw new IllegalArgumentException("--clips must be from 2 to 10000");
            try (BenchStudio.Scratch s = new BenchStudio.Scratch(common, "reelmark_bench_dataset", 1)) {
                Path data = s.app.config().dataDir();
                FfmpegTools tools = s.app.ffmpegTools();
                int w = 1280, h = 720;
                long frameBytes = w * h * 3L / 2;
                long framesPerClip = Math.max(2, (long) sizeMb * 1_000_000 / clips / frameBytes);
                long t0 = System.nanoTime();
                List<String> paths = new ArrayList<>();
                for (int i = 0; i < clips; i++) {
                    String rel = "media/bench/clip_" + i + ".mkv";
                    Path out = data.resolve(rel);
                    try (AtomicOutput ao = AtomicOutput.create(out)) {
                        var r = tools.runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                                "testsrc2=size=" + w + "x" + h + ":rate=24", "-frames:v", Long.toString(framesPerClip),
                                "-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-f", "matroska", ao.temp().toString()), Duration.ofMinutes(30));
                        if (!r.ok()) throw new MediaException("ffmpeg could not make " + rel + ": " + r.stderrTail(5));
                        ao.commit();
                    }
                    paths.add(rel);
                }
                long mediaBytes = 0;
                for (String p : paths) mediaBytes += Files.size(data.resolve(p));
                System.out.printf(Locale.ROOT, "%s: made %d rawvideo clips, %.1f MB, in %.1f s%n", s.label(), clips, mediaBytes / 1e6, (System.nanoTime() - t0) / 1e9);
                long project = BenchStudio.fixture(s.app, paths, List.of(framesPerClip), clips, 2, false);

                // ours: the real job (frame extraction by ffmpeg, metadata, STORED ZIP streamed to disk)
                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                long t1 = System.nanoTime();
                DatasetExport d = s.app.datasets().create(project, Json.object().put("name", "bench"));
                Job job = s.app.jobs().awaitTerminal(d.jobId(), Duration.ofHours(4));
                double ours = (System.nanoTime() - t1) / 1e9;
                if (job.status() != JobStatus.COMPLETED) throw new IllegalStateException("dataset job " + job.status().value() + ": " + job.error());
                long peakHeap = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
                }
                DatasetExport done = s.app.datasets().get(project, d.id());
                long zipBytes = done.fileSizeBytes();

                // baseline: zip -0 -r of the same media, same run
                Path baseline = s.dir.resolve("baseline.zip");
                long t2 = System.nanoTime();
                Process p = new ProcessBuilder("zip", "-0", "-r", "-q", baseline.toString(), "media").directory(data.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(4, TimeUnit.HOURS) || p.exitValue() != 0) throw new IllegalStateException("zip -0 -r failed (is zip installed?)");
                double zip = (System.nanoTime() - t2) / 1e9;
                long baselineBytes = Files.size(baseline);
                double oursMbs = zipBytes / 1e6 / ours, zipMbs = baselineBytes / 1e6 / zip;
                double pack = job.result().get("seconds").get("package").doubleValue();
                double select = job.result().get("seconds").get("select").doubleValue();
                System.out.printf(Locale.ROOT, "  reelmark dataset job: %d samples, ZIP %.1f MB in %.2f s end to end = %.0f MB/s; of which selection "
                                + "(catalog + ffprobe of each clip, uncached in a fresh process) %.2f s and packaging (frame extraction by ffmpeg "
                                + "+ STORED ZIP) %.2f s = %.0f MB/s%n",
                        done.sampleCount(), zipBytes / 1e6, ours, oursMbs, select, pack, zipBytes / 1e6 / pack);
                System.out.printf(Locale.ROOT, "  zip -0 -r of the same media: %.1f MB in %.2f s = %.0f MB/s%n", baselineBytes / 1e6, zip, zipMbs);
                System.out.printf(Locale.ROOT, "  ratio to zip -0: %.2fx end to end, %.2fx for the packaging phase; peak heap during the export %.0f MB "
                                + "(max heap %.0f MB); load average %.1f%n",
                        oursMbs / zipMbs, zipBytes / 1e6 / pack / zipMbs, peakHeap / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            return 0;
        }
    }
}
