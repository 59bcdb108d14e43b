package dev.reelmark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The C2PA reference implementation (c2pa-rs built to WebAssembly, {@code @contentauth/c2pa-wasm}) that scripts/test
 * installs into tools/c2pa-reader and names in REELMARK_TEST_C2PA_READER. A test that needs it fails, never skips.
 */
public final class C2paReader {
    private C2paReader() {}

    /** The reader script (REELMARK_TEST_C2PA_READER, else the project's tools/c2pa-reader/read.js with its modules). */
    public static Path script() {
        String env = System.getenv("REELMARK_TEST_C2PA_READER");
        Path js = env != null && !env.isBlank() ? Path.of(env) : Path.of("tools", "c2pa-reader", "read.js").toAbsolutePath();
        Path wasm = js.resolveSibling("node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm");
        assertThat(Files.isRegularFile(js) && Files.isRegularFile(wasm))
                .as("the C2PA reference reader is required: run scripts/test, or source scripts/lib.sh and run "
                        + "ensure_c2pa_reader (looked for " + js + " and " + wasm + ")")
                .isTrue();
        return js;
    }

    /** Reads every file in one Node process: per file {file, format, manifest_store} or {file, format, error}. */
    public static List<JsonNode> read(Path... files) {
        List<String> cmd = new ArrayList<>(List.of("node", script().toString()));
        for (Path f : files) cmd.add(f.toString());
        ProcessRunner.Result r = ProcessRunner.run(cmd, Duration.ofSeconds(120));
        assertThat(r.ok()).as("the C2PA reader exited " + r.exitCode() + ":\n" + r.stderr()).isTrue();
        JsonNode all = Json.parse(r.stdoutText());
        assertThat(all.size()).as("one answer per file").isEqualTo(files.length);
        List<JsonNode> out = new ArrayList<>();
        all.forEach(out::add);
        return out;
    }

    /** The active manifest of a reader answer (fails when the reader found none). */
    public static JsonNode activeManifest(JsonNode answer) {
        assertThat(answer.has("error")).as("reader error: " + answer.path("error").asText()).isFalse();
        JsonNode store = answer.get("manifest_store");
        return store.get("manifests").get(store.get("active_manifest").asText());
    }

    /** The failure codes of the active manifest's validation. */
    public static List<String> failureCodes(JsonNode answer) {
        List<String> codes = new ArrayList<>();
        answer.get("manifest_store").path("validation_results").path("activeManifest").path("failure")
                .forEach(f -> codes.add(f.get("code").asText()));
        return codes;
    }
}
