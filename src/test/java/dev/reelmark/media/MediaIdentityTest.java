package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Size and mtime only skip the read; the SHA-256 (checked against coreutils) decides; links cannot leave the roots. */
class MediaIdentityTest {
    @TempDir
    Path dir;

    static String sha256sum(Path file) {
        var r = ProcessRunner.run(List.of("sha256sum", file.toString()), Duration.ofSeconds(30));
        assertThat(r.ok()).isTrue();
        return r.stdoutText().trim().split("\\s+")[0];
    }

    @Test
    void hashDecidesAndTheCacheSkipsOnlyUntouchedFiles() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        new ClipSynth().synthesize(ClipSpec.small(), clip);
        MediaIdentity ids = new MediaIdentity(100);
        MediaIdentity.Identity first = ids.of(clip);
        assertThat(first.sha256()).isEqualTo(sha256sum(clip));
        assertThat(first.size()).isEqualTo(Files.size(clip));
        assertThat(first.realPath()).isEqualTo(clip.toRealPath().toString());
        assertThat(ids.hashedFiles()).isEqualTo(1);

        // Untouched: neither of() nor check() reads the file again.
        assertThat(ids.of(clip)).isEqualTo(first);
        assertThat(ids.check(clip, first).status()).isEqualTo(MediaIdentity.Status.UNCHANGED);
        assertThat(ids.hashedFiles()).isEqualTo(1);

        // Touched (same bytes, new mtime): re-hashed once, still unchanged.
        Files.setLastModifiedTime(clip, FileTime.fromMillis(Files.getLastModifiedTime(clip).toMillis() + 60_000));
        assertThat(ids.check(clip, first).status()).isEqualTo(MediaIdentity.Status.UNCHANGED);
        assertThat(ids.hashedFiles()).isEqualTo(2);

        // Same size, one byte different, new mtime: changed.
        byte[] bytes = Files.readAllBytes(clip);
        bytes[bytes.length - 3] ^= 1;
        Files.write(clip, bytes);
        Files.setLastModifiedTime(clip, FileTime.fromMillis(Files.getLastModifiedTime(clip).toMillis() + 120_000));
        MediaIdentity.Check changed = ids.check(clip, first);
        assertThat(changed.status()).isEqualTo(MediaIdentity.Status.CHANGED);
        assertThat(changed.current().size()).isEqualTo(first.size());
        assertThat(changed.current().sha256()).isEqualTo(sha256sum(clip)).isNotEqualTo(first.sha256());

        // Moved away: missing, and its identity is gone.
        Files.move(clip, dir.resolve("elsewhere.mp4"));
        assertThat(ids.check(clip, first).status()).isEqualTo(MediaIdentity.Status.MISSING);
        assertThat(ids.find(clip)).isEmpty();
        assertThat(ids.find(dir)).isEmpty(); // a directory is not a media file
    }

    @Test
    void aLinkInsideTheRootsToAFileOutsideIsNotRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data"));
        Path outside = dir.resolve("secret.bin");
        Files.writeString(outside, "not media");
        Path link = Files.createSymbolicLink(root.resolve("clip.mp4"), outside);
        MediaRoots roots = MediaRoots.of(root);
        MediaIdentity ids = new MediaIdentity(10);
        assertThat(ids.find(link, roots)).isEmpty();
        assertThat(ids.hashedFiles()).isZero();
        Path inside = root.resolve("real.bin");
        Files.writeString(inside, "media");
        assertThat(ids.find(inside, roots)).isPresent();
        MediaIdentity.Identity recorded = ids.of(inside);
        Files.delete(inside);
        Files.createSymbolicLink(inside, outside);
        assertThat(ids.check(inside, recorded, roots).status()).isEqualTo(MediaIdentity.Status.MISSING);
    }
}
