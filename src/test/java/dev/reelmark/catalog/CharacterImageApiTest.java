package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;
import dev.reelmark.testing.ApiHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A character's source image uploaded through the API (a PNG and a JPEG made by ffmpeg, read back by exiftool) or
 * picked from the files inside the media roots; bad names, bytes that are not the named type and links out of
 * the roots are refused or left out.
 */
class CharacterImageApiTest {
    @TempDir
    Path dir;
    @TempDir
    Path outside;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void uploadAnImageThenPickItFromTheMediaRootsAndRefuseWhatIsNotAnImage(Vendor vendor) throws Exception {
        Path png = still(outside.resolve("front.png"));
        Path jpeg = still(outside.resolve("side.jpg"));
        try (var h = new ApiHarness(vendor, dir)) {
            var s = new CatalogApiTest.Studio(h.http);
            h.http.patch("/api/characters/" + s.character, "{\"name\":\"Zoë Ångström\"}");
            byte[] bytes = Files.readAllBytes(png);
            int before = h.http.get("/api/images?character_id=" + s.character).json().get("total").asInt();

            var created = h.http.post("/api/characters/" + s.character + "/images/upload",
                    body("Zoë front.png", bytes));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode image = created.json();
            assertThat(image.get("path").asText()).isEqualTo("images/zoe_angstrom/Zoë front.png");
            assertThat(image.get("image_type").asText()).isEqualTo("source");
            assertThat(image.get("is_current_version").asBoolean()).isTrue();
            assertThat(image.get("content_hash").asText())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            Path written = h.app.config().dataDir().resolve("images/zoe_angstrom/Zoë front.png");
            assertThat(Files.readAllBytes(written)).isEqualTo(bytes);
            JsonNode exif = exiftool(written);
            assertThat(exif.get("FileType").asText()).isEqualTo("PNG");
            assertThat(exif.get("ImageWidth").asInt()).isEqualTo(64);

            var jpegUpload = h.http.post("/api/characters/" + s.character + "/images/upload",
                    body("side.jpeg", Files.readAllBytes(jpeg)));
            assertThat(jpegUpload.status()).as(jpegUpload.body()).isEqualTo(201);
            assertThat(exiftool(h.app.config().dataDir().resolve(jpegUpload.json().get("path").asText()))
                    .get("FileType").asText()).isEqualTo("JPEG");

            // listed for picking; a link pointing out of the roots and Reelmark's own thumbnails are not
            Files.createDirectories(h.app.config().dataDir().resolve("images/links"));
            Files.createSymbolicLink(h.app.config().dataDir().resolve("images/links/escape.png"), png);
            Files.createDirectories(h.app.config().dataDir().resolve("thumbnails"));
            Files.copy(jpeg, h.app.config().dataDir().resolve("thumbnails/segment-1.jpg"));
            var listed = h.http.get("/api/media/images");
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            List<String> paths = new ArrayList<>();
            listed.json().get("items").forEach(i -> paths.add(i.get("path").asText()));
            assertThat(paths).containsExactly("images/zoe_angstrom/Zoë front.png", "images/zoe_angstrom/side.jpeg");
            assertThat(listed.json().get("items").get(0).get("size_bytes").longValue()).isEqualTo(bytes.length);
            var filtered = h.http.get("/api/media/images?q=SIDE");
            assertThat(filtered.json().get("items")).hasSize(1);

            // refused, naming the field; nothing written
            assertField(h.http.post("/api/characters/" + s.character + "/images/upload", body("Zoë front.png", bytes)),
                    409, "filename");
            assertField(h.http.post("/api/characters/" + s.character + "/images/upload", body("../up.png", bytes)),
                    400, "filename");
            assertField(h.http.post("/api/characters/" + s.character + "/images/upload", body("notes.txt", bytes)),
                    400, "filename");
            assertField(h.http.post("/api/characters/" + s.character + "/images/upload",
                    body("mislabelled.png", Files.readAllBytes(jpeg))), 400, "content_base64");
            assertField(h.http.post("/api/characters/" + s.character + "/images/upload",
                    "{\"filename\":\"x.png\",\"content_base64\":\"%%%\"}"), 400, "content_base64");
            assertThat(h.http.post("/api/characters/999999/images/upload", body("a.png", bytes)).status()).isEqualTo(404);
            try (var files = Files.list(h.app.config().dataDir().resolve("images/zoe_angstrom"))) {
                assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                        .containsExactly("Zoë front.png", "side.jpeg");
            }
            assertThat(h.http.get("/api/images?character_id=" + s.character).json().get("total").asInt()).isEqualTo(before + 2);
        }
    }

    private static void assertField(dev.reelmark.testing.TestHttp.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    private static String body(String filename, byte[] bytes) {
        return Json.object().put("filename", filename).put("content_base64", Base64.getEncoder().encodeToString(bytes)).toString();
    }

    /** A 64x48 still made by ffmpeg (PNG or JPEG by the name's extension). */
    private static Path still(Path out) {
        var r = ProcessRunner.run(List.of(FfmpegTools.defaults().ffmpeg().toString(), "-v", "error", "-f", "lavfi",
                "-i", "testsrc2=size=64x48", "-frames:v", "1", out.toString()), Duration.ofSeconds(60),
                FfmpegTools.defaults().environment());
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return out;
    }

    private static JsonNode exiftool(Path file) {
        var r = ProcessRunner.run(List.of("exiftool", "-j", "-n", file.toString()), Duration.ofSeconds(60));
        assertThat(r.ok()).as("exiftool: " + r.stderr()).isTrue();
        return Json.parse(r.stdoutText()).get(0);
    }
}
