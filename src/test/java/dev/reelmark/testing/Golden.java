package dev.reelmark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: {@code actual} must equal {@code src/test/resources/golden/NAME} byte for byte. Run the test with
 * {@code -Dreelmark.golden.update=true} to (re)write the files, then review the diff; a missing file fails.
 */
public final class Golden {
    public static final Path DIR = Path.of("src/test/resources/golden");
    public static final String UPDATE = "reelmark.golden.update";

    private Golden() {
    }

    /** Compares text (UTF-8) with the golden file {@code name} (a path under golden/, e.g. {@code ledger/x.json}). */
    public static void check(String name, String actual) {
        check(name, actual.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares bytes with the golden file {@code name}; the failure shows the text of both. */
    public static void check(String name, byte[] actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(file.getParent());
                Files.write(file, actual);
            }
            assertThat(file).as("golden file " + file + " (write it with -D" + UPDATE + "=true)").exists();
            byte[] expected = Files.readAllBytes(file);
            assertThat(new String(actual, StandardCharsets.UTF_8)).as("golden file " + file)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).as("golden file " + file + " (bytes)").isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
