package dev.reelmark.sidecar;

import dev.reelmark.app.DemoStudio;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.ApiHarness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo studio in a test server's data directory. Its clips are made by ffmpeg once per JVM and copied into
 * each test's data directory; the catalog rows are created fresh in each test's database.
 */
public final class DemoData {
    private static Path cache;

    private DemoData() {
    }

    public static Path dataDir(ApiHarness h) {
        return h.app.config().dataDir();
    }

    /** Builds the demo in the harness; returns the project id. */
    public static synchronized long build(ApiHarness h) throws IOException {
        Path data = dataDir(h);
        if (cache != null) copyTree(cache, data);
        var summary = new DemoStudio(h.app.catalog(), data, FfmpegTools.defaults()).build((d, t) -> { });
        if (cache == null) {
            Path c = Files.createTempDirectory("reelmark-demo-cache");
            copyTree(data, c);
            cache = c;
        }
        return summary.projectId();
    }

    public static List<Long> characters(ApiHarness h, long project) {
        return h.app.catalog().list(CatalogModel.CHARACTERS, Map.of("project_id", project), 100, null).items().stream()
                .map(n -> n.get("id").longValue()).toList();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                String rel = from.relativize(p).toString();
                if (rel.endsWith(".db") || rel.contains(".db-") || rel.startsWith("exports") || rel.startsWith("thumbnails")) continue;
                Path target = to.resolve(rel);
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else if (!Files.exists(target)) Files.copy(p, target);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
