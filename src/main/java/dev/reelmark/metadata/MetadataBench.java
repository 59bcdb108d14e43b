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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

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
                MetadataService.Options.defaults(dataDir).withAutoRegenerate(false))) {
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
