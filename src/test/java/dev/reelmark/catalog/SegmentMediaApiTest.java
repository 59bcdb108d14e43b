package dev.reelmark.catalog;

import dev.reelmark.db.Vendor;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentMediaApiTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aSegmentShowsItsVideosTechnicalInfoAndThumbnail(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            new ClipSynth().synthesize(ClipSpec.of(640, 360, 30, 1).withVideoCodec("mpeg4"),
                    h.app.config().dataDir().resolve("media/shot.mkv"));
            var s = new CatalogApiTest.Studio(h.http);
            long segment = s.segment;
            h.http.patch("/api/segments/" + segment, "{\"output_video_path\":\"media/shot.mkv\"}");

            var info = h.http.get("/api/segments/" + segment + "/media");
            assertThat(info.status()).as(info.body()).isEqualTo(200);
            assertThat(info.json().get("resolution").asText()).isEqualTo("640x360");
            assertThat(info.json().get("fps").doubleValue()).isEqualTo(30.0);
            assertThat(info.json().get("codec").asText()).isEqualTo("mpeg4");
            assertThat(info.json().get("duration_seconds").doubleValue()).isBetween(0.9, 1.2);

            byte[] jpeg = h.http.getBytes("/api/segments/" + segment + "/thumbnail");
            assertThat(jpeg.length).isGreaterThan(500);
            assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);

            h.http.patch("/api/segments/" + segment, "{\"output_video_path\":\"../../../etc/passwd\"}");
            var escaped = h.http.get("/api/segments/" + segment + "/media");
            assertThat(escaped.status()).isEqualTo(422);
            assertThat(escaped.json().get("field").asText()).isEqualTo("output_video_path");

            h.http.patch("/api/segments/" + segment, "{\"output_video_path\":\"media/gone.mp4\"}");
            assertThat(h.http.get("/api/segments/" + segment + "/thumbnail").status()).isEqualTo(404);
            h.http.patch("/api/segments/" + segment, "{\"output_video_path\":null}");
            assertThat(h.http.get("/api/segments/" + segment + "/media").status()).isEqualTo(404);
            assertThat(h.http.get("/api/segments/999999/media").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aBackgroundJobMakesEveryThumbnailOfAProjectAndReportsTheFailures(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new CatalogApiTest.Studio(h.http);
            for (int i = 1; i <= 3; i++) {
                new ClipSynth().synthesize(ClipSpec.of(160, 120, 24, 1).withVideoCodec("mpeg4"),
                        h.app.config().dataDir().resolve("media/s" + i + ".mp4"));
                h.http.post("/api/segments", "{\"scene_id\":" + s.scene + ",\"sequence_index\":" + i
                        + ",\"output_video_path\":\"media/s" + i + ".mp4\"}");
            }
            // The studio's first segment points at media/a.mp4, which does not exist.
            var started = h.http.post("/api/projects/" + s.project + "/thumbnails", "");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            long job = started.json().get("id").longValue();
            var done = h.app.jobs().awaitTerminal(job, java.time.Duration.ofSeconds(60));
            assertThat(done.status().value()).isEqualTo("completed");
            assertThat(done.progressDone()).isEqualTo(4);
            assertThat(done.result().get("failed").intValue()).isEqualTo(1);
            assertThat(done.result().get("failures").get(0).get("segment_id").longValue()).isEqualTo(s.segment);
            try (var files = java.nio.file.Files.list(h.app.config().dataDir().resolve("thumbnails"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".jpg")).count()).isEqualTo(3);
            }
            assertThat(h.http.get("/api/jobs/" + job).json().get("status").asText()).isEqualTo("completed");
            assertThat(h.http.post("/api/projects/999999/thumbnails", "").status()).isEqualTo(404);
        }
    }
}
