package dev.reelmark.sidecar;

import dev.reelmark.cli.Main;
import dev.reelmark.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark sidecars ...} and {@code reelmark datasets ...} as a user runs them: a separate JVM on the demo data. */
class SidecarDatasetCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run reelmark(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", dir.resolve("data").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void templatesPreviewExportAndDatasetsFromTheCommandLine() throws Exception {
        assertThat(reelmark("demo").exit()).isZero();
        Run list = reelmark("sidecars", "templates");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("Nuke XML").contains("Avid ALE").contains("built-in");

        Run preview = reelmark("sidecars", "preview", "1", "--segment", "1");
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).startsWith("<?xml").contains("<clip ");
        assertThat(preview.err()).contains("segment_0.xml");

        Run badTemplate = reelmark("sidecars", "create", "--name", "x", "--format", "csv", "--template-json", "{\"columns\": []}");
        assertThat(badTemplate.exit()).isEqualTo(2);
        assertThat(badTemplate.err()).contains("template_json.columns");
        Run builtin = reelmark("sidecars", "delete", "1");
        assertThat(builtin.exit()).as("a built-in template is a conflict").isEqualTo(dev.reelmark.cli.Cli.CONFLICT);
        assertThat(builtin.err()).contains("built in");

        // A job of another kind waiting in the queue (as a server would leave it): the CLI's exports must not run it.
        long queued;
        try (var app = dev.reelmark.app.Reelmark.open(new dev.reelmark.app.AppConfig(dir.resolve("data"), null, null, null, 0))) {
            queued = app.jobs().submit(dev.reelmark.catalog.ThumbnailsJob.KIND, Json.object().put("project_id", 1)).id();
        }

        Run export = reelmark("sidecars", "export", "--project", "1", "--template", "1,2,7");
        assertThat(export.exit()).as(export.err()).isZero();
        var result = Json.parse(export.out());
        assertThat(result.get("videos").intValue()).isEqualTo(15);
        assertThat(Path.of(result.get("zip").asText())).exists();

        Run unsigned = reelmark("sidecars", "export", "--project", "1", "--template", "1", "--content-credentials");
        assertThat(unsigned.exit()).isEqualTo(2);
        assertThat(unsigned.err()).contains("content_credentials", "include_media");

        Run badSplit = reelmark("datasets", "export", "--project", "1", "--split", "70/20/20");
        assertThat(badSplit.exit()).isEqualTo(2);
        assertThat(badSplit.err()).contains("splits").contains("110");
        Run badQuality = reelmark("datasets", "export", "--project", "1", "--quality", "7");
        assertThat(badQuality.exit()).isEqualTo(2);
        assertThat(badQuality.err()).contains("quality_threshold");

        Run dataset = reelmark("datasets", "export", "--project", "1", "--quality", "0.6", "--split", "50/25/25", "--scene-type", "idle");
        assertThat(dataset.exit()).as(dataset.err()).isZero();
        assertThat(dataset.out()).contains("dataset #1:");
        try (var app = dev.reelmark.app.Reelmark.open(new dev.reelmark.app.AppConfig(dir.resolve("data"), null, null, null, 0))) {
            assertThat(app.jobs().get(queued).status()).as("the CLI ran only its own jobs' kinds")
                    .isEqualTo(dev.reelmark.jobs.JobStatus.QUEUED);
        }
        Run shown = reelmark("datasets", "show", "--project", "1", "--id", "1");
        assertThat(shown.exit()).isZero();
        var d = Json.parse(shown.out());
        assertThat(d.get("status").asText()).isEqualTo("completed");
        assertThat(d.get("manifest").get("config").get("scene_types").get(0).asText()).isEqualTo("idle");
        try (ZipFile zip = new ZipFile(d.get("file_path").asText())) {
            assertThat(zip.getEntry("manifest.json")).isNotNull();
        }
        assertThat(reelmark("datasets", "list", "--project", "1").out()).contains("completed");
        assertThat(Files.exists(dir.resolve("data/exports/datasets/dataset-1.zip"))).isTrue();
    }
}
