package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.app.BenchStudio;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code reelmark bench sidecars}: N segments (pointing at a few real clips made by ffmpeg, with quality and
 * per-frame metrics) in a fresh database, then the real {@code sidecar.export} job through the job runner, timed
 * from submit to completion. Run once with the seed's two per-video templates and once with all built-ins.
 */
public final class SidecarBench {
    private SidecarBench() {
    }

    @Command(name = "sidecars", description = "Sidecars for N segments through the real export job (fresh SQLite, or a fresh schema "
            + "on --db jdbc:postgresql://…): segments/s with the seed's XML+CSV templates and with all built-ins.")
    public static final class Cmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--segments", defaultValue = "10000", description = "Segments (default ${DEFAULT-VALUE})")
        int segments;

        @Option(names = "--clips", defaultValue = "8", description = "Distinct real clips the segments point at (default ${DEFAULT-VALUE})")
        int clips;

        @Override
        public Integer call() throws Exception {
            if (segments < 1 || segments > 1_000_000) throw new IllegalArgumentException("--segments must be from 1 to 1000000");
            if (clips < 1 || clips > 100) throw new IllegalArgumentException("--clips must be from 1 to 100");
            try (BenchStudio.Scratch s = new BenchStudio.Scratch(common, "reelmark_bench_sidecars", 1)) {
                Path data = s.app.config().dataDir();
                FfmpegTools tools = s.app.ffmpegTools();
                ClipSynth synth = new ClipSynth(tools);
                MediaProbe probe = new MediaProbe(tools);
                List<String> paths = new ArrayList<>();
                List<Long> frames = new ArrayList<>();
                for (int i = 0; i < clips; i++) {
                    String rel = "media/bench/clip_" + i + ".mp4";
                    synth.synthesize(ClipSpec.of(320 + 16 * i, 180 + 8 * i, i % 2 == 0 ? 24 : 30, 1.0), data.resolve(rel));
                    paths.add(rel);
                    frames.add(Math.max(1, probe.probe(data.resolve(rel)).frameCount()));
                }
                long t0 = System.nanoTime();
                long project = BenchStudio.fixture(s.app, paths, frames, segments, 10, true);
                System.out.printf(Locale.ROOT, "%s: fixture of %d segments on %d distinct clips (%d frame-metric rows) in %.1f s%n",
                        s.label(), segments, clips, java.util.stream.IntStream.range(0, segments).mapToLong(i -> frames.get(i % frames.size())).sum(),
                        (System.nanoTime() - t0) / 1e9);
                List<Long> all = new ArrayList<>();
                s.app.sidecars().list().forEach(t -> all.add(t.id()));
                run(s.app, project, List.of(all.get(0), all.get(1)), "Nuke XML + After Effects CSV (2 files per video)");
                run(s.app, project, all, "all 7 built-ins (3 per video + per-scene OTIO + per-export Resolve CSV, ALE, .nk)");
            }
            return 0;
        }

        private void run(Reelmark app, long project, List<Long> templates, String label) throws InterruptedException {
            ObjectNode params = Json.object().put("project_id", project);
            ArrayNode ids = params.putArray("template_ids");
            templates.forEach(ids::add);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Job job = app.jobs().submit(SidecarExportJob.KIND, params);
            job = app.jobs().awaitTerminal(job.id(), Duration.ofHours(2));
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            if (job.status() != JobStatus.COMPLETED) throw new IllegalStateException("export job " + job.status().value() + ": " + job.error());
            int videos = job.result().get("videos").intValue(), files = job.result().get("files").intValue();
            System.out.printf(Locale.ROOT, "  %s: %d videos, %d files in %.2f s wall = %.0f videos/s (%.2f ms per video), %.0f files/s; "
                            + "process CPU %.2f s = %.0f videos per CPU-second; of the wall time %.2f s writing sidecars "
                            + "(%.0f videos/s) and %.2f s zipping; ZIP %.1f MB; load average %.1f on %d cores%n",
                    label, videos, files, secs, videos / secs, secs * 1000 / videos, files / secs, cpu, videos / cpu,
                    job.result().get("seconds").get("sidecars").doubleValue(), videos / job.result().get("seconds").get("sidecars").doubleValue(),
                    job.result().get("seconds").get("zip").doubleValue(),
                    job.result().get("zip_size_bytes").longValue() / 1e6, os.getSystemLoadAverage(), os.getAvailableProcessors());
        }
    }
}
