package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A generated clip gets the mode {@code touch} gives beside it, not the owner-only 600 of its temp file. */
class FileModesTest {
    @TempDir
    Path dir;

    @Test
    void aSynthesizedClipHasTheModeTouchGives() throws Exception {
        Process touch = new ProcessBuilder("/bin/sh", "-c", "touch \"$1/touched\" && mkdir \"$1/made\"", "sh", dir.toString()).start();
        assertThat(touch.waitFor(30, TimeUnit.SECONDS) && touch.exitValue() == 0).isTrue();
        String touched = mode(dir.resolve("touched"));
        assertThat(touched).as("this test needs a umask that lets others or the group read").isNotEqualTo("rw-------");
        Path clip = new ClipSynth(FfmpegTools.defaults()).synthesize(ClipSpec.small(), dir.resolve("clips/take 1.mp4"));
        assertThat(mode(clip)).isEqualTo(touched);
        assertThat(PosixFilePermissions.toString(FileModes.newFile(dir))).isEqualTo(touched);
        assertThat(PosixFilePermissions.toString(FileModes.newDirectory(dir))).isEqualTo(mode(dir.resolve("made")));
        try (var list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".reelmark-umask-"));
        }
    }

    static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
