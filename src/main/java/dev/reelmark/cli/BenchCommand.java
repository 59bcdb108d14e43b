package dev.reelmark.cli;

import dev.reelmark.app.AppConfig;
import dev.reelmark.app.CatalogBench;
import dev.reelmark.app.Reelmark;
import dev.reelmark.db.Database;
import dev.reelmark.db.ScratchDatabase;
import dev.reelmark.metadata.MetadataBench;
import dev.reelmark.provenance.ProvenanceBench;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks (figures, not pass/fail).", subcommands = {BenchCommand.Catalog.class, BenchCommand.Metadata.class, BenchCommand.Provenance.class, BenchCommand.Tags.class,
        dev.reelmark.sidecar.SidecarBench.Cmd.class, dev.reelmark.dataset.DatasetBench.Cmd.class,
        dev.reelmark.provenance.RegenerateBench.Cmd.class, ImportBench.class, dev.reelmark.credentials.CredentialBench.class,
        dev.reelmark.tagging.TagWriteBench.Cmd.class})
final class BenchCommand {
    @Command(name = "catalog", description = "Insert N characters with a scene and two segments each through the HTTP API, "
            + "then read every row back. Uses a fresh SQLite file, or a fresh schema on --db jdbc:postgresql://… (dropped afterwards).")
    static final class Catalog implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--characters", defaultValue = "10000", description = "Characters to insert (default ${DEFAULT-VALUE})")
        int characters;

