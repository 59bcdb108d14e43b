package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.db.Database;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.media.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark for {@code reelmark bench metadata [--characters 10000]}: builds a project of N characters (a source
 * image, a derived image with a variant, custom fields) each with a scene of two segments (real clips made once by
 * ffmpeg and shared, with quality scores), then times a full batch regeneration (every character_metadata.json and
 * video_metadata.json: schema validation, atomic write, SHA-256, upsert) and a stale check. A figure, not a test.
 */
public final class MetadataBench {
    public record Result(String database, int characters, int files, int failed, double setupSeconds,
                         double regenerateSeconds, double staleCheckSeconds) {
        public double filesPerSecond() {
            return files / regenerateSeconds;
        }

        @Override
        public String toString() {
            return String.format("%s: %d characters, %d files regenerated in %.1f s (%.0f files/s, %d failed); "
                            + "setup %.1f s; stale check of the project %.1f s",
                    database, characters, files, regenerateSeconds, filesPerSecond(), failed, setupSeconds, staleCheckSeconds);
        }
    }

    private MetadataBench() {
    }

    /** Runs the benchmark on an already migrated (fresh) database; files go under {@code dataDir}. */
    public static Result run(Database db, Path dataDir, FfmpegTools tools, int characters, IntConsumer progress) {
        long t0 = System.nanoTime();
        CatalogService catalog = new CatalogService(db);
        try (MetadataService metadata = new MetadataService(db, catalog, dataDir, () -> tools,
                MetadataService.Options.defaults(dataDir).withAutoRegenerate(false), ProbeCache.persistent(() -> tools, db.jdbi()))) {
            Path clip = dataDir.resolve("bench-media/clip.mp4");
            if (!Files.isRegularFile(clip)) new ClipSynth(tools).synthesize(ClipSpec.small(), clip);
            Path image = dataDir.resolve("bench-media/source.png");
            writeIfMissing(image);
            long project = id(catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "metadata bench")));
            long sceneType = id(catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
            for (int i = 0; i < characters; i++) {
                ObjectNode c = Json.object().put("project_id", project).put("name", "character " + i)
                        .put("description", "bench character " + i).put("height", "170 cm").put("hair_color", "black");
                c.putArray("tags").add("bench");
                c.putObject("custom_fields").put("index", i);
                long character = id(catalog.create(CatalogModel.CHARACTERS, c));
                long source = id(create(catalog, CatalogModel.IMAGES, Json.object().put("character_id", character)
                        .put("image_type", "source").put("filename", "source.png").put("path", "bench-media/source.png")));
                long derived = id(create(catalog, CatalogModel.IMAGES, Json.object().put("character_id", character)
                        .put("image_type", "derived").put("source_image_id", source).put("filename", "source.png")
                        .put("path", "bench-media/source.png")));
                create(catalog, CatalogModel.IMAGE_VARIANTS, Json.object().put("image_id", derived).put("variant_type", "clothed"));
                long scene = id(create(catalog, CatalogModel.SCENES, Json.object().put("character_id", character)
                        .put("scene_type_id", sceneType).put("name", "scene " + i).put("status", "complete")));
                for (int s = 0; s < 2; s++) {
                    long segment = id(create(catalog, CatalogModel.SEGMENTS, Json.object().put("scene_id", scene)
                            .put("sequence_index", s).put("output_video_path", "bench-media/clip.mp4").put("status", "complete")));
                    create(catalog, CatalogModel.SEGMENT_QUALITY, Json.object().put("segment_id", segment).put("overall_score", 0.9));
                }
                progress.accept(i + 1);
            }
            double setup = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            MetadataService.RegenerationReport report = metadata.regenerateProject(project, false);
            double regenerate = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            metadata.staleReport(project);
            double stale = (System.nanoTime() - t2) / 1e9;
            return new Result(db.vendor().name().toLowerCase(), characters, report.regenerated(), report.failed(), setup, regenerate, stale);
        }
    }

    /** What {@link #runDistinct} measured: the batch cold, again from the kept probes, and ffprobe alone. */
    public record DistinctResult(String database, int clips, int files, int failed, double makeSeconds, double coldSeconds,
                                 double keptSeconds, long coldJavaProbes, long coldFfprobes, long keptProbes,
                                 double ffprobeSeconds, int probeBound) {
        public double coldFilesPerSecond() {
            return files / coldSeconds;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, """
                            %s, %d distinct clips (made by one ffmpeg segment-muxer run in %.1f s), %d metadata files a run:
                              cold (empty probe cache):      %6.2f s = %6.0f files/s (%d clips read by Mp4Probe, %d by ffprobe, %d failed)
                              next run (probes kept in db):  %6.2f s = %6.0f files/s (%d probes)
                              anchor: one ffprobe per clip, %d at once: %.2f s = %.0f clips/s
                              ratio: cold batch %.2fx faster than the anchor (anchor time / cold batch time)""",
                    database, clips, makeSeconds, files, coldSeconds, files / coldSeconds, coldJavaProbes, coldFfprobes, failed,
                    keptSeconds, files / keptSeconds, keptProbes, probeBound, ffprobeSeconds, clips / ffprobeSeconds,
                    ffprobeSeconds / coldSeconds);
        }
    }

    /**
     * Cold metadata with distinct clips: {@code clips} real, different clips (one ffmpeg run with the segment muxer
     * cuts a synthesized stream into half-second MP4 files, each with its own frames), {@code clips / 2} characters
     * each with a scene of two of them. Times a batch regeneration on a fresh database (nothing probed, nothing
     * kept) end to end, then a second batch with a new in-memory cache over the same database (what the next run or
     * the CLI sees), then the anchor: one ffprobe per clip over the same clips, {@code bound} at once.
     */
    public static DistinctResult runDistinct(Database db, Path dataDir, FfmpegTools tools, int clips, IntConsumer progress) {
        CatalogService catalog = new CatalogService(db);
        int characters = Math.max(1, clips / 2);
        int made = characters * 2;
        Path media = dataDir.resolve("bench-media");
        writeIfMissing(media.resolve("source.png"));
        long m0 = System.nanoTime();
        List<Path> files = segments(tools, media, made);
        double makeSeconds = (System.nanoTime() - m0) / 1e9;
        long project = id(catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "distinct clips bench")));
        long sceneType = id(catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
        for (int i = 0; i < characters; i++) {
            long character = id(catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project)
                    .put("name", "character " + i)));
            long scene = id(create(catalog, CatalogModel.SCENES, Json.object().put("character_id", character)
                    .put("scene_type_id", sceneType).put("name", "scene " + i).put("status", "complete")));
            for (int s = 0; s < 2; s++) {
                create(catalog, CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", s)
                        .put("output_video_path", "bench-media/" + files.get(i * 2 + s).getFileName()).put("status", "complete"));
            }
            progress.accept(i + 1);
        }
        int bound = ProbeCache.defaultMaxProbes();
        MetadataService.Options options = MetadataService.Options.defaults(dataDir).withAutoRegenerate(false);
        ProbeCache cold = ProbeCache.persistent(() -> tools, db.jdbi());
        MetadataService.RegenerationReport first;
        try (MetadataService metadata = new MetadataService(db, catalog, dataDir, () -> tools, options, cold)) {
            first = metadata.regenerateProject(project, false);
        }
        ProbeCache kept = ProbeCache.persistent(() -> tools, db.jdbi());
        MetadataService.RegenerationReport second;
        try (MetadataService metadata = new MetadataService(db, catalog, dataDir, () -> tools, options, kept)) {
            second = metadata.regenerateProject(project, false);
        }
        double anchor = ffprobeAlone(tools, files, bound);
        return new DistinctResult(db.vendor().name().toLowerCase(), files.size(), first.regenerated(), first.failed(),
                makeSeconds, first.seconds(), second.seconds(), cold.javaProbeCount(), cold.ffprobeCount(),
                kept.probeCount(), anchor, bound);
    }

    /** {@code n} distinct half-second clips from one ffmpeg run (segment muxer, a keyframe at every cut). */
    static List<Path> segments(FfmpegTools tools, Path media, int n) {
        try {
            Files.createDirectories(media);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String codec = new ClipSynth(tools).defaultVideoCodec();
        double seconds = n * 0.5 + 0.25; // a little past the last cut, so the last wanted clip is whole
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=160x90:rate=24", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.format(java.util.Locale.ROOT, "%.3f", seconds),
                "-c:v", codec, "-force_key_frames", "expr:gte(t,n_forced*0.5)", "-g", "12", "-c:a", "aac",
                "-f", "segment", "-segment_time", "0.5", "-reset_timestamps", "1", "-segment_format", "mp4",
                media.resolve("distinct-%05d.mp4").toString()), java.time.Duration.ofMinutes(30));
        if (!r.ok()) throw ProcessRunner.failure("ffmpeg could not make the distinct clips", r);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = media.resolve(String.format(java.util.Locale.ROOT, "distinct-%05d.mp4", i));
            if (!Files.isRegularFile(f)) throw new IllegalStateException("the segment muxer made fewer than " + n + " clips (no " + f.getFileName() + ")");
            out.add(f);
        }
        return out;
    }

    /** The anchor: one ffprobe per clip, {@code bound} at once, nothing cached. */
    private static double ffprobeAlone(FfmpegTools tools, List<Path> files, int bound) {
        long t0 = System.nanoTime();
        var pool = Executors.newFixedThreadPool(bound);
        try {
            List<Future<?>> all = new ArrayList<>();
            MediaProbe probe = new MediaProbe(tools);
            for (Path f : files) all.add(pool.submit(() -> probe.probe(f)));
            for (Future<?> f : all) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ffprobe failed in the anchor run", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The clip with a 16-byte {@code free} box carrying {@code n} appended: still valid ISO BMFF, other bytes. */
    static byte[] withFreeBox(byte[] clip, long n) {
        ByteBuffer b = ByteBuffer.allocate(clip.length + 16);
        b.put(clip).putInt(16).put(new byte[]{'f', 'r', 'e', 'e'}).putLong(n);
        return b.array();
    }

    private static ObjectNode create(CatalogService catalog, EntityType type, ObjectNode body) {
        return catalog.create(type, body);
    }

    private static long id(ObjectNode row) {
        return row.get("id").longValue();
    }

    private static void writeIfMissing(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.isRegularFile(file)) Files.write(file, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
