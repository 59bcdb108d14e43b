package dev.reelmark.metadata;

import dev.reelmark.db.Vendor;
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

import static org.assertj.core.api.Assertions.assertThat;

/** A metadata delivery is downloadable from its answer's link: a ZIP as it is, a folder zipped; read by Python's zipfile. */
class DeliveryDownloadApiTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void folderAndZipDeliveriesDownloadAsZipsHoldingTheDeliveredFiles(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = h.http.post("/api/projects", "{\"name\":\"Chloé's Studio\"}").json().get("id").longValue();
            long other = h.http.post("/api/projects", "{\"name\":\"Other\"}").json().get("id").longValue();
            long type = h.http.post("/api/scene-types", "{\"project_id\":" + project + ",\"name\":\"idle\"}").json().get("id").longValue();
            long c = h.http.post("/api/characters", "{\"project_id\":" + project + ",\"name\":\"Chloé Martin\"}").json().get("id").longValue();
            h.http.post("/api/scenes", "{\"character_id\":" + c + ",\"scene_type_id\":" + type + ",\"name\":\"café\"}");
            assertThat(h.app.metadata().regenerateProject(project, false).failed()).isZero();
            HttpClient client = HttpClient.newHttpClient();

            for (String format : new String[]{"folder", "zip"}) {
                var delivered = h.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"" + format + "\"}");
                assertThat(delivered.status()).as(delivered.body()).isEqualTo(201);
                String download = delivered.json().get("download").asText();
                assertThat(download).startsWith("/api/projects/" + project + "/metadata/deliveries/");
                var got = client.send(HttpRequest.newBuilder(URI.create(h.http.url(download))).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(got.statusCode()).isEqualTo(200);
                assertThat(got.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
                assertThat(got.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
                Path zip = dir.resolve(format + "-download.zip");
                Files.write(zip, got.body());
                Path source = Path.of(delivered.json().get("path").asText());
                String first = delivered.json().get("files").get(0).asText();
                Path expected = format.equals("folder") ? source.resolve(first) : null;
                String listing = Consumers.runPython("""
                        import sys, zipfile
                        z = zipfile.ZipFile(sys.argv[1])
                        assert z.testzip() is None
                        print("\\n".join(sorted(z.namelist())))
                        print("FIRST", len(z.read(sys.argv[2])))
                        """, Duration.ofSeconds(60), zip.toString(), first);
                for (var f : delivered.json().get("files")) assertThat(listing).contains(f.asText());
                if (expected != null) assertThat(listing).contains("FIRST " + Files.size(expected));
            }

            // another project's delivery, a made-up name, a path that climbs out: all 404
            var mine = h.http.post("/api/projects/" + project + "/metadata/deliver", "{\"format\":\"zip\"}").json().get("download").asText();
            String name = mine.substring(mine.lastIndexOf('/') + 1);
            assertThat(h.http.get("/api/projects/" + other + "/metadata/deliveries/" + name).status()).isEqualTo(404);
            assertThat(h.http.get("/api/projects/" + project + "/metadata/deliveries/nothing.zip").status()).isEqualTo(404);
            assertThat(h.http.get("/api/projects/" + project + "/metadata/deliveries/..%2F..%2Freelmark.db").status()).isIn(400, 404);
        }
    }
}
