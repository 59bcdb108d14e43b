package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Files written through {@link AtomicOutput} get the mode any file of the process gets, and no temp file stays. */
class AtomicOutputTest {
    @TempDir
    Path dir;

    /** The mode of a file made by another program of this process tree ({@code touch}): 666 less the umask. */
    private Set<PosixFilePermission> umaskMode() throws Exception {
        Path ref = dir.resolve("made-by-touch");
        var r = ProcessRunner.run(List.of("touch", ref.toString()), Duration.ofSeconds(10), Map.of());
        assertThat(r.ok()).isTrue();
        return Files.getPosixFilePermissions(ref);
    }

    @Test
    void aCommittedFileHasTheUmasksModeNotAPrivateOne() throws Exception {
        Set<PosixFilePermission> expected = umaskMode();
        Path target = dir.resolve("out/delivery.json");
        try (AtomicOutput out = AtomicOutput.create(target)) {
            assertThat(out.temp().getFileName().toString()).startsWith(".delivery.json.").endsWith(".part");
            assertThat(AtomicOutput.isTempOf(out.temp(), "delivery.json")).isTrue();
            Files.writeString(out.temp(), "{}", StandardCharsets.UTF_8);
            out.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo(PosixFilePermissions.toString(expected));
        // with the usual umask (022 or 002) others can read it; before, temp files made it rw-------
        if (expected.contains(PosixFilePermission.OTHERS_READ)) {
            assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        }
    }

    @Test
    void anUncommittedOutputLeavesNothingAndTwoOutputsNeverShareATempFile() throws Exception {
        Path target = dir.resolve("a.zip");
        Path first;
        try (AtomicOutput a = AtomicOutput.create(target); AtomicOutput b = AtomicOutput.create(target)) {
            first = a.temp();
            assertThat(a.temp()).isNotEqualTo(b.temp());
            Files.writeString(a.temp(), "half");
        }
        assertThat(first).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.endsWith(".part") || n.equals("a.zip"));
        }
    }
}
