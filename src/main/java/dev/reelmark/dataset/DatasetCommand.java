package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.app.Reelmark;
import dev.reelmark.cli.CommonOptions;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.sidecar.SidecarCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code reelmark datasets export|list|show}: training-dataset exports from the command line. */
@Command(name = "datasets", description = "Training-dataset exports: filtered, split, packaged as a ZIP with manifest.json.",
        mixinStandardHelpOptions = true,
        subcommands = {DatasetCommand.Export.class, DatasetCommand.ListCmd.class, DatasetCommand.Show.class})
public final class DatasetCommand {

    @Command(name = "export", description = "Package a dataset (runs the job in this process and waits).")
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--project", required = true, paramLabel = "ID")
        long project;
        @Option(names = "--name")
        String name;
        @Option(names = "--quality", paramLabel = "0..1", description = "minimum overall quality score")
        Double quality;
        @Option(names = "--scene-type", split = ",", paramLabel = "NAME")
        List<String> sceneTypes;
        @Option(names = "--character", split = ",", paramLabel = "ID")
        List<Long> characters;
        @Option(names = "--split", paramLabel = "TRAIN/VAL/TEST", description = "percentages summing to 100 (default 80/10/10)")
        String split;
        @Option(names = "--seed")
        Long seed;
        @Option(names = "--no-videos", description = "frames only (an imagefolder dataset)")
        boolean noVideos;
        @Option(names = "--no-frames", description = "videos only")
        boolean noFrames;
        @Option(names = "--face-crops", description = "a crop of the character's face per sample (faces/)")
        boolean faceCrops;
        @Option(names = "--include-unfinished", description = "also segments that are not complete or approved (pending, generating, failed, rejected)")
        boolean includeUnfinished;
        @Option(names = "--format", paramLabel = "videofolder|webdataset",
                description = "videofolder: one ZIP for Hugging Face (default); webdataset: tar shards per split with a manifest")
        String format;
        @Option(names = "--shard-size-mb", paramLabel = "MIB", description = "webdataset: the most a shard holds (default 1024)")
        Long shardSizeMb;
        @Option(names = "--content-credentials", description = "package C2PA-signed copies of the videos (a clip that cannot be signed is a listed failure)")
        boolean contentCredentials;

        @Override
        public Integer call() throws InterruptedException {
            ObjectNode body = Json.object();
            if (name != null) body.put("name", name);
            if (contentCredentials) body.put("content_credentials", true);
            if (quality != null) body.put("quality_threshold", quality);
            if (sceneTypes != null) {
                ArrayNode a = body.putArray("scene_types");
                sceneTypes.forEach(a::add);
            }
            if (characters != null) {
                ArrayNode a = body.putArray("character_ids");
                characters.forEach(a::add);
            }
            if (split != null) {
                String[] parts = split.split("/");
                if (parts.length != 3) throw new IllegalArgumentException("--split must be TRAIN/VALIDATION/TEST, e.g. 80/10/10");
                ObjectNode s = body.putObject("splits");
                try {
                    // whole numbers of any size: the config's range check names the split (no overflow here)
                    s.put("train", new java.math.BigInteger(parts[0].trim())).put("validation", new java.math.BigInteger(parts[1].trim()))
                            .put("test", new java.math.BigInteger(parts[2].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--split must be whole percentages, e.g. 80/10/10");
                }
            }
            if (seed != null) body.put("seed", seed);
            if (noVideos) body.put("include_videos", false);
            if (noFrames) body.put("frame_images", false);
            if (faceCrops) body.put("face_crops", true);
            if (includeUnfinished) body.put("include_unfinished", true);
            if (format != null) body.put("format", format);
            if (shardSizeMb != null) body.put("shard_size_mb", shardSizeMb);
            try (Reelmark app = Reelmark.open(common.config(0));
                 var runner = app.runJobsHere(DatasetExportJob.KIND)) {
                DatasetExport d = app.datasets().create(project, body);
                Job job = SidecarCommand.follow(app, d.jobId(), "dataset");
                DatasetExport done = app.datasets().get(project, d.id());
                if (job.status() != JobStatus.COMPLETED) {
                    System.err.println("reelmark: dataset export " + d.id() + " " + done.status() + ": " + job.error());
                    return 1;
                }
                System.out.printf("dataset #%d: %d samples (%d failed) -> %s (%d bytes)%n", done.id(), done.sampleCount(),
                        done.failedCount(), done.filePath(), done.fileSizeBytes());
                done.warnings().forEach(w -> System.err.println("reelmark: warning: " + w.path("message").asText()));
                return 0;
            }
        }
    }

    @Command(name = "list", description = "A project's dataset exports, newest first.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--project", required = true, paramLabel = "ID")
        long project;

        @Override
        public Integer call() {
            try (Reelmark app = Reelmark.open(common.config(0))) {
                for (DatasetExport d : app.datasets().list(project)) {
                    System.out.printf("%4d  %-24s %-10s samples=%s failed=%s %s%n", d.id(), d.name(), d.status(),
                            d.sampleCount(), d.failedCount(), d.filePath() == null ? "" : d.filePath());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", description = "One dataset export with its manifest, as JSON.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--project", required = true, paramLabel = "ID")
        long project;
        @Option(names = "--id", required = true, paramLabel = "ID")
        long id;

        @Override
        public Integer call() throws Exception {
            try (Reelmark app = Reelmark.open(common.config(0))) {
                System.out.println(Json.PRETTY.writeValueAsString(app.datasets().get(project, id)));
                return 0;
            }
        }
    }
}
