package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reelmark sidecars templates|create|delete|preview|export}: the same service as the API. Bad input prints
 * one line and exits 2; a failed export job exits 1.
 */
@Command(name = "sidecars", description = "VFX sidecar templates and exports (XML, CSV, Resolve CSV, Avid ALE, OTIO, Nuke .nk).",
        mixinStandardHelpOptions = true,
        subcommands = {SidecarCommand.Templates.class, SidecarCommand.Create.class, SidecarCommand.Delete.class,
                SidecarCommand.Preview.class, SidecarCommand.Export.class})
public final class SidecarCommand {

    @Command(name = "templates", description = "List the sidecar templates.")
    static final class Templates implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(common.config(0))) {
                for (SidecarTemplate t : app.sidecars().list()) {
                    System.out.printf("%4d  %-32s %-9s %-15s %s%n", t.id(), t.name(), t.format(),
                            t.targetTool() == null ? "-" : t.targetTool(), t.isBuiltin() ? "built-in" : "custom");
                }
                return 0;
            }
        }
    }

    @Command(name = "create", description = "Create a custom template.")
    static final class Create implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--name", required = true)
        String name;
        @Option(names = "--format", required = true, description = "xml, csv, clip_csv, ale, otio or nk")
        String format;
        @Option(names = "--template-json", required = true, paramLabel = "JSON")
        String templateJson;
        @Option(names = "--tool", description = "target tool, e.g. nuke")
        String tool;
        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            ObjectNode body = Json.object().put("name", name).put("format", format);
            if (tool != null) body.put("target_tool", tool);
            if (description != null) body.put("description", description);
            try {
                body.set("template_json", Json.MAPPER.readTree(templateJson));
            } catch (Exception e) {
                throw new IllegalArgumentException("--template-json is not valid JSON: " + e.getMessage());
            }
            try (Reelmark app = Reelmark.open(common.config(0))) {
                System.out.println(Json.write(app.sidecars().create(body)));
                return 0;
            }
        }
    }

    @Command(name = "delete", description = "Delete a custom template (built-ins cannot be deleted).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(common.config(0))) {
                app.sidecars().delete(id);
                System.out.println("deleted sidecar template " + id);
                return 0;
            }
        }
    }

    @Command(name = "preview", description = "Print a template rendered against the sample clip or a segment.")
    static final class Preview implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Parameters(paramLabel = "TEMPLATE_ID")
        long id;
        @Option(names = "--segment", paramLabel = "ID")
        Long segment;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(common.config(0))) {
                var p = app.sidecars().preview(id, segment);
                System.err.println("# " + p.fileName() + (p.sample() ? " (sample clip)" : " (segment " + p.segmentId() + ")"));
                System.out.print(p.content());
                return 0;
            }
        }
    }

    @Command(name = "export", description = "Export the sidecars of a project (or one character) and ZIP them.")
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--project", required = true, paramLabel = "ID")
        long project;
        @Option(names = "--character", paramLabel = "ID")
        Long character;
        @Option(names = "--template", required = true, paramLabel = "ID", split = ",", description = "template ids (repeat or comma-separate)")
        List<Long> templates;
        @Option(names = "--include-media", description = "also put the videos in the ZIP")
        boolean includeMedia;
        @Option(names = "--server-paths", description = "reference the videos at their absolute paths on this server instead of relative to the package root")
        boolean serverPaths;
        @Option(names = "--content-credentials", description = "package C2PA-signed copies of the videos (with --include-media)")
        boolean contentCredentials;

        @Override
        public Integer call() throws InterruptedException {
            ObjectNode params = Json.object().put("project_id", project).put("include_media", includeMedia).put("server_paths", serverPaths);
            if (contentCredentials) params.put("content_credentials", true);
            if (character != null) params.put("character_id", character);
            ArrayNode ids = params.putArray("template_ids");
            templates.forEach(ids::add);
            try (Reelmark app = Reelmark.open(common.config(0));
                 var runner = app.runJobsHere(SidecarExportJob.KIND)) {
                Job job = app.jobs().submit(SidecarExportJob.KIND, params);
                job = follow(app, job.id(), "sidecars");
                if (job.status() != JobStatus.COMPLETED) {
                    System.err.println("reelmark: sidecar export " + job.id() + " " + job.status().value() + ": " + job.error());
                    return 1;
                }
                System.out.println(Json.write(job.result()));
                return 0;
            }
        }
    }

    /** Waits for a job with a progress bar. */
    public static Job follow(Reelmark app, long id, String label) throws InterruptedException {
        try (ProgressBar bar = new ProgressBar(label, 1)) {
            while (true) {
                Job j = app.jobs().await(id, Job::isTerminal, Duration.ofMillis(500));
                if (j.progressTotal() != null) bar.maxHint(Math.max(1, j.progressTotal()));
                bar.stepTo(j.progressDone());
                if (j.isTerminal()) return j;
            }
        }
    }
}
