package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Face crops on real clips made from a real face photo (NASA's public-domain astronaut portrait, see
 * src/test/resources/faces/README.md): the frame is chosen by the frame metrics, the crop is square and lies around
 * the face measured by eye, and ffmpeg's PSNR says it holds that region of the photo; frames without a face keep
 * the whole frame and say so.
 */
class DatasetFaceCropTest {
    /** The face in the fixture, by eye: x 175–270, y 65–165. */
    static final int FACE_X = 222, FACE_Y = 115;

    @TempDir
    Path dir;

    /** The photo and the three clips, made once for both databases. */
    @TempDir
    static Path media;

    @org.junit.jupiter.api.BeforeAll
    static void makeClips() throws IOException {
        Path photo = media.resolve("astronaut.jpg");
        try (InputStream in = DatasetFaceCropTest.class.getResourceAsStream("/faces/astronaut.jpg")) {
            Files.copy(in, photo);
        }
        FfmpegTools ff = FfmpegTools.defaults();
        // 1 s of grey, then 1 s of the photo, at 12 fps: frames 0-11 have no face, 12-23 have one
        clip(ff, media.resolve("clips/late face.mp4"), photo, "0x808080");
        clip(ff, media.resolve("clips/late face 2.mp4"), photo, "0x707070");
        run(ff, List.of("-f", "lavfi", "-i", "color=c=0x3366aa:s=320x240:d=2:r=12", "-pix_fmt", "yuv420p", "-c:v", "mpeg4",
                media.resolve("clips/plain.mp4").toString()));
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void cropsTheFaceOfTheBestScoredFrameAndKeepsFacelessFramesWhole(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            Path data = h.app.config().dataDir();
            Path photo = media.resolve("astronaut.jpg");
            FfmpegTools ff = FfmpegTools.defaults();
            Files.createDirectories(data.resolve("clips"));
            for (String name : List.of("late face.mp4", "late face 2.mp4", "plain.mp4")) {
                Files.copy(media.resolve("clips").resolve(name), data.resolve("clips").resolve(name));
            }

            long project = id(h, "/api/projects", Json.object().put("name", "Faces"));
            long type = id(h, "/api/scene-types", Json.object().put("project_id", project).put("name", "portrait"));
            long character = id(h, "/api/characters", Json.object().put("project_id", project).put("name", "Eileen"));
            long scene = id(h, "/api/scenes", Json.object().put("character_id", character).put("scene_type_id", type).put("name", "suit up"));
            long scored = segment(h, scene, 0, "clips/late face.mp4");
            long unscored = segment(h, scene, 1, "clips/late face 2.mp4");
            long plain = segment(h, scene, 2, "clips/plain.mp4");
            // the metrics say frame 18 (the photo) is best; frame 5 (grey) scores lower
            for (var m : List.of(Map.of("frame", 5, "face_confidence", 0.3), Map.of("frame", 18, "face_confidence", 0.97))) {
                id(h, "/api/frame-metrics", Json.object().put("segment_id", scored).put("frame", (int) m.get("frame"))
                        .put("face_confidence", (double) m.get("face_confidence")));
            }

            JsonNode d = DatasetExportApiTest.exportAndWait(h, project,
                    "{\"face_crops\": true, \"splits\": {\"train\": 100, \"validation\": 0, \"test\": 0}}");
            assertThat(d.get("config").get("face_crops").booleanValue()).isTrue();
            var zip = DatasetExportApiTest.unzip(Path.of(d.get("file_path").asText()));
            Map<Long, JsonNode> bySegment = new HashMap<>();
            for (JsonNode sample : d.get("manifest").get("splits").get("train")) {
                JsonNode meta = Json.parse(zip.text(sample.get("metadata").asText()));
                bySegment.put(meta.get("segment_id").longValue(), meta);
                assertThat(sample.get("face").asText()).isEqualTo("train/" + meta.get("face_crop").get("file").asText());
                assertThat(sample.get("face_found").booleanValue()).isEqualTo(meta.get("face_crop").get("found").booleanValue());
            }
            assertThat(bySegment).containsOnlyKeys(scored, unscored, plain);

            // the best-scored frame has the face: a square crop around it, holding that region of the photo
            JsonNode face = bySegment.get(scored).get("face_crop");
            assertThat(face.get("found").booleanValue()).isTrue();
            assertThat(face.get("frame").longValue()).isEqualTo(18);
            assertThat(face.get("frame_choice").asText()).isEqualTo("best_face_confidence");
            JsonNode box = face.get("face_box"), crop = face.get("crop_box");
            assertThat(Math.abs(box.get("x").intValue() + box.get("width").intValue() / 2 - FACE_X)).isLessThan(25);
            assertThat(Math.abs(box.get("y").intValue() + box.get("height").intValue() / 2 - FACE_Y)).isLessThan(25);
            assertThat(box.get("width").intValue()).isBetween(70, 150);
            int side = crop.get("width").intValue();
            assertThat(crop.get("height").intValue()).isEqualTo(side);
            assertThat(side).isBetween(box.get("width").intValue() + 20, 300);
            int cx = crop.get("x").intValue(), cy = crop.get("y").intValue();
            assertThat(cx).isBetween(0, 512 - side);
            assertThat(cy).isBetween(0, 512 - side);
            assertThat(FACE_X).isBetween(cx + side / 4, cx + 3 * side / 4);
            assertThat(FACE_Y).isBetween(cy + side / 4, cy + 3 * side / 4);
            Path cropFile = dir.resolve("crop.jpg");
            Files.write(cropFile, zip.entries().get("train/" + face.get("file").asText()));
            assertThat(size(ff, cropFile)).containsExactly(side, side);
            Path reference = dir.resolve("reference.png");
            run(ff, List.of("-i", photo.toString(), "-vf", "crop=" + side + ":" + side + ":" + cx + ":" + cy, reference.toString()));
            assertThat(psnr(ff, cropFile, reference)).isGreaterThan(24.0);

            // no metrics: the default frame (~10% in, grey) has no face, so the whole frame is kept and says so
            JsonNode none = bySegment.get(unscored).get("face_crop");
            assertThat(none.get("found").booleanValue()).isFalse();
            assertThat(none.get("frame_choice").asText()).isEqualTo("default_10_percent");
            assertThat(none.get("frame").longValue()).isEqualTo(2);
            assertThat(none.get("face_box").isNull()).isTrue();
            assertThat(Json.write(none.get("crop_box"))).isEqualTo("{\"x\":0,\"y\":0,\"width\":512,\"height\":512}");
            Files.write(cropFile, zip.entries().get("train/" + none.get("file").asText()));
            assertThat(size(ff, cropFile)).containsExactly(512, 512);

            JsonNode flat = bySegment.get(plain).get("face_crop");
            assertThat(flat.get("found").booleanValue()).isFalse();
            Files.write(cropFile, zip.entries().get("train/" + flat.get("file").asText()));
            assertThat(size(ff, cropFile)).containsExactly(320, 240);

            // Hugging Face metadata: the face file and whether a face was found, one type per column
            for (String line : zip.text("train/metadata.jsonl").lines().toList()) {
                JsonNode row = Json.parse(line);
                assertThat(zip.entries()).containsKey("train/" + row.get("face_file").asText());
                assertThat(row.get("face_found").isBoolean()).isTrue();
                assertThat(row.get("face_found").booleanValue()).isEqualTo(row.get("segment_id").longValue() == scored);
            }
        }
    }

