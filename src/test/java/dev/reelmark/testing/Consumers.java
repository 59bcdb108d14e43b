package dev.reelmark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelmark.media.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The independent Python readers (Hugging Face datasets, pyarrow, mutagen, PyAV) that scripts/test installs into a
 * virtual environment and names in REELMARK_TEST_PYTHON. A test that needs one fails, never skips, without it.
 */
public final class Consumers {
    private Consumers() {}

    /** The virtual environment's python (REELMARK_TEST_PYTHON, else the project's .venv-consumers). */
    public static Path python() {
        String env = System.getenv("REELMARK_TEST_PYTHON");
        Path py = env != null && !env.isBlank() ? Path.of(env) : Path.of(".venv-consumers", "bin", "python").toAbsolutePath();
        assertThat(Files.isExecutable(py))
                .as("the Python consumers are required: run scripts/test, or source scripts/lib.sh and run "
                        + "ensure_python_consumers (looked for " + py + ")")
                .isTrue();
        return py;
    }

    /** Runs a Python script (its text) with arguments; fails the test with its stderr when it exits non-zero. */
    public static String runPython(String script, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(python().toString(), "-c", script));
        cmd.addAll(List.of(args));
        ProcessRunner.Result r;
        try {
            r = ProcessRunner.run(cmd, timeout, Map.of("HF_DATASETS_OFFLINE", "1"));
        } catch (Exception e) {
            throw new AssertionError("python failed to run: " + e.getMessage(), e);
        }
        assertThat(r.ok()).as("python exited " + r.exitCode() + ":\n" + r.stderr() + "\n" + r.stdoutText()).isTrue();
        return r.stdoutText();
    }
}
