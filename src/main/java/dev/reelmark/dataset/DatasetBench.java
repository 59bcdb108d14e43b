package dev.reelmark.dataset;

import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
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
 * {@code dataset.export} job twice, as a STORED ZIP and as WebDataset shards (frame extraction, metadata, streaming),
 * against {@code zip -0 -r} and {@code tar -cf} of the same media in the same run; reports the throughput of each,
 * the ratios, the peak heap of this JVM during each export and the load average.
 */
public final class DatasetBench {
    private DatasetBench() {
    }

    @Command(name = "dataset", description = "Package a dataset of --size-mb of real clips as ZIP and as WebDataset shards; compare with "
            + "`zip -0 -r` and `tar -cf` of the same files; "
            + "report MB/s and peak heap (run with REELMARK_JAVA_OPTS=-Xmx256m to prove the heap bound).")
    public static final class Cmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--size-mb", defaultValue = "512", description = "Total media size in MB (default ${DEFAULT-VALUE})")
        int sizeMb;

        @Option(names = "--clips", defaultValue = "16", description = "Number of clips, 2 per scene (default ${DEFAULT-VALUE})")
        int clips;

        @Option(names = "--shard-size-mb", defaultValue = "1024", description = "WebDataset shard size (default ${DEFAULT-VALUE})")
        int shardSizeMb;

        @Override
        public Integer call() throws Exception {
            if (sizeMb < 1 || sizeMb > 200_000) throw new IllegalArgumentException("--size-mb must be from 1 to 200000");
            if (clips < 2 || clips > 10_000) throw new IllegalArgumentException("--clips must be from 2 to 10000");
            if (shardSizeMb < DatasetFormat.MIN_SHARD_MB || shardSizeMb > DatasetFormat.MAX_SHARD_MB) {
                throw new IllegalArgumentException("--shard-size-mb must be from " + DatasetFormat.MIN_SHARD_MB + " to " + DatasetFormat.MAX_SHARD_MB);
            }
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

                // every run reads the media from the page cache: one read of everything first
                for (String p : paths) {
                    try (var in = Files.newInputStream(data.resolve(p))) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                Run zipRun = export(s, project, Json.object().put("name", "bench-zip"));
                Run wdsRun = export(s, project, Json.object().put("name", "bench-webdataset").put("format", DatasetFormat.WEBDATASET)
                        .put("shard_size_mb", shardSizeMb));

                // anchors: zip -0 and tar -cf of the same media, same run
                double zip = anchor(data, List.of("zip", "-0", "-r", "-q", s.dir.resolve("baseline.zip").toString(), "media"));
                double tar = anchor(data, List.of("tar", "-cf", s.dir.resolve("baseline.tar").toString(), "media"));
                double zipMbs = Files.size(s.dir.resolve("baseline.zip")) / 1e6 / zip;
                double tarMbs = Files.size(s.dir.resolve("baseline.tar")) / 1e6 / tar;
                System.out.printf(Locale.ROOT, "  %d samples; selection (catalog + ffprobe of each clip) %.2f s / %.2f s%n",
                        zipRun.samples, zipRun.select, wdsRun.select);
                print("ZIP (videofolder)", zipRun, zipMbs, tarMbs);
                print("WebDataset shards (" + wdsRun.files + " files, shard_size_mb " + shardSizeMb + ")", wdsRun, zipMbs, tarMbs);
                System.out.printf(Locale.ROOT, "  zip -0 -r of the same media: %.1f MB in %.2f s = %.0f MB/s; tar -cf: %.1f MB in %.2f s = %.0f MB/s%n",
                        Files.size(s.dir.resolve("baseline.zip")) / 1e6, zip, zipMbs, Files.size(s.dir.resolve("baseline.tar")) / 1e6, tar, tarMbs);
                System.out.printf(Locale.ROOT, "  max heap %.0f MB; load average %.1f (%d cores)%n", Runtime.getRuntime().maxMemory() / 1e6,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
            }
            return 0;
        }

        /** One export by the real job: end-to-end and packaging seconds, bytes written, peak heap. */
        record Run(int samples, long bytes, int files, double seconds, double select, double pack, double stream, long peakHeap, long sampledHeap) {
        }

        private static Run export(BenchStudio.Scratch s, long project, com.fasterxml.jackson.databind.node.ObjectNode body) throws Exception {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            HeapSampler sampler = new HeapSampler();
            long t = System.nanoTime();
            DatasetExport d = s.app.datasets().create(project, body);
            Job job = s.app.jobs().awaitTerminal(d.jobId(), Duration.ofHours(4));
            double seconds = (System.nanoTime() - t) / 1e9;
            long sampled = sampler.stop();
            if (job.status() != JobStatus.COMPLETED) throw new IllegalStateException("dataset job " + job.status().value() + ": " + job.error());
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            DatasetExport done = s.app.datasets().get(project, d.id());
            Path out = Path.of(done.filePath());
            int files = 1;
            if (Files.isDirectory(out)) {
                try (var list = Files.list(out)) {
                    files = (int) list.count();
                }
            }
            return new Run(done.sampleCount(), done.fileSizeBytes(), files, seconds, job.result().get("seconds").get("select").doubleValue(),
                    job.result().get("seconds").get("package").doubleValue(), job.result().get("seconds").get("stream").doubleValue(), peak, sampled);
        }

        private static void print(String what, Run r, double zipMbs, double tarMbs) {
            double e2e = r.bytes / 1e6 / r.seconds, pack = r.bytes / 1e6 / r.pack, stream = r.bytes / 1e6 / r.stream;
            System.out.printf(Locale.ROOT, "  %s: %.1f MB in %.2f s end to end = %.0f MB/s; packaging phase (ffmpeg frame extraction + "
                            + "writing) %.2f s = %.0f MB/s = %.2fx zip -0; writing the package (the work zip/tar do) %.2f s = %.0f MB/s = "
                            + "%.2fx zip -0, %.2fx tar -cf; peak heap %.0f MB (pool peaks), %.0f MB (sampled)%n",
                    what, r.bytes / 1e6, r.seconds, e2e, r.pack, pack, pack / zipMbs, r.stream, stream, stream / zipMbs, stream / tarMbs,
                    r.peakHeap / 1e6, r.sampledHeap / 1e6);
        }

        private static double anchor(Path dir, List<String> command) throws Exception {
            long t = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(4, TimeUnit.HOURS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed (is it installed?)");
            return (System.nanoTime() - t) / 1e9;
        }

        /** The heap in use, sampled every 20 ms on a daemon thread while an export runs. */
        private static final class HeapSampler {
            private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
            private final Thread thread;
            private volatile boolean running = true;

            HeapSampler() {
                var memory = ManagementFactory.getMemoryMXBean();
                thread = new Thread(() -> {
                    while (running) {
                        max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "reelmark-bench-heap");
                thread.setDaemon(true);
                thread.start();
            }

            long stop() throws InterruptedException {
                running = false;
                thread.join();
                return max.get();
            }
        }
    }
}
