package dev.reelmark.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media roots are checked on real paths: a symbolic link inside the data directory that points outside is refused
 * for reads (probe, thumbnail) and for tag writes, a link to a file inside is read and tagged in its target (the link
 * stays a link), and
 * a playlist saved under a video's name cannot make ffprobe open files it lists.
 */
class MediaConfinementTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void linksOutOfTheRootsAreRefusedAndLinksAreNeverWrittenThrough(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            Path outside = Files.createDirectories(dir.resolve("outside"));
            Path secret = TagFixtures.SYNTH.synthesize(TagFixtures.small().withTag("title", "Secret take"), outside.resolve("secret.mp4"));
            String secretSha = TagFixtures.sha(secret);

            TagFixtures f = new TagFixtures(h.app.catalog(), data, "links");
            long scene = f.scene(f.character("Alice"));
            Files.createDirectories(data.resolve("v"));
            Files.createSymbolicLink(data.resolve("v/out.mp4"), secret);
            long outSeg = f.segment(scene, "v/out.mp4");
            Path real = f.clip("v/real.mp4", TagFixtures.small());
            Files.createSymbolicLink(data.resolve("v/in.mp4"), real);
            long inSeg = f.segment(scene, "v/in.mp4");

            var refused = h.http.get("/api/segments/" + outSeg + "/media");
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.json().get("error").asText()).isEqualTo("path_outside_roots");
            assertThat(h.http.get("/api/segments/" + outSeg + "/thumbnail").status()).isEqualTo(422);
            // A link to a file inside the roots is read (it is the same file) ...
            assertThat(h.http.get("/api/segments/" + inSeg + "/media").status()).isEqualTo(200);

            JsonNode plan = h.http.get("/api/metadata/plan").json();
            Map<String, JsonNode> items = TagApiTest.byName(plan);
            assertThat(items.get("out.mp4").get("issues").toString()).contains("outside the media roots");
            // ... and tagged in its target: the plan names the real file, the link is never replaced.
            assertThat(items.get("in.mp4")).isNull();
            assertThat(items.get("real.mp4").get("file_path").asText()).isEqualTo(real.toRealPath().toString());
            assertThat(items.get("real.mp4").get("can_update").asBoolean()).isTrue();

            var write = h.http.post("/api/metadata/write", "{\"all\": true}");
            if (write.status() == 202) {
                h.app.tagging().await(write.json().get("operation").get("id").asLong(), java.time.Duration.ofSeconds(120));
            }
            assertThat(TagFixtures.sha(secret)).isEqualTo(secretSha);
            assertThat(Files.isSymbolicLink(data.resolve("v/out.mp4"))).isTrue();
            assertThat(Files.isSymbolicLink(data.resolve("v/in.mp4"))).isTrue();
            assertThat(TagFixtures.ffprobeComment(real)).isEqualTo("People: Alice");
            assertThat(TagFixtures.ffprobeComment(data.resolve("v/in.mp4"))).isEqualTo("People: Alice");

            // A sidecar export with the media packs the file behind the inside link, never the outside file's bytes.
            long template = h.http.get("/api/sidecar-templates").json().get("items").get(0).get("id").asLong();
            var export = h.http.post("/api/projects/" + f.projectId + "/export-sidecars",
                    "{\"template_ids\": [" + template + "], \"include_media\": true}");
            assertThat(export.status()).as(export.body()).isEqualTo(202);
            var job = h.app.jobs().awaitTerminal(export.json().get("id").asLong(), java.time.Duration.ofSeconds(120));
            assertThat(job.status()).as(job.toString()).isEqualTo(dev.reelmark.jobs.JobStatus.COMPLETED);
            byte[] secretBytes = Files.readAllBytes(secret);
            byte[] realBytes = Files.readAllBytes(real);
            boolean packedReal = false;
            try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(
                    h.http.getBytes("/api/sidecar-exports/" + job.id() + "/download")))) {
                for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    byte[] content = zip.readAllBytes();
                    assertThat(java.util.Arrays.equals(content, secretBytes)).as(e.getName()).isFalse();
                    packedReal |= java.util.Arrays.equals(content, realBytes);
                }
            }
            assertThat(packedReal).as("the clip behind the inside link is packed").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aPlaylistSavedAsAVideoCannotMakeFfprobeReadOutside(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            Path outside = Files.createDirectories(dir.resolve("outside"));
            Path mp4 = TagFixtures.SYNTH.synthesize(ClipSpec.of(96, 64, 10, 1).withVideoCodec("mpeg4"), outside.resolve("private.mp4"));
            Path ts = outside.resolve("private.ts");
            var remux = dev.reelmark.media.FfmpegTools.defaults().runFfmpeg(java.util.List.of("-nostdin", "-v", "error", "-y",
                    "-i", mp4.toString(), "-c", "copy", "-f", "mpegts", ts.toString()), java.time.Duration.ofSeconds(60));
            assertThat(remux.ok()).as(remux.stderr()).isTrue();
            String playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nfile://" + ts + "\n#EXT-X-ENDLIST\n";
            // Without the demuxer allow-list ffprobe follows it: the playlist is a working one.
            Files.writeString(dir.resolve("check.m3u8"), playlist);
            var open = dev.reelmark.media.FfmpegTools.defaults().runFfprobe(java.util.List.of("-v", "error", "-show_format",
                    "-print_format", "json", dir.resolve("check.m3u8").toString()), java.time.Duration.ofSeconds(60));
            assertThat(open.stdoutText()).as(open.stderr()).contains("\"hls\"");
            Files.createDirectories(data.resolve("v"));
            TagFixtures f = new TagFixtures(h.app.catalog(), data, "hls");
            long scene = f.scene(f.character("Alice"));
            for (String name : new String[]{"v/clip.m3u8", "v/clip.mp4"}) {
                Files.writeString(data.resolve(name), playlist);
                long seg = f.segment(scene, name);
                var r = h.http.get("/api/segments/" + seg + "/media");
                assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(422);
                assertThat(r.json().get("error").asText()).isEqualTo("unreadable_media");
                assertThat(r.body()).doesNotContain("private.ts").doesNotContain("\"duration_seconds\"");
            }
        }
    }
}
