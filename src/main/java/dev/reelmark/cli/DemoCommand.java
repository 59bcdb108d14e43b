package dev.reelmark.cli;

import dev.reelmark.app.DemoStudio;
import dev.reelmark.app.Reelmark;
import dev.reelmark.media.FfmpegTools;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "demo", description = "Build a small demo studio (real clips made with ffmpeg) in the data directory. Safe to run again.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (Reelmark app = Reelmark.open(common.config(0))) {
            FfmpegTools tools = FfmpegTools.locate(common.ffmpeg, common.ffprobe);
            DemoStudio.Summary s;
            try (ProgressBar bar = new ProgressBar("demo media", 1)) {
                s = new DemoStudio(app.catalog(), app.config().dataDir(), tools).build((done, total) -> {
                    bar.maxHint(total);
                    bar.stepTo(done);
                });
            }
            System.out.println(s.created() ? "Built the demo studio." : "The demo studio was already there; missing files were re-created.");
            System.out.printf("  project #%d \"%s\": %d characters, %d scenes, %d segments (%d with quality scores, %d frame metrics)%n",
                    s.projectId(), DemoStudio.PROJECT_NAME, s.characters(), s.scenes(), s.segments(), s.segmentsWithQuality(), s.frameMetrics());
            System.out.printf("  %d asset versions; %d media files written this run%n", s.assets(), s.clipsWritten());
            System.out.printf("  clips made with %s in %s%n", s.ffmpeg(), s.codecs().entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining(", ")));
            int receipts = app.provenance().recordDemoReceipts(s.projectId());
            var report = app.provenance().stalenessReport(s.projectId(), null);
            System.out.printf("  provenance: %d generation receipts recorded this run; %d of %d segments are stale:%n",
                    receipts, report.path("total_stale_segments").asInt(), s.segments());
            report.path("by_asset").forEach(g -> System.out.println("    - " + g.path("message").asText()));
            var metadata = app.metadata().regenerateProject(s.projectId(), true);
            System.out.printf("  metadata files: %d written, %d already current, %d failed (under %s)%n",
                    metadata.regenerated(), metadata.skipped(), metadata.failed(), app.metadata().options().outputRoot());
            System.out.println("  data:     " + app.config().dataDir());
            System.out.println("  database: " + app.database().displayUrl());
            System.out.println();
            System.out.println("Start the server:  ./reelmark serve" + dataArg() + "   then open http://127.0.0.1:8080/ (API docs at /api/openapi.json)");
            return 0;
        }
    }

    private String dataArg() {
        return common.data == null ? "" : " --data " + common.data;
    }
}
