package dev.reelmark.catalog;

import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.Consumers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/segments/{id}/video as a browser's media player uses it: whole file, single ranges (open, closed, suffix),
 * 416 for ranges that cannot be served, the content type per container, confinement to the media roots by real
 * path, and the browser proxy of a codec browsers cannot decode (checked with PyAV, not our own probe).
 */
class SegmentVideoApiTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<byte[]> get(ApiHarness h, String path, String range) throws Exception {
        var req = HttpRequest.newBuilder(URI.create(h.http.url(path))).timeout(Duration.ofSeconds(60)).GET();
        if (range != null) req.header("Range", range);
        return client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void servesRangesWithTheContainersTypeAndRefusesBadRangesAndFilesOutsideTheRoots(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            ClipSynth synth = new ClipSynth();
            Path mp4 = data.resolve("media/shot one.mp4");
            synth.synthesize(ClipSpec.of(320, 180, 24, 1).withVideoCodec(synth.requireEncoderFor("h264")), mp4);
            var s = new CatalogApiTest.Studio(h.http);
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/shot one.mp4\"}");
            String url = "/api/segments/" + s.segment + "/video";
            byte[] file = Files.readAllBytes(mp4);

            var whole = get(h, url, null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
            assertThat(whole.body()).isEqualTo(file);

            var middle = get(h, url, "bytes=100-1099");
            assertThat(middle.statusCode()).isEqualTo(206);
            assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + file.length);
            assertThat(middle.headers().firstValue("Content-Length")).hasValue("1000");
            assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(file, 100, 1100));

            var open = get(h, url, "bytes=" + (file.length - 10) + "-");
            assertThat(open.statusCode()).isEqualTo(206);
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(file, file.length - 10, file.length));
            var suffix = get(h, url, "bytes=-64");
            assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes " + (file.length - 64) + "-" + (file.length - 1) + "/" + file.length);
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(file, file.length - 64, file.length));
            var pastEnd = get(h, url, "bytes=0-" + (file.length + 500));
            assertThat(pastEnd.statusCode()).isEqualTo(206);
            assertThat(pastEnd.body()).isEqualTo(file);

            for (String bad : new String[]{"bytes=" + file.length + "-", "bytes=50-10", "bytes=abc", "bytes=-0"}) {
                var refused = get(h, url, bad);
                assertThat(refused.statusCode()).as(bad).isEqualTo(416);
                assertThat(refused.headers().firstValue("Content-Range")).as(bad).hasValue("bytes */" + file.length);
                assertThat(Json.parse(new String(refused.body())).get("error").asText()).isEqualTo("range_not_satisfiable");
            }
            // another unit is ignored (RFC 9110): the whole file
            assertThat(get(h, url, "items=0-1").statusCode()).isEqualTo(200);

            Path mkv = data.resolve("media/Chloé.mkv");
            synth.synthesize(ClipSpec.of(160, 120, 24, 1).withVideoCodec("mpeg4"), mkv);
            Path mov = data.resolve("media/take.mov");
            synth.synthesize(ClipSpec.of(160, 120, 24, 1).withVideoCodec("mpeg4"), mov);
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/Chloé.mkv\"}");
            assertThat(get(h, url, "bytes=0-9").headers().firstValue("Content-Type")).hasValue("video/x-matroska");
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/take.mov\"}");
            assertThat(get(h, url, null).headers().firstValue("Content-Type")).hasValue("video/quicktime");

            // a link inside the data directory to a file outside it is never read
            Path outside = Files.createTempDirectory(dir, "outside").resolve("secret.mp4");
            Files.copy(mp4, outside);
            Files.createSymbolicLink(data.resolve("media/link.mp4"), outside);
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/link.mp4\"}");
            var linked = get(h, url, null);
            assertThat(linked.statusCode()).isEqualTo(422);
            assertThat(Json.parse(new String(linked.body())).get("error").asText()).isEqualTo("path_outside_roots");
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"" + outside + "\"}");
            assertThat(get(h, url, null).statusCode()).isEqualTo(422);

            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":null}");
            var none = get(h, url, "bytes=0-1");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(Json.parse(new String(none.body())).get("error").asText()).isEqualTo("no_video");
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/gone.mp4\"}");
            assertThat(get(h, url, null).statusCode()).isEqualTo(404);
            assertThat(get(h, "/api/segments/999999/video", null).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aCodecBrowsersCannotDecodeGetsAProxyMadeOncePerContent(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            Path mkv = data.resolve("media/Chloé Martin dance.mkv");
            new ClipSynth().synthesize(ClipSpec.of(322, 180, 24, 1).withVideoCodec("mpeg4"), mkv);
            var s = new CatalogApiTest.Studio(h.http);
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/Chloé Martin dance.mkv\"}");

            var info = h.http.get("/api/segments/" + s.segment + "/media").json();
            assertThat(info.get("browser_playable").asBoolean()).isFalse();
            assertThat(info.get("content_type").asText()).isEqualTo("video/x-matroska");

            String url = "/api/segments/" + s.segment + "/video/proxy";
            var proxy = get(h, url, null);
            assertThat(proxy.statusCode()).as(new String(proxy.body())).isEqualTo(200);
            String type = proxy.headers().firstValue("Content-Type").orElseThrow();
            assertThat(type).isIn("video/mp4", "video/webm");
            Path copy = dir.resolve("proxy." + (type.endsWith("mp4") ? "mp4" : "webm"));
            Files.write(copy, proxy.body());
            // PyAV (FFmpeg's libraries through Python, not our ffprobe wrapper) decodes every frame of the proxy
            String out = Consumers.runPython("""
                    import av, sys
                    c = av.open(sys.argv[1])
                    v = c.streams.video[0]
                    n = sum(1 for _ in c.decode(v))
                    print(v.codec_context.name, v.codec_context.width, v.codec_context.height, n)
                    """, Duration.ofSeconds(60), copy.toString()).strip();
            assertThat(out).matches("(h264|libopenh264|vp9|libvpx-vp9) 322 180 24");

            Path proxies = data.resolve("proxies");
            Path made;
            try (var files = Files.list(proxies)) {
                made = files.filter(f -> !f.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
            }
            var mtime = Files.getLastModifiedTime(made);
            var again = get(h, url, "bytes=0-99");
            assertThat(again.statusCode()).isEqualTo(206);
            assertThat(again.body()).isEqualTo(Arrays.copyOfRange(proxy.body(), 0, 100));
            assertThat(Files.getLastModifiedTime(made)).isEqualTo(mtime);
            try (var files = Files.list(proxies)) {
                assertThat(files.count()).isEqualTo(1);
            }

            // a playable file is its own proxy
            Path mp4 = data.resolve("media/web.mp4");
            new ClipSynth().synthesize(ClipSpec.of(160, 120, 24, 1).withVideoCodec(new ClipSynth().requireEncoderFor("h264")), mp4);
            h.http.patch("/api/segments/" + s.segment, "{\"output_video_path\":\"media/web.mp4\"}");
            assertThat(h.http.get("/api/segments/" + s.segment + "/media").json().get("browser_playable").asBoolean()).isTrue();
            assertThat(get(h, url, null).body()).isEqualTo(Files.readAllBytes(mp4));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void segmentsAreNamedByCharacterSceneTypeAndIndexAndCharactersShowTheirSourceImage(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new CatalogApiTest.Studio(h.http);
            long chloe = h.http.post("/api/characters", "{\"project_id\":" + s.project + ",\"name\":\"Chloé Martin\"}").json().get("id").longValue();
            long scene = h.http.post("/api/scenes", "{\"character_id\":" + chloe + ",\"scene_type_id\":" + s.sceneType + ",\"name\":\"café\"}").json().get("id").longValue();
            long seg = h.http.post("/api/segments", "{\"scene_id\":" + scene + ",\"sequence_index\":0}").json().get("id").longValue();
            var labels = h.http.get("/api/segment-labels?ids=" + seg + "," + s.segment + ",999999").json().get("items");
            assertThat(labels).hasSize(2);
            assertThat(labels.get(0).get("label").asText()).isEqualTo("Chloé Martin — dance · seg 0");
            assertThat(labels.get(0).get("has_video").asBoolean()).isFalse();
            assertThat(labels.get(1).get("label").asText()).isEqualTo("Ava — dance · seg 0");
            assertThat(h.http.get("/api/segment-labels?ids=1,x").status()).isEqualTo(400);

            // Ava's source image is images/ava.png: missing at first, then a real PNG made by ffmpeg
            assertThat(h.http.get("/api/characters/" + s.character + "/portrait").status()).isEqualTo(404);
            Path png = h.app.config().dataDir().resolve("images/ava.png");
            Files.createDirectories(png.getParent());
            var r = dev.reelmark.media.FfmpegTools.defaults().runFfmpeg(java.util.List.of("-nostdin", "-v", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", png.toString()), Duration.ofSeconds(30));
            assertThat(r.ok()).isTrue();
            var portrait = get(h, "/api/characters/" + s.character + "/portrait", null);
            assertThat(portrait.statusCode()).isEqualTo(200);
            assertThat(portrait.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(portrait.body()).isEqualTo(Files.readAllBytes(png));
        }
    }
}
