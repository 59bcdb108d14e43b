package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MediaRootsTest {
    @TempDir
    Path dir;

    @Test
    void confinementIsDecidedOnRealPaths() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.writeString(Files.createDirectories(data.resolve("v")).resolve("a.mp4"), "a");
        Files.createSymbolicLink(data.resolve("v/out.mp4"), outside);
        Files.createSymbolicLink(data.resolve("v/in.mp4"), data.resolve("v/a.mp4"));
        Files.createSymbolicLink(data.resolve("linked-dir"), dir);
        Files.createSymbolicLink(data.resolve("v/dangling.mp4"), dir.resolve("nowhere.mp4"));
        MediaRoots roots = MediaRoots.of(data);

        assertThat(roots.resolve("v/a.mp4")).contains(data.resolve("v/a.mp4").toRealPath());
        assertThat(roots.resolve(data.resolve("v/a.mp4").toString())).contains(data.resolve("v/a.mp4").toRealPath());
        assertThat(roots.resolve("v/out.mp4")).isEmpty();
        assertThat(roots.resolve("linked-dir/secret.txt")).isEmpty();
        assertThat(roots.resolve("linked-dir/data/v/a.mp4")).as("back in through a link: the real path is inside")
                .contains(data.resolve("v/a.mp4").toRealPath());
        assertThat(roots.resolve("v/dangling.mp4")).isEmpty();
        assertThat(roots.resolve("../secret.txt")).isEmpty();
        assertThat(roots.resolve(outside.toString())).isEmpty();
        assertThat(roots.resolve("v/in.mp4")).contains(data.resolve("v/a.mp4").toRealPath());
        // Not there yet: resolved through the deepest existing directory.
        assertThat(roots.resolve("new/dir/x.mp4")).contains(data.toRealPath().resolve("new/dir/x.mp4"));
        assertThat(roots.resolve("linked-dir/new.mp4")).isEmpty();
        assertThat(roots.resolve("a\0b")).isEmpty();
        assertThat(roots.resolve("")).isEmpty();

        assertThat(roots.resolveForWrite("v/a.mp4")).isPresent();
        assertThat(roots.resolveForWrite("v/in.mp4")).as("a link is never written through").isEmpty();
        assertThat(roots.resolveForWrite("v/out.mp4")).isEmpty();
        assertThat(roots.resolveForWrite("new.mp4")).as("a file to be created").isPresent();

        MediaRoots two = new MediaRoots(List.of(data, dir.resolve("extra")));
        assertThat(two.resolve(dir.resolve("extra/x.mp4").toString())).isPresent();
        assertThat(two.resolve(outside.toString())).isEmpty();
    }
}
