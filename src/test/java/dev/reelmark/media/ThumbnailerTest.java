package dev.reelmark.media;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThumbnailerTest {

    static final MediaProbe PROBE = new MediaProbe();
    static final Thumbnailer THUMBS = new Thumbnailer();

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void synthesize() {
        clip = new ClipSynth().synthesize(ClipSpec.of(320, 180, 24, 2).withPattern(ClipSpec.Pattern.TESTSRC2),
                dir.resolve("clip.mp4"));
    }

    @Test
    void writesAJpegOfTheRequestedWidthKeepingAspect() throws Exception {
        Path out = dir.resolve("thumbs/nested/clip.jpg");

        Path written = THUMBS.thumbnail(clip, out, 160);

        assertThat(written).isEqualTo(out.toAbsolutePath());
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes.length).isGreaterThan(100);
        assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
        assertThat(bytes[1] & 0xFF).isEqualTo(0xD8);
        ProbeResult jpeg = PROBE.probe(out);
        assertThat(jpeg.videoCodec()).isEqualTo("mjpeg");
        assertThat(jpeg.resolution()).isEqualTo("160x90");
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out); // no temp file left behind
        }
    }

    @Test
    void neverUpscalesAndReplacesAnExistingFile() throws Exception {
        Path out = Files.writeString(dir.resolve("existing.jpg"), "old junk");

        THUMBS.thumbnail(clip, out, 4000);

        assertThat(Thumbnailer.isJpeg(out)).isTrue();
        assertThat(PROBE.probe(out).resolution()).isEqualTo("320x180");
    }

    @Test
    void veryShortClipUsesTheFirstFrame() {
        Path tiny = new ClipSynth().synthesize(ClipSpec.of(160, 120, 10, 0.3).withVideoCodec("mpeg4"),
                dir.resolve("tiny.mkv"));
        ProbeResult probed = PROBE.probe(tiny);

        Path out = THUMBS.thumbnail(probed, dir.resolve("tiny.jpg"), 80);

        assertThat(PROBE.probe(out).resolution()).isEqualTo("80x60");
    }

    @Test
    void nonVideoFailsWithoutLeavingFiles() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("bad"));
        Path text = Files.writeString(sub.resolve("fake.mp4"), "not video");

        assertThatThrownBy(() -> THUMBS.thumbnail(text, sub.resolve("fake.jpg"), 160))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("fake.mp4");
        try (Stream<Path> files = Files.list(sub)) {
            assertThat(files).containsExactly(text);
        }
        assertThatThrownBy(() -> THUMBS.thumbnail(clip, sub.resolve("x.jpg"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