    private static void clip(FfmpegTools ff, Path out, Path photo, String grey) throws IOException {
        Files.createDirectories(out.getParent());
        run(ff, List.of("-f", "lavfi", "-i", "color=c=" + grey + ":s=512x512:d=1:r=12", "-loop", "1", "-framerate", "12", "-t", "1",
                "-i", photo.toString(), "-filter_complex", "[1:v]format=yuv420p,setsar=1[p];[0:v]format=yuv420p,setsar=1[g];[g][p]concat=n=2:v=1[v]",
                "-map", "[v]", "-r", "12", "-c:v", "mpeg4", "-q:v", "2", out.toString()));
    }

    private static void run(FfmpegTools ff, List<String> args) throws IOException {
        List<String> all = new java.util.ArrayList<>(List.of("-nostdin", "-v", "error", "-y"));
        all.addAll(args);
        var r = ff.runFfmpeg(all, Duration.ofMinutes(1));
        assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
    }

    /** Width and height as ffprobe reads them. */
    private static List<Integer> size(FfmpegTools ff, Path image) {
        var r = ff.runFfprobe(List.of("-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", image.toString()), Duration.ofSeconds(30));
        assertThat(r.ok()).as(r.stderrTail(3)).isTrue();
        String[] wh = new String(r.stdout(), StandardCharsets.UTF_8).strip().split(",");
        return List.of(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    }

    private static double psnr(FfmpegTools ff, Path a, Path b) {
        var r = ff.runFfmpeg(List.of("-nostdin", "-v", "info", "-i", a.toString(), "-i", b.toString(), "-lavfi",
                "[0:v]format=yuv420p[x];[1:v]format=yuv420p[y];[x][y]psnr", "-f", "null", "-"), Duration.ofSeconds(30));
        Matcher m = Pattern.compile("average:([0-9.]+|inf)").matcher(r.stderr());
        assertThat(m.find()).as(r.stderr()).isTrue();
        return m.group(1).equals("inf") ? 99 : Double.parseDouble(m.group(1));
    }

    private static long id(ApiHarness h, String path, com.fasterxml.jackson.databind.node.ObjectNode body) {
        var r = h.http.post(path, body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    private static long segment(ApiHarness h, long scene, int index, String path) {
        return id(h, "/api/segments", Json.object().put("scene_id", scene).put("sequence_index", index)
                .put("output_video_path", path).put("status", "complete"));
    }
}
