package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.FfmpegTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metadata files as people meet them on disk: a PATCH that changes nothing leaves them current, a project rename
 * moves every file of the project, and files and delivery folders get the modes {@code touch}/{@code mkdir} give.
 */
class MetadataFilesTest {
    @TempDir
    Path dir;

    /** Media shared by the tests (one real clip and an image). */
    @TempDir
    static Path data;

    @BeforeAll
    static void media() throws Exception {
        Files.createDirectories(data.resolve("img"));
        Files.write(data.resolve("img/face.png"), new byte[]{1, 2, 3});
        new ClipSynth(FfmpegTools.defaults()).synthesize(ClipSpec.small(), data.resolve("clips/one.mp4"));
    }

    /** project, character, scene. */
    static long[] project(MetadataTestServer s, String name) {
        long project = MetadataFailuresTest.create(s, "/api/projects", Json.object().put("name", name).put("description", "night shoot"));
        long type = MetadataFailuresTest.create(s, "/api/scene-types", Json.object().put("project_id", project).put("name", "idle"));
        long character = MetadataFailuresTest.create(s, "/api/characters", Json.object().put("project_id", project).put("name", "Mara")
                .put("height", "170 cm").set("tags", Json.MAPPER.createArrayNode().add("lead").add("night")));
        MetadataFailuresTest.create(s, "/api/images", Json.object().put("character_id", character).put("image_type", "source")
                .put("filename", "face.png").put("path", "img/face.png"));
        long scene = MetadataFailuresTest.create(s, "/api/scenes", Json.object().put("character_id", character).put("scene_type_id", type).put("name", "walk"));
        MetadataFailuresTest.create(s, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", 0).put("output_video_path", "clips/one.mp4"));
        return new long[]{project, character, scene};
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aPatchThatChangesNothingChangesNoTimestampAndMarksNothingStale(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long[] ids = project(s, "Noop");
            s.metadata.regenerateCharacter(ids[1]);
            s.metadata.regenerateScene(ids[2]);
            JsonNode before = s.http.get("/api/characters/" + ids[1]).json();
            JsonNode projectBefore = s.http.get("/api/projects/" + ids[0]).json();

            var same = s.http.patch("/api/characters/" + ids[1], "{\"name\": \"Mara\", \"height\": \"170 cm\", \"tags\": [\"lead\", \"night\"], \"description\": null}");
            assertThat(same.status()).as(same.body()).isEqualTo(200);
            assertThat(same.json()).isEqualTo(before);
            assertThat(s.http.patch("/api/projects/" + ids[0], "{\"description\": \"night shoot\"}").json()).isEqualTo(projectBefore);
            assertThat(s.http.get("/api/characters/" + ids[1]).json().get("updated_at")).isEqualTo(before.get("updated_at"));
            assertThat(s.metadata.staleness(MetadataService.CHARACTER, ids[1]).reasons()).isEmpty();
            assertThat(s.metadata.staleness(MetadataService.SCENE, ids[2]).reasons()).isEmpty();

            // a real change is still one: the new value is stored and the files built from it are stale
            Thread.sleep(5); // timestamps have millisecond resolution
            var changed = s.http.patch("/api/characters/" + ids[1], "{\"name\": \"Mara\", \"height\": \"171 cm\"}");
            assertThat(changed.json().get("height").asText()).isEqualTo("171 cm");
            assertThat(changed.json().get("updated_at")).isNotEqualTo(before.get("updated_at"));
            assertThat(s.metadata.staleness(MetadataService.CHARACTER, ids[1]).reasons()).contains(MetadataService.SOURCE_CHANGED);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aProjectRenameMovesEveryFileOfTheProject(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, data, true)) {
            long[] ids = project(s, "Old Name");
            s.metadata.regenerateCharacter(ids[1]);
            s.metadata.regenerateScene(ids[2]);
            Path root = s.metadata.characterFile(s.catalog.reads().requireProject(ids[0]),
                    s.catalog.reads().character(ids[1]).orElseThrow()).getParent().getParent().getParent();
            assertThat(files(root)).containsExactlyInAnyOrder("Old Name-" + ids[0] + "/Mara-" + ids[1] + "/character_metadata.json",
                    "Old Name-" + ids[0] + "/Mara-" + ids[1] + "/scenes/walk-" + ids[2] + "/video_metadata.json");

            assertThat(s.http.patch("/api/projects/" + ids[0], "{\"name\": \"New Name\"}").status()).isEqualTo(200);
            s.metadata.awaitIdle(Duration.ofSeconds(30));
            // every file is under the new name, the old folder is gone, and what is recorded is current
            assertThat(files(root)).containsExactlyInAnyOrder("New Name-" + ids[0] + "/Mara-" + ids[1] + "/character_metadata.json",
                    "New Name-" + ids[0] + "/Mara-" + ids[1] + "/scenes/walk-" + ids[2] + "/video_metadata.json");
            assertThat(root.resolve("Old Name-" + ids[0])).doesNotExist();
            assertThat(s.metadata.staleReport(ids[0]).staleCount()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void withoutAutoRegenerationARenamedProjectsFilesAreStaleUntilRegenerated(Vendor vendor) throws Exception {
        try (var s = new MetadataTestServer(vendor, dir, data, false)) {
            long[] ids = project(s, "Before");
            s.metadata.regenerateProject(ids[0], false);
            assertThat(s.http.patch("/api/projects/" + ids[0], "{\"name\": \"After\"}").status()).isEqualTo(200);
            var stale = s.metadata.staleness(MetadataService.SCENE, ids[2]);
            assertThat(stale.reasons()).containsExactly(MetadataService.PATH_CHANGED);
            var report = s.metadata.regenerateProject(ids[0], true);
            assertThat(report.regenerated()).isEqualTo(2);
            Path sceneFile = s.metadata.resolve(s.metadata.generation(MetadataService.SCENE, ids[2]).orElseThrow().filePath());
            assertThat(sceneFile.toString()).contains("After-" + ids[0]).doesNotContain("Before-");
            assertThat(sceneFile.getParent().getParent().getParent().getParent().resolveSibling("Before-" + ids[0])).doesNotExist();
            assertThat(s.metadata.staleReport(ids[0]).staleCount()).isZero();
        }
    }

    /**
     * Under a known umask (027, in a child process running {@code reelmark metadata regenerate}), the metadata files
     * get exactly the mode {@code touch} gives there, not the owner-only 600 of temp files; a delivered folder and
     * its files get what {@code mkdir} and {@code touch} give under this process's own umask.
     */
    @Test
    void metadataFilesAndDeliveriesGetTheModesTouchAndMkdirGive() throws Exception {
        try (var s = new MetadataTestServer(Vendor.SQLITE, dir, data, MetadataService.Options.defaults(data).withAutoRegenerate(false))) {
            long[] ids = project(s, "Modes");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                    "umask 027 && touch \"$1/touched\" && shift && exec \"$@\"", "sh", dir.toString(),
                    java, "-cp", System.getProperty("java.class.path"), "dev.reelmark.cli.Main", "metadata", "regenerate",
                    "--project", String.valueOf(ids[0]), "--data", data.toString(), "--db", s.testDb.db().displayUrl()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(log).isZero();
            String touched = mode(dir.resolve("touched"));
            assertThat(touched).isEqualTo("rw-r-----");
            Path characterFile = s.metadata.resolve(s.metadata.generation(MetadataService.CHARACTER, ids[1]).orElseThrow().filePath());
            Path sceneFile = s.metadata.resolve(s.metadata.generation(MetadataService.SCENE, ids[2]).orElseThrow().filePath());
            assertThat(mode(characterFile)).isEqualTo(touched);
            assertThat(mode(sceneFile)).isEqualTo(touched);

            // the delivery, in this process: compared with touch and mkdir run from here (same umask)
            Process t = new ProcessBuilder("/bin/sh", "-c", "touch \"$1/here\" && mkdir \"$1/here.d\"", "sh", dir.toString()).start();
            assertThat(t.waitFor(30, TimeUnit.SECONDS) && t.exitValue() == 0).isTrue();
            String file = mode(dir.resolve("here")), folder = mode(dir.resolve("here.d"));
            Path out = dir.resolve("delivered");
            Path zip = dir.resolve("delivered.zip");
            s.delivery.deliver(ids[0], MetadataDelivery.Format.FOLDER, out, List.of());
            s.delivery.deliver(ids[0], MetadataDelivery.Format.ZIP, zip, List.of());
            assertThat(mode(zip)).isEqualTo(file);
            try (Stream<Path> walk = Files.walk(out)) {
                List<Path> all = walk.toList();
                assertThat(all).hasSizeGreaterThan(3);
                for (Path f : all) assertThat(mode(f)).as(out.relativize(f).toString()).isEqualTo(Files.isDirectory(f) ? folder : file);
            }
        }
    }

    static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static List<String> files(Path root) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).toList();
        }
    }
}