        @Option(names = "--concurrency", defaultValue = "4", description = "Concurrent HTTP clients (default ${DEFAULT-VALUE})")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            if (characters < 1) throw new IllegalArgumentException("--characters must be at least 1");
            if (concurrency < 1 || concurrency > 64) throw new IllegalArgumentException("--concurrency must be from 1 to 64");
            AppConfig base = common.config(0);
            try (ScratchDatabase scratch = ScratchDatabase.open(base.dbUrl(), "reelmark-bench");
                 Reelmark app = Reelmark.open(new AppConfig(scratch.dir(), scratch.url(),
                         base.ffmpeg(), base.ffprobe(), 0))) {
                String label = scratch.label();
                int port = app.startServer("127.0.0.1", 0).port();
                CatalogBench.Result r;
                try (ProgressBar bar = new ProgressBar("characters", characters)) {
                    r = new CatalogBench(port, concurrency).run(label, characters, bar::stepTo);
                }
                System.out.printf("%s: inserted %d rows in %.2f s = %.0f rows/s; read %d rows in %.2f s = %.0f rows/s%n",
                        r.database(), r.rowsInserted(), r.insertSeconds(), r.insertRowsPerSecond(),
                        r.rowsRead(), r.readSeconds(), r.readRowsPerSecond());
            }
            return 0;
        }
    }

    @Command(name = "metadata", description = "Batch regeneration of character_metadata.json and video_metadata.json for N characters "
            + "(with images, a scene of two real clips each) on a fresh database; prints files/s.")
    static final class Metadata implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--characters", defaultValue = "10000", description = "Characters (default ${DEFAULT-VALUE})")
        int characters;

        @Option(names = "--distinct-clips", defaultValue = "0", description = "Instead: N distinct real clips (two a character, "
                + "made by one ffmpeg segment-muxer run), cold, then with the probes kept, against one ffprobe per clip (0: off)")
        int distinctClips;

        @Override
        public Integer call() throws Exception {
            if (characters < 1) throw new IllegalArgumentException("--characters must be at least 1");
            if (distinctClips < 0 || distinctClips > 1_000_000) throw new IllegalArgumentException("--distinct-clips must be from 0 to 1000000");
            try (ScratchDatabase scratch = ScratchDatabase.open(common.config(0).dbUrl(), "reelmark-bench-metadata");
                 Database db = Database.openAndMigrate(scratch.url())) {
                if (distinctClips > 0) {
                    MetadataBench.DistinctResult d;
                    System.out.println("machine before: " + MachineLoad.describe());
                    try (ProgressBar bar = new ProgressBar("characters", Math.max(1, distinctClips / 2))) {
                        d = MetadataBench.runDistinct(db, scratch.dir(), common.config(0).ffmpegTools(), distinctClips, bar::stepTo);
                    }
                    System.out.println(d);
                    System.out.println("machine after:  " + MachineLoad.describe());
                    return 0;
                }
                MetadataBench.Result r;
                try (ProgressBar bar = new ProgressBar("characters", characters)) {
                    r = MetadataBench.run(db, scratch.dir(), common.config(0).ffmpegTools(), characters, bar::stepTo);
                }
                System.out.println(r);
            }
            return 0;
        }
    }

    @Command(name = "provenance", description = "N generation receipts (2 LoRAs each) across S segments on a fresh database, then "
            + "p50/p99 of forward, reverse and staleness-report queries, with their query plans.")
    static final class Provenance implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--receipts", defaultValue = "1000000", description = "Receipts (default ${DEFAULT-VALUE})")
        int receipts;

        @Option(names = "--segments", defaultValue = "10000", description = "Segments (default ${DEFAULT-VALUE})")
        int segments;

        @Option(names = "--http", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also time the same queries over HTTP against a server on the filled database (default: on)")
        boolean http;

        @Override
        public Integer call() throws Exception {
            if (receipts < 1) throw new IllegalArgumentException("--receipts must be at least 1");
            if (segments < 1) throw new IllegalArgumentException("--segments must be at least 1");
            AppConfig base = common.config(0);
            System.out.println("machine before: " + MachineLoad.describe());
            ProvenanceBench.runFresh(base.dbUrl(), receipts, segments, System.out, (scratch, r) -> {
                System.out.println("machine after the inserts and in-process queries: " + MachineLoad.describe());
                if (http) timeOverHttp(base, scratch, r);
            });
            System.out.println("machine after: " + MachineLoad.describe());
            return 0;
        }

        /** The same questions through the whole server (routing, auth gate, JSON), one client, over loopback. */
        private static void timeOverHttp(AppConfig base, ScratchDatabase scratch, ProvenanceBench.Result r) throws Exception {
            try (Reelmark app = Reelmark.open(new AppConfig(scratch.dir(), scratch.url(), base.ffmpeg(), base.ffprobe(), 0))) {
                int port = app.startServer("127.0.0.1", 0).port();
                var client = java.net.http.HttpClient.newHttpClient();
                java.util.Random random = new java.util.Random(96);
                System.out.printf("%s over HTTP (127.0.0.1:%d):%n", r.database(), port);
                for (ProvenanceBench.HttpQuery q : r.targets().httpQueries(random)) {
                    ProvenanceBench.Timing t = ProvenanceBench.time(q.name(), q.runs(), () -> {
                        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + q.path().get())).GET().build();
                        try {
                            var res = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                            if (res.statusCode() != 200) throw new IllegalStateException(req.uri() + " answered " + res.statusCode());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
                    System.out.printf("  %-75s p50 %8.2f ms  p99 %8.2f ms  (n=%d)%n", t.query(), t.p50Ms(), t.p99Ms(), t.runs());
                }
            }
        }
    }

    /** Tag plan and write benchmark (issues 7 and 16), every figure side by side with its anchor tool in one run. */
    @Command(name = "tags", description = "Plan N real video files (cached under DATA/bench-tags) cold and warm over HTTP on a "
            + "fresh database, against one exiftool -fast / -fast2 process and one ffprobe per file; then N comment writes of "
            + "a 1 GB MP4 in place against ffmpeg -c copy and exiftool -Comment=; prints ms, files/s, ratios and the load.")
    static final class Tags implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--files", defaultValue = "1000", description = "Video files to plan (default ${DEFAULT-VALUE})")
        int files;

        @Option(names = "--big-mb", defaultValue = "1024", description = "Size of the large MP4 to write, MB; 0 skips it (default ${DEFAULT-VALUE})")
        int bigMb;

        @Option(names = "--writes", defaultValue = "5", description = "Comment writes of the large file, their median printed (default ${DEFAULT-VALUE})")
        int writes;

        @Option(names = "--anchors", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Run exiftool, ffprobe and ffmpeg beside Reelmark (default: on; --no-anchors: Reelmark's plan only)")
        boolean anchors;

        @Option(names = "--inplace", description = "Instead: time the comment write of one large MP4 and Matroska file "
                + "(--big-mb) on each path (in place, moov rewritten, shifted, Matroska tags moved) against ffmpeg -c copy "
                + "and the ffmpeg rewrite")
        boolean inPlace;

        @Override
        public Integer call() throws Exception {
            if (files < 1 || files > 100_000) throw new IllegalArgumentException("--files must be from 1 to 100000");
            if (bigMb < 0 || bigMb > 16_384) throw new IllegalArgumentException("--big-mb must be from 0 to 16384");
            if (writes < 1 || writes > 1000) throw new IllegalArgumentException("--writes must be from 1 to 1000");
            AppConfig base = common.config(0);
            Path data = base.dataDir();
            // the data directory is made when missing, as every other command does (it used to be refused)
            if (Files.exists(data) && !Files.isDirectory(data)) throw new IllegalArgumentException("--data: " + data + " is not a folder");
            Files.createDirectories(data);
            if (!inPlace) {
                new dev.reelmark.tagging.TagBench(data, files, bigMb, System.out).withAnchors(anchors)
                        .runSideBySide(data, base.dbUrl(), base.ffmpeg(), base.ffprobe(), writes);
                return 0;
            }
            Path scratch = Files.createTempDirectory(data, "reelmark-tag-bench");
            System.out.println("machine: " + MachineLoad.describe());
            try {
                new dev.reelmark.tagging.TagBench(scratch, files, bigMb, System.out).runInPlace();
                System.out.println("machine: " + MachineLoad.describe());
            } finally {
                try (var walk = Files.walk(scratch)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }
    }
}
