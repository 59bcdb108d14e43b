package dev.reelmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark ledger ...} as a user runs it. */
class LedgerCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return Json.parse(out);
        }
    }

    private Run ledger(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LedgerCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void setGetListAndFailWorkOnTheLedgerFile() throws Exception {
        Run set = ledger("set", "harbor-01", "1920s", "--prompt", "A harbor at dawn", "--data", data());
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.json().get("status").asText()).isEqualTo("pending");
        ledger("set", "harbor-01", "1980s", "--prompt", "Neon harbor", "--status", "ready", "--local-path", "generated/n.mp4", "--data", data());

        Run get = ledger("get", "harbor-01", "1980s", "--data", data());
        assertThat(get.exit()).isZero();
        assertThat(get.json().get("localPath").asText()).isEqualTo("generated/n.mp4");
        assertThat(get.json().get("completedAt").isNull()).isFalse();

        Run fail = ledger("fail", "harbor-01", "1920s", "--error", "GPU out of memory", "--data", data());
        assertThat(fail.exit()).isZero();
        assertThat(fail.json().get("status").asText()).isEqualTo("failed");

        Run list = ledger("list", "--data", data());
        assertThat(list.out()).contains("harbor-01").contains("GPU out of memory").contains("generated/n.mp4").contains("2 entries");
        Run failedOnly = ledger("list", "--status", "failed", "--json", "--data", data());
        assertThat(failedOnly.json()).hasSize(1);
        // list --json is snake_case like the API; the file keeps its camelCase format
        JsonNode listed = failedOnly.json().get(0);
        assertThat(listed.get("spot_id").asText()).isEqualTo("harbor-01");
        assertThat(listed.get("era_id").asText()).isEqualTo("1920s");
        assertThat(listed.get("error").asText()).isEqualTo("GPU out of memory");
        assertThat(listed.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(listed.get("completed_at").isNull()).isFalse();
        assertThat(listed.has("local_path")).isTrue();
        List<String> names = new ArrayList<>();
        listed.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("spot_id", "era_id", "prompt", "local_path", "status", "created_at", "completed_at", "error");
        JsonNode file = Json.MAPPER.readTree(dir.resolve("data/generated-videos.json").toFile());
        assertThat(file.get(0).has("spotId")).isTrue();
        assertThat(file.get(0).has("createdAt")).isTrue();
        assertThat(file.get(0).has("spot_id")).isFalse();
        assertThat(Files.exists(dir.resolve("data/generated-videos.json"))).isTrue();

        Run check = ledger("check", "--data", data());
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("valid, 2 entries");
    }

    @Test
    void aLedgerElsewhereAndOtherKeyNamesAreOptions() throws Exception {
        Path file = dir.resolve("studio/shots.json");
        Run set = ledger("set", "shot-7", "3", "--prompt", "Close-up", "--file", file.toString(), "--keys", "shotId,take");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(Json.MAPPER.readTree(file.toFile()).get(0).get("shotId").asText()).isEqualTo("shot-7");
        assertThat(ledger("get", "shot-7", "3", "--file", file.toString(), "--keys", "shotId,take").exit()).isZero();
        JsonNode listed = Json.parse(ledger("list", "--json", "--file", file.toString(), "--keys", "shotId,take").out()).get(0);
        assertThat(listed.get("shot_id").asText()).isEqualTo("shot-7");
        assertThat(listed.get("take").asText()).isEqualTo("3");
        Run badKeys = ledger("list", "--file", file.toString(), "--keys", "shotId");
        assertThat(badKeys.exit()).isEqualTo(2);
        assertThat(badKeys.err()).contains("two names");
    }

    @Test
    void badInputPrintsOneLineAndExitsWith2() {
        Run slash = ledger("set", "a/b", "x", "--prompt", "p", "--data", data());
        assertThat(slash.exit()).isEqualTo(2);
        assertThat(slash.err()).contains("spotId: must not contain '/'");
        Run status = ledger("set", "a", "b", "--prompt", "p", "--status", "done", "--data", data());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("--status").contains("pending, generating, ready, failed");
        assertThat(ledger("set", "a", "b", "--data", data()).exit()).as("missing --prompt").isEqualTo(2);
        Run missing = ledger("get", "no", "such", "--data", data());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no ledger entry");
        assertThat(ledger("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void aCorruptLedgerIsReportedWithItsLocationAndResetMovesItAside() throws Exception {
        Path file = dir.resolve("data/generated-videos.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[\n  {\"spotId\": \"a\",\n   \"eraId\": 42}\n]");
        Run list = ledger("list", "--data", data());
        assertThat(list.exit()).as("a corrupt ledger is a conflict with the file's state").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(list.err()).contains("line 3, column 13").contains("\"eraId\" must be a string").contains("ledger reset");
        assertThat(ledger("set", "x", "y", "--prompt", "p", "--data", data()).exit()).isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(ledger("check", "--data", data()).exit()).isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(Files.readString(file)).contains("42");

        Run reset = ledger("reset", "--data", data());
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("moved the corrupt ledger to").contains(".corrupt-");
        assertThat(ledger("list", "--data", data()).exit()).isZero();
        assertThat(ledger("reset", "--data", data()).exit()).as("a valid ledger needs --force (a conflict with its state)").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(ledger("reset", "--force", "--data", data()).exit()).isZero();
    }

    @Test
    void generateMakesATitleCardAndRecordsItReady() {
        Run run = ledger("generate", "harbor-01", "1920s", "--prompt", "A lighthouse at dusk", "--data", data());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.json().get("status").asText()).isEqualTo("ready");
        assertThat(dir.resolve("data").resolve(run.json().get("localPath").asText())).isRegularFile();

        Run unreachable = ledger("generate", "harbor-01", "1930s", "--prompt", "p", "--data", data(),
                "--generator-url", "http://127.0.0.1:9/none");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.json().get("status").asText()).isEqualTo("failed");
        assertThat(unreachable.err()).contains("generation failed").contains("could not be reached");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void mirrorWritesTheSegmentsOfACatalogProject(Vendor vendor) throws Exception {
        try (var db = TestDatabases.fresh(vendor, dir)) {
            CatalogService catalog = new CatalogService(db.db());
            long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "P")).get("id").asLong();
            long character = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")).get("id").asLong();
            long type = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "t")).get("id").asLong();
            long scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", character)
                    .put("scene_type_id", type).put("name", "s")).get("id").asLong();
            catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 0)
                    .put("status", "complete").put("output_video_path", "media/s0.mp4"));

            Run run = ledger("mirror", String.valueOf(project), "--follow", "--data", data(), "--db", db.db().displayUrl());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("1 segments mirrored").contains("following its catalog changes");
            Run get = ledger("get", "scene-" + scene, "segment-0", "--data", data());
            assertThat(get.json().get("status").asText()).isEqualTo("ready");
            assertThat(get.json().get("localPath").asText()).isEqualTo("media/s0.mp4");
            assertThat(LedgerStore.at(dir.resolve("data/generated-videos.json")).mirroredProjects()).containsExactly(project);

            Run unknown = ledger("mirror", "999999", "--data", data(), "--db", db.db().displayUrl());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("project 999999 does not exist");
        }
    }

    @Test
    void asASeparateProcessBadInputExitsWith2() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedgerCommand.class.getName(),
                "set", "a", "b", "--prompt", "p", "--status", "7", "--data", data()));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out + err).isEqualTo(2);
        assertThat(err.strip()).startsWith("reelmark: --status: must be one of").doesNotContain("\n");
    }
}
