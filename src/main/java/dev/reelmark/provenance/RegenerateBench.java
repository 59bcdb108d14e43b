package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Database;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.jobs.JobService;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.db.ScratchDatabase;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code reelmark bench regenerate --segments N [--db …]}: N segments with a receipt each (a model, a workflow, a
 * source image and two LoRAs), one LoRA gets a new version so all N are stale, then targeted regeneration of all of
 * them runs as the real {@code provenance.regenerate} job (catalog, jobs and provenance services with a job runner, as
 * the benchmark for provenance queries builds them), and runs a second time, which must queue nothing. Prints the times and checks that each segment got exactly one draft.
 */
public final class RegenerateBench {
    public record Result(String database, int segments, double submitMs, double jobSeconds, double jobRunSeconds,
                         double againMs, int alreadyQueued, double reportMs, long drafts, long segmentsWithOneDraft) {
    }

    private RegenerateBench() {
    }

    public static Result run(Database db, String label, int segments, PrintStream out) throws Exception {
        CatalogService catalog = new CatalogService(db);
        JobService jobs = new JobService(db);
        ProvenanceService p = new ProvenanceService(db, catalog, jobs);
        jobs.register(new RegenerateJob(p));
        try (JobRunner runner = new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(1)
                .withPollInterval(Duration.ofMillis(20)).withKinds(java.util.Set.of(ProvenanceService.REGENERATE_KIND))).start()) {
            return run(db, catalog, jobs, p, label, segments, out);
        }
    }

    private static Result run(Database db, CatalogService catalog, JobService jobs, ProvenanceService p, String label,
                              int segments, PrintStream out) throws Exception {
        long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "bench-regenerate")).get("id").longValue();
        long type = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        ObjectNode model = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "bench-model").put("version_label", "v1").put("checksum_sha256", "1".repeat(64)));
        ObjectNode workflow = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "workflow").put("name", "bench-workflow").put("version_label", "v1"));
        ObjectNode like = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "bench-likeness").put("version_label", "v1").put("checksum_sha256", "2".repeat(64)));
        ObjectNode motion = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "bench-motion").put("version_label", "v1").put("checksum_sha256", "3".repeat(64)));
        // fixture (not measured): characters of 100 segments, scenes of 10, one receipt per segment, in one transaction
        long t0 = System.nanoTime();
        List<long[]> segs = new ArrayList<>(); // segment, source image
        db.jdbi().useTransaction(h -> {
            long character = 0, image = 0, scene = 0;
            for (int i = 0; i < segments; i++) {
                if (i % 100 == 0) {
                    character = h.createQuery("INSERT INTO characters (project_id, name) VALUES (:p, :n) RETURNING id")
                            .bind("p", project).bind("n", "Character " + i / 100).mapTo(Long.class).one();
                    image = h.createQuery("INSERT INTO images (character_id, image_type, filename, path, content_hash)"
                                    + " VALUES (:c, 'source', 'src.png', :path, :hash) RETURNING id")
                            .bind("c", character).bind("path", "img/" + character + ".png").bind("hash", "a".repeat(64)).mapTo(Long.class).one();
                }
                if (i % 10 == 0) {
                    scene = h.createQuery("INSERT INTO scenes (character_id, scene_type_id, name) VALUES (:c, :t, :n) RETURNING id")
                            .bind("c", character).bind("t", type).bind("n", "scene " + i / 10).mapTo(Long.class).one();
                }
                long seg = h.createQuery("INSERT INTO segments (scene_id, sequence_index, output_video_path, status)"
                                + " VALUES (:s, :i, :v, 'complete') RETURNING id")
                        .bind("s", scene).bind("i", i % 10).bind("v", "media/bench/seg" + i + ".mp4").mapTo(Long.class).one();
                segs.add(new long[]{seg, image});
            }
            Instant started = Instant.parse("2026-11-01T10:00:00Z");
            for (int i = 0; i < segs.size(); i++) {
                long[] s = segs.get(i);
                ReceiptInputs in = new ReceiptInputs(s[1], "a".repeat(64), null, null,
                        workflow.get("id").longValue(), "bench-workflow", "v1", null,
                        model.get("id").longValue(), "bench-model", "v1", "1".repeat(64),
                        List.of(new ReceiptInputs.Lora(like.get("id").longValue(), "bench-likeness", "v1", "2".repeat(64), 0.8),
                                new ReceiptInputs.Lora(motion.get("id").longValue(), "bench-motion", "v1", "3".repeat(64), 0.45)),
                        "character " + i + ", cinematic lighting", "blurry", 6.5, 1000L + i, 832, 480, 30, "euler",
                        Json.object().put("frames", 81));
                ProvenanceService.insert(h, s[0], in, in.inputsHash(), started.plusSeconds(i), started.plusSeconds(i + 75), 75_000L, "bench");
            }
        });
        catalog.createVersion(CatalogModel.ASSETS, motion.get("id").longValue(), Json.object().put("version_label", "v2").put("checksum_sha256", "4".repeat(64)));
        out.printf(Locale.ROOT, "%s: fixture of %d segments with a receipt each (2 LoRAs) in %.1f s; bench-motion v2 published%n",
                label, segments, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        ObjectNode submitted = p.regenerateStale(project, null);
        double submitMs = (System.nanoTime() - t1) / 1e6;
        int queued = submitted.get("segment_ids").size();
        if (queued != segments) throw new IllegalStateException("expected " + segments + " stale segments queued, got " + queued);
        Job job = jobs.awaitTerminal(submitted.get("job").get("id").longValue(), Duration.ofMinutes(60));
        double jobSeconds = (System.nanoTime() - t1) / 1e9;
        if (job.status() != JobStatus.COMPLETED) throw new IllegalStateException("job " + job.id() + " ended " + job.status() + ": " + job.error());
        double runSeconds = job.startedAt() == null || job.finishedAt() == null ? Double.NaN
                : Duration.between(job.startedAt(), job.finishedAt()).toNanos() / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu1) / 1e9;
        int regenerated = job.result().get("regenerated").asInt();
        out.printf(Locale.ROOT, "  regenerate all stale: submit (staleness + open-draft check) %.0f ms; job done %.2f s after submit"
                        + " (ran %.2f s) = %.0f segments/s; %d drafts%n", submitMs, jobSeconds, runSeconds,
                segments / jobSeconds, regenerated);
        // on a shared machine the wall time is mostly waiting for a CPU; the process's CPU time is what the work cost
        out.printf(Locale.ROOT, "  CPU time of this process from submit to done: %.2f s (database included on SQLite; on PostgreSQL the server's is not)%n", cpuSeconds);

        long t2 = System.nanoTime();
        ObjectNode again = p.regenerateStale(project, null);
        double againMs = (System.nanoTime() - t2) / 1e6;
        int already = again.get("already_queued").size();
        out.printf(Locale.ROOT, "  second run: %d queued, %d already queued (open drafts), job %s, in %.0f ms%n",
                again.get("segment_ids").size(), already, again.get("job").isNull() ? "none" : again.get("job").get("id"), againMs);
        long t3 = System.nanoTime();
        JsonNode report = p.stalenessReport(project, null);
        double reportMs = (System.nanoTime() - t3) / 1e6;
        out.printf(Locale.ROOT, "  staleness report (every stale segment in one answer): %d stale, %d queued, %d superseded, in %.0f ms%n",
                report.get("total_stale_segments").asInt(), report.get("total_queued_segments").asInt(),
                report.get("total_superseded_segments").asInt(), reportMs);
        ProvenanceBench.Timing page = ProvenanceBench.time("staleness report, first page of 1000", 10,
                () -> p.stalenessReport(project, null, 1000, null));
        out.printf(Locale.ROOT, "  %s: p50 %.0f ms, p99 %.0f ms (n=%d)%n", page.query(), page.p50Ms(), page.p99Ms(), page.runs());
        long[] counts = db.jdbi().withHandle(h -> {
            long drafts = h.createQuery("SELECT count(*) FROM regeneration_drafts").mapTo(Long.class).one();
            long once = h.createQuery("SELECT count(*) FROM (SELECT replaces_segment_id FROM regeneration_drafts"
                    + " GROUP BY replaces_segment_id HAVING count(*) = 1) x").mapTo(Long.class).one();
            return new long[]{drafts, once};
        });
        out.printf(Locale.ROOT, "  check: %d drafts, %d segments with exactly one%n", counts[0], counts[1]);
        if (counts[0] != segments || counts[1] != segments || already != segments) {
            throw new IllegalStateException("regeneration did not settle: " + counts[0] + " drafts, " + counts[1] + " segments with one, " + already + " already queued");
        }
        return new Result(label, segments, submitMs, jobSeconds, runSeconds, againMs, already, reportMs, counts[0], counts[1]);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    @Command(name = "regenerate", description = "Targeted regeneration of N stale segments as the real provenance.regenerate job "
            + "on a fresh database (SQLite, or a fresh schema on --db jdbc:postgresql://…, dropped afterwards), then a second run "
            + "that must queue nothing; prints the times.")
    public static final class Cmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--segments", defaultValue = "5000", description = "Stale segments (default ${DEFAULT-VALUE})")
        int segments;

        @Override
        public Integer call() throws Exception {
            if (segments < 1 || segments > 1_000_000) throw new IllegalArgumentException("--segments must be from 1 to 1000000");
            try (ScratchDatabase scratch = ScratchDatabase.open(common.config(0).dbUrl(), "reelmark_bench_regenerate");
                 Database db = Database.openAndMigrate(scratch.url())) {
                System.out.println("machine before: " + dev.reelmark.cli.MachineLoad.describe());
                long t = System.nanoTime();
                run(db, scratch.label(), segments, System.out);
                System.out.printf(Locale.ROOT, "wall time (fixture, regeneration, second run, report, checks): %.1f s%n", (System.nanoTime() - t) / 1e9);
                System.out.println("machine after: " + dev.reelmark.cli.MachineLoad.describe());
            }
            return 0;
        }
    }
}
