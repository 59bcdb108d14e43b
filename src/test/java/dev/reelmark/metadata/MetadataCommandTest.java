package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark metadata preview|regenerate|stale|deliver} on the same database and data directory as the server. */
class MetadataCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        JsonNode json() {
            return Json.parse(out);
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MetadataCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void previewRegenerateStaleAndDeliverFromTheCommandLine(Vendor vendor) throws Exception {
        Path data = dir.resolve("data");
        try (var s = new MetadataTestServer(vendor, dir, data, MetadataService.Options.defaults(data).withAutoRegenerate(false))) {
            long[] ids = MetadataFailuresTest.project(s, data); // project, good, bad, scene, badScene
            String db = s.testDb.db().displayUrl();
            List<String> common = List.of("--data", data.toString(), "--db", db);

            Run preview = cli(args(List.of("preview", "--character", String.valueOf(ids[1])), common));
            assertThat(preview.code()).as(preview.err()).isZero();
            assertThat(preview.out()).startsWith("{\n  \"schema_version\" : \"1.0\"");
            assertThat(preview.json().get("name").asText()).isEqualTo("Good");
            assertThat(cli(args(List.of("preview", "--scene", String.valueOf(ids[3])), common)).json().get("technical").get("segment_count").asInt()).isEqualTo(1);

            // Through the real entry point, on the process's standard output as a shell reads it.
            Run main = main(args(List.of("metadata", "preview", "--scene", String.valueOf(ids[3])), common));
            assertThat(main.code()).as(main.err()).isZero();
            assertThat(main.out()).startsWith("{\n  \"schema_version\"").endsWith("}\n");
            assertThat(main.json().get("technical").get("segment_count").asInt()).isEqualTo(1);

            // A batch with a broken character: report printed, exit 1, the good ones written.
            Run batch = cli(args(List.of("regenerate", "--project", String.valueOf(ids[0])), common));
            assertThat(batch.code()).isEqualTo(1);
            assertThat(batch.json().get("regenerated").asInt()).isEqualTo(2);
            assertThat(batch.json().get("failed").asInt()).isEqualTo(2);

            Run stale = cli(args(List.of("stale", String.valueOf(ids[0])), common));
            assertThat(stale.code()).isZero();
            assertThat(stale.json().get("stale_count").asInt()).isEqualTo(2);

            // Delivery is blocked (exit 4: the project's metadata cannot be used yet; one line naming the character)
            // until the broken one is fixed.
            Run blocked = cli(args(List.of("deliver", String.valueOf(ids[0]), "--format", "zip"), common));
            assertThat(blocked.code()).isEqualTo(dev.reelmark.cli.Cli.UNPROCESSABLE);
            assertThat(blocked.err()).startsWith("reelmark: ").contains("Bad (" + ids[2] + ")");
            assertThat(s.http.delete("/api/characters/" + ids[2]).status()).isIn(200, 204);
            Path zip = dir.resolve("out/delivery.zip");
            Run delivered = cli(args(List.of("deliver", String.valueOf(ids[0]), "--format", "zip", "--out", zip.toString()), common));
            assertThat(delivered.code()).as(delivered.err()).isZero();
            try (ZipFile z = new ZipFile(zip.toFile())) {
                assertThat(z.stream().map(e -> e.getName()).toList()).containsExactly("Good/metadata.json", "Good/scenes/s1/video_metadata.json");
            }
            Run single = cli(args(List.of("regenerate", "--character", String.valueOf(ids[1])), common));
            assertThat(single.code()).isZero();
            assertThat(Files.exists(data.resolve(single.json().get("file_path").asText()))).isTrue();

            // Bad input: exit 2 with one line.
            for (List<String> bad : List.of(List.of("preview", "--character", "999999"), List.of("preview", "--character", "0"),
                    List.of("regenerate"), List.of("stale", "abc"), List.of("deliver", String.valueOf(ids[0]), "--format", "tar"))) {
                Run r = cli(args(bad, common));
                assertThat(r.code()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
                assertThat(r.err()).isNotBlank();
            }
            // A delivery onto one that exists is a conflict (exit 3), not bad input.
            Run again = cli(args(List.of("deliver", String.valueOf(ids[0]), "--out", zip.toString()), common));
            assertThat(again.code()).as(again.err()).isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
            assertThat(again.err()).contains("already exists");
        }
    }

    /** {@code Main.run} with System.out/err captured: what {@code reelmark ...} prints before the process exits. */
    static Run main(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out, stderr = System.err;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, false, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, false, java.nio.charset.StandardCharsets.UTF_8));
            code = dev.reelmark.cli.Main.run(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String[] args(List<String> command, List<String> common) {
        List<String> all = new ArrayList<>(command);
        all.addAll(common);
        return all.toArray(String[]::new);
    }
}
