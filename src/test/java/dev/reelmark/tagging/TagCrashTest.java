package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.app.AppConfig;
import dev.reelmark.app.Reelmark;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.TestHttp;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability: a 200-file write while the server is killed with SIGKILL at random moments and restarted. After every
 * kill each file is readable, its media streams are unchanged and its comment is either the old or the new one; the
 * operation finishes after the restarts with every file written and no temp file left.
 */
class TagCrashTest {
    static final int FILES = 200;

    @TempDir
    Path dir;

    private Process server;
    private TestHttp http;
    private String dbUrl;

    private AppConfig config(Path data) {
        return AppConfig.defaults(data).withJobWorkers(0).withDbUrl(dbUrl);
    }

    private void start(Path data) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TagCrashServer.class.getName(), data.toString()));
        if (dbUrl != null) cmd.add(dbUrl);
        server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                http = new TestHttp(Integer.parseInt(line.substring(5).trim()));
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) {
                            // discard the log
                        }
                    } catch (Exception ignored) {
                        // process gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("server did not start");
    }

    private void kill() throws Exception {
        server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void sigkillDuringA200FileWriteCorruptsNothingAndTheOperationFinishesOnResume(Vendor vendor) throws Exception {
        TestDatabases.TestDb pg = vendor == Vendor.POSTGRESQL ? TestDatabases.fresh(vendor, dir) : null;
        dbUrl = pg == null ? null : pg.pgBaseUrl() + (pg.pgBaseUrl().contains("?") ? "&" : "?") + "currentSchema=" + pg.schema();
        try {
            run(dir.resolve("data-" + vendor));
        } finally {
            if (server != null && server.isAlive()) kill();
            if (pg != null) pg.close();
        }
    }

    private void run(Path data) throws Exception {
        List<Path> files = new ArrayList<>();
        Map<Path, Map<String, String>> hashes = new HashMap<>();
        Map<Path, String> oldComment = new HashMap<>();
        try (Reelmark app = Reelmark.open(config(data))) {
            TagFixtures f = new TagFixtures(app.catalog(), data, "crash");
            List<Long> scenes = new ArrayList<>();
            for (int c = 0; c < 4; c++) scenes.add(f.scene(f.character("Person " + c)));
            List<Path> bases = List.of(
                    f.clip("base/b.mp4", dev.reelmark.media.ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withExtraAudioTracks(1).withSubtitle(true)),
                    f.clip("base/b.mkv", dev.reelmark.media.ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true).withSubtitle(true)),
                    f.clip("base/b.mov", dev.reelmark.media.ClipSpec.of(320, 180, 24, 2).withVideoCodec("mpeg4").withAudio(true)));
            for (int i = 0; i < FILES; i++) {
                Path base = bases.get(i % 3);
                String rel = "crash/f" + i + "." + TagWriter.extension(base);
                Path p = data.resolve(rel);
                Files.createDirectories(p.getParent());
                List<String> args = new ArrayList<>(List.of("-v", "error", "-y", "-i", base.toString(), "-map", "0", "-c", "copy",
                        "-metadata", "title=take " + i));
                if (i % 4 == 0) args.addAll(List.of("-metadata", "comment=People: Guest " + i));
                args.add(p.toString());
                assertThat(FfmpegTools.defaults().runFfmpeg(args, Duration.ofSeconds(60)).ok()).isTrue();
                f.segment(scenes.get(i % 4), rel);
                files.add(p);
                oldComment.put(p, i % 4 == 0 ? "People: Guest " + i : null);
            }
        }
        for (Path p : files) hashes.put(p, TagFixtures.streamHashes(p));

        start(data);
        JsonNode started = http.post("/api/metadata/write", Json.write(Json.object().put("all", true))).json();
        long op = started.get("operation_id").asLong();
        assertThat(op).isPositive();
        Random random = new Random(7);
        int kills = 0;
        for (int k = 0; k < 3; k++) {
            // Kill a few files further on than the operation is now (writes in place take milliseconds, so a fixed
            // wait could outlast the whole operation): poll its progress and kill once it passes a random target.
            JsonNode st = http.get("/api/metadata/operations/" + op).json();
            int target = st.get("progress").get("done").asInt() + 1 + random.nextInt(15);
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!TagService.isFinal(st.get("operation").get("status").asText())
                    && st.get("progress").get("done").asInt() < target && System.nanoTime() < until) {
                Thread.sleep(5);
                st = http.get("/api/metadata/operations/" + op).json();
            }
            kill();
            kills++;
            if (k < 2) {
                // the kill really lands in the middle of the operation
                assertThat(TagService.isFinal(st.get("operation").get("status").asText())).as(st.get("progress").toString()).isFalse();
            }
            int done = st.get("progress").get("done").asInt();
            // every file: readable, media untouched, comment old or new
            Map<Path, String> expectedNew = expectedNewComments(data, op);
            int written = 0;
            for (Path p : files) {
                String c = TagFixtures.ffprobeComment(p);
                assertThat(c).as(p.toString()).isIn(oldComment.get(p), expectedNew.get(p));
                if (!java.util.Objects.equals(c, oldComment.get(p))) written++;
                assertThat(TagFixtures.streamHashes(p)).as("media of " + p).isEqualTo(hashes.get(p));
            }
            assertThat(written).isGreaterThanOrEqualTo(done > 0 ? done - 1 : 0);
            start(data);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode status;
        do {
            Thread.sleep(500);
            status = http.get("/api/metadata/operations/" + op).json();
        } while (!TagService.isFinal(status.get("operation").get("status").asText()) && System.nanoTime() < deadline);
        kill();
        assertThat(kills).isEqualTo(3);
        assertThat(status.get("operation").get("status").asText()).as(status.get("operation").toString()).isEqualTo("completed");
        assertThat(status.get("operation").get("success_count").asInt()).isEqualTo(FILES);
        Map<Path, String> expectedNew = expectedNewComments(data, op);
        for (Path p : files) {
            assertThat(TagFixtures.ffprobeComment(p)).isEqualTo(expectedNew.get(p));
            assertThat(TagFixtures.streamHashes(p)).isEqualTo(hashes.get(p));
        }
        for (int i = 0; i < FILES; i += 25) {
            assertThat(TagFixtures.exiftoolComment(files.get(i))).isEqualTo(expectedNew.get(files.get(i)));
        }
        try (Stream<Path> all = Files.walk(data)) {
            assertThat(all.map(Path::toString)).noneMatch(n -> n.contains("reelmark-tmp"));
        }
    }

    private Map<Path, String> expectedNewComments(Path data, long op) {
        Map<Path, String> out = new HashMap<>();
        try (Reelmark app = Reelmark.open(config(data))) {
            for (var item : app.tagging().items(op)) out.put(Path.of(item.filePath()), item.newComment());
        }
        return out;
    }
}
