package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.catalog.EntityType;
import dev.reelmark.db.Database;
import dev.reelmark.http.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.ProbeCache;
import dev.reelmark.media.SqlProbeStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.lang.management.ManagementFactory;
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
    public record DistinctResult(String database, int clips, int files, int failed, double coldSeconds,
                                 double keptSeconds, long coldProbes, long keptProbes, double ffprobeSeconds,
                                 int probeBound, double loadAverage) {
        @Override
        public String toString() {
            return String.format("""
                            %s, %d distinct clips (%d files a run), load average %.2f:
                              cold (no probe kept):          %6.2f s = %6.0f files/s (%d ffprobe runs, %d failed)
                              next run (probes kept in db):  %6.2f s = %6.0f files/s (%d ffprobe runs)
                              anchor: ffprobe alone on the same clips, %d at once: %.2f s = %.0f clips/s
                              cold batch / ffprobe alone: %.2fx the anchor's time""",
                    database, clips, files, loadAverage, coldSeconds, files / coldSeconds, coldProbes, failed,
                    keptSeconds, files / keptSeconds, keptProbes, probeBound, ffprobeSeconds, clips / ffprobeSeconds,
                    coldSeconds / ffprobeSeconds);
        }
    }

    /**
     * Cold metadata with distinct clips: {@code clips / 2} characters, each with a scene of two clips that are
     * different files with different bytes (copies of one synthesized clip, each ending in its own ISO BMFF
     * {@code free} box), so every clip must be probed. Times a batch with nothing kept, then a second batch with a
     * new in-memory cache over the same database (what the next run or the CLI sees), then ffprobe alone over the
     * same clips with the same bound on processes: the floor a cold batch can reach.
     */
    public static DistinctResult runDistinct(Database db, Path dataDir, FfmpegTools tools, int clips, IntConsumer progress) {
        CatalogService catalog = new CatalogService(db);
        int characters = Math.max(1, clips / 2);
        Path media = dataDir.resolve("bench-media");
        Path clip = media.resolve("clip.mp4");
        if (!Files.isRegularFile(clip)) new ClipSynth(tools).synthesize(ClipSpec.small(), clip);
        writeIfMissing(media.resolve("source.png"));
        List<Path> files = new ArrayList<>();
        long project = id(catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "distinct clips bench")));
        long sceneType = id(catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
        try {
            byte[] base = Files.readAllBytes(clip);
            for (int i = 0; i < characters; i++) {
                long character = id(catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project)
                        .put("name", "character " + i)));
                long scene = id(create(catalog, CatalogModel.SCENES, Json.object().put("character_id", character)
                        .put("scene_type_id", sceneType).put("name", "scene " + i).put("status", "complete")));
                for (int s = 0; s < 2; s++) {
                    String name = "distinct-" + i + "-" + s + ".mp4";
                    Path copy = media.resolve(name);
                    Files.write(copy, withFreeBox(base, (long) i * 2 + s));
                    files.add(copy);
                    create(catalog, CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", s)
                            .put("output_video_path", "bench-media/" + name).put("status", "complete"));
                }
                progress.accept(i + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int bound = ProbeCache.defaultMaxProbes();
        MetadataService.Options options = MetadataService.Options.defaults(dataDir).withAutoRegenerate(false);
        ProbeCache cold = new ProbeCache(() -> tools, new SqlProbeStore(db.jdbi()), ProbeCache.DEFAULT_MAX_ENTRIES, bound);
        MetadataService.RegenerationReport first;
        try (MetadataService metadata = new MetadataService(db, catalog, dataDir, () -> tools, options, cold)) {
            first = metadata.regenerateProject(project, false);
        }
        ProbeCache kept = new ProbeCache(() -> tools, new SqlProbeStore(db.jdbi()), ProbeCache.DEFAULT_MAX_ENTRIES, bound);
        MetadataService.RegenerationReport second;
        try (MetadataService metadata = new MetadataService(db, catalog, dataDir, () -> tools, options, kept)) {
            second = metadata.regenerateProject(project, false);
        }
        double anchor = ffprobeAlone(tools, files, bound);
        return new DistinctResult(db.vendor().name().toLowerCase(), files.size(), first.regenerated(), first.failed(),
                first.seconds(), second.seconds(), cold.probeCount(), kept.probeCount(), anchor, bound,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
