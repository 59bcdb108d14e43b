package dev.reelmark.cli;

import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as a user runs it: a separate JVM, real arguments, exit codes and output. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run reelmark(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** bench provenance puts the same questions to a real server over HTTP and prints p50/p99 for each. */
    @Test
    void provenanceBenchTimesTheQueriesOverHttpToo() throws Exception {
        Run r = reelmark("bench", "provenance", "--receipts", "300", "--segments", "30", "--data", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String http = r.out().substring(r.out().indexOf("over HTTP"));
        assertThat(http.lines().filter(l -> l.contains("p99")).count()).isEqualTo(4);
        assertThat(http).contains("/api/segments/{id}/provenance").contains("staleness-report").contains("load average");
    }

    @Test
    void badArgumentsExitWithCode2AndAClearMessage() throws Exception {
        Run unknown = reelmark("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");

        Run badPort = reelmark("serve", "--port", "70000", "--data", dir.toString());
        assertThat(badPort.exit()).isEqualTo(2);
        assertThat(badPort.err()).contains("--port");

        Run badDb = reelmark("db", "migrate", "--db", "jdbc:mysql://nowhere/x");
        assertThat(badDb.exit()).isEqualTo(2);
        assertThat(badDb.err()).contains("unsupported database URL");

        Run missingFile = reelmark("probe", dir.resolve("nope.mp4").toString());
        assertThat(missingFile.exit()).isEqualTo(2);
        assertThat(missingFile.err()).contains("no such file");
    }

    @Test
    void metadataAndProvenanceCommandsAreSubcommandsOfReelmark() throws Exception {
        Path data = dir.resolve("data");
        Run unknownProject = reelmark("metadata", "stale", "424242", "--data", data.toString());
        assertThat(unknownProject.exit()).isEqualTo(2);
        assertThat(unknownProject.err()).contains("project").contains("424242");

        Run badId = reelmark("metadata", "preview", "--character", "-3", "--data", data.toString());
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(badId.err()).contains("--character");

        Run report = reelmark("provenance", "report", "424242", "--data", data.toString());
        assertThat(report.exit()).isEqualTo(2);
        assertThat(report.err()).contains("424242");

        Run help = reelmark("provenance", "--help");
        assertThat(help.out()).contains("show").contains("usage").contains("report").contains("regenerate").contains("import");
    }

    @Test
    void dbMigrateCreatesTheEmbeddedDatabaseInTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        Run run = reelmark("db", "migrate", "--data", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("applied");
        assertThat(Files.isRegularFile(data.resolve("reelmark.db"))).isTrue();
        Run again = reelmark("db", "migrate", "--data", data.toString());
        assertThat(again.out()).contains("applied 0 migration(s)");
    }

    @Test
    void probePrintsTheTechnicalInfoOfARealClip() throws Exception {
        Path clip = new ClipSynth().synthesize(ClipSpec.of(320, 240, 25, 1).withVideoCodec("mpeg4")
                .withTag("comment", "People: Ava"), dir.resolve("clip.mkv"));
        Run run = reelmark("probe", clip.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("320x240").contains("mpeg4").contains("25.000 fps").contains("comment = People: Ava");
    }

    @Test
    void probeJsonIsSnakeCaseWithTheApisNames() throws Exception {
        Path clip = new ClipSynth().synthesize(ClipSpec.of(320, 240, 25, 1).withVideoCodec("mpeg4")
                .withTag("comment", "People: Ava"), dir.resolve("clip.mkv"));
        Run run = reelmark("probe", "--json", clip.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode j = dev.reelmark.json.Json.parse(run.out());
        // ffprobe run directly (not through our parser) says the same
        var tools = dev.reelmark.media.FfmpegTools.defaults();
        ProcessBuilder direct = new ProcessBuilder(tools.ffprobe().toString(), "-v", "error",
                "-show_entries", "format=format_name:stream=codec_name,width,height", "-of", "json", clip.toString());
        direct.environment().putAll(tools.environment());
        Process p = direct.start();
        com.fasterxml.jackson.databind.JsonNode ref = dev.reelmark.json.Json.MAPPER.readTree(p.getInputStream());
        assertThat(p.waitFor()).isZero();
        assertThat(j.get("container").asText()).isEqualTo(ref.get("format").get("format_name").asText()).isEqualTo("matroska,webm");
        assertThat(j.get("codec").asText()).isEqualTo(ref.get("streams").get(0).get("codec_name").asText());
        assertThat(j.get("width").asInt()).isEqualTo(ref.get("streams").get(0).get("width").asInt()).isEqualTo(320);
        assertThat(j.get("duration_seconds").asDouble()).isBetween(0.9, 1.2);
        assertThat(j.get("size_bytes").asLong()).isEqualTo(Files.size(clip));
        assertThat(j.get("tags").get("comment").asText()).isEqualTo("People: Ava");
        assertThat(j.get("streams").get(0).get("codec_type").asText()).isEqualTo("video");
        assertThat(j.get("ffprobe").get("format").get("format_name").asText()).isEqualTo("matroska,webm");
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        assertThat(names).allMatch(n -> n.matches("[a-z0-9_]+"), "snake_case").doesNotContain("formatName", "durationSeconds");
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsOneLineAndExitCode2() throws Exception {
        for (String url : List.of("jdbc:postgresql://127.0.0.1:1/reelmark?user=postgres",
                "jdbc:postgresql://127.0.0.1:5432/reelmark_no_such_database_here?user=postgres",
                "jdbc:sqlite:" + dir.resolve("not-a-dir.txt").resolve("x.db"))) {
            if (url.startsWith("jdbc:sqlite")) Files.writeString(dir.resolve("not-a-dir.txt"), "a file, not a directory");
            for (String[] args : List.of(new String[]{"db", "migrate"}, new String[]{"serve", "--port", "0"})) {
                List<String> all = new ArrayList<>(List.of(args));
                all.addAll(List.of("--data", dir.resolve("d").toString(), "--db", url));
                Run r = reelmark(all.toArray(String[]::new));
                assertThat(r.exit()).as(url + " " + r.err()).isEqualTo(2);
                List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
                assertThat(lines).as(url + ": one line on stderr").hasSize(1);
                assertThat(lines.get(0)).startsWith("reelmark: ").doesNotContain("Exception");
            }
        }
        Run badHost = reelmark("serve", "--allowed-host", "evil example/", "--data", dir.toString());
        assertThat(badHost.exit()).isEqualTo(2);
        assertThat(badHost.err()).contains("--allowed-host");
    }

    @Test
    void servingBeyondLoopbackWithoutUsersNeedsNoAuthAndPrintsAWarning() throws Exception {
        // without users, a non-loopback host is refused unless --no-auth says so explicitly (AuthCommandTest); then both warnings
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--host", "0.0.0.0", "--port", "0", "--workers", "0", "--no-auth", "--data", dir.resolve("data").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) {
                seen.add(line);
                if (line.contains("listening on")) break;
            }
            assertThat(String.join("\n", seen)).contains("WARNING: --no-auth", "WARNING: listening on 0.0.0.0", "--allowed-host");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void servePrintsTheUrlOfAFreePortAndServesTheApi() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--data", dir.resolve("data").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern url = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
            Integer port = null;
            for (String line; port == null && (line = out.readLine()) != null; ) {
                Matcher m = url.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertThat(port).isNotNull().isPositive();
            var http = new TestHttp(port);
            assertThat(http.get("/api/openapi.json").status()).isEqualTo(200);
            assertThat(http.post("/api/projects", "{\"name\":\"from the CLI test\"}").status()).isEqualTo(201);
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
