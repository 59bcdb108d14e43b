package dev.reelmark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FfmpegToolsTest {

    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void defaultsFindBinariesThatRun() {
        FfmpegTools tools = FfmpegTools.defaults();

        assertThat(tools.version()).startsWith("ffmpeg version");
        ProcessRunner.Result probe = tools.runFfprobe(List.of("-hide_banner", "-version"), T);
        assertThat(probe.ok()).as(probe.stderr()).isTrue();
        assertThat(probe.stdoutText()).startsWith("ffprobe version");
        assertThat(tools.source()).isIn("configured", "env", "PATH", "bundled");
        assertThat(FfmpegTools.defaults()).isSameAs(tools);
        // scripts/test runs the suite once with the bundled build and the media tests again with PATH's: each pass
        // proves it ran on the build it meant to.
        String pass = System.getenv("REELMARK_TEST_FFMPEG_SOURCE");
        if (pass != null) {
            assertThat(tools.source()).as("the ffmpeg this test pass was meant to use").isEqualTo(pass);
        }
    }

    @Test
    void encoderListHasTheCodecsClipSynthReliesOnAndNoLegendEntries() {
        FfmpegTools tools = FfmpegTools.defaults();

        assertThat(tools.encoders()).contains("mpeg4", "mjpeg", "aac", "mov_text", "srt")
                .doesNotContain("=", "Video", "------");
        assertThat(tools.hasEncoder("no-such-encoder")).isFalse();
    }

    @Test
    void configuredPathThatDoesNotExistFailsNamingThePath() {
        String missing = tmp.resolve("nope/ffmpeg").toString();

        assertThatThrownBy(() -> FfmpegTools.locate(missing, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Configured ffmpeg path does not exist")
                .hasMessageContaining(missing);
        assertThatThrownBy(() -> FfmpegTools.locate(null, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Configured ffprobe path does not exist");
    }

    @Test
    void configuredDirectoryOrNonExecutableFileIsRejected() throws Exception {
        assertThatThrownBy(() -> FfmpegTools.locate(tmp.toString(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a directory");
        Path plain = Files.writeString(tmp.resolve("ffmpeg"), "not a program");

        assertThatThrownBy(() -> FfmpegTools.locate(plain.toString(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not executable");
    }

    @Test
    void configuredPathsWinAndStillRun() {
        FfmpegTools bundled = FfmpegTools.defaults();

        FfmpegTools both = FfmpegTools.locate(bundled.ffmpeg().toString(), bundled.ffprobe().toString());
        assertThat(both.source()).isEqualTo("configured");
        assertThat(both.ffmpeg()).isEqualTo(bundled.ffmpeg());
        assertThat(both.version()).startsWith("ffmpeg version");

        // Only ffmpeg given: ffprobe is taken from beside it rather than from some other install.
        FfmpegTools one = FfmpegTools.locate(bundled.ffmpeg().toString(), null, Map.of());
        assertThat(one.source()).isEqualTo("configured");
        assertThat(one.ffprobe()).isEqualTo(bundled.ffprobe());
    }

    @Test
    void environmentVariablesComeBeforePath() {
        FfmpegTools bundled = FfmpegTools.defaults();
        Map<String, String> env = Map.of(
                "REELMARK_FFMPEG", bundled.ffmpeg().toString(),
                "REELMARK_FFPROBE", bundled.ffprobe().toString(),
                "PATH", tmp.toString());

        FfmpegTools tools = FfmpegTools.locate(null, null, env);

        assertThat(tools.source()).isEqualTo("env");
        assertThat(tools.ffprobe()).isEqualTo(bundled.ffprobe());
    }

    @Test
    void environmentVariablePointingNowhereFailsNamingTheVariable() {
        Map<String, String> env = Map.of("REELMARK_FFMPEG", tmp.resolve("missing").toString());

        assertThatThrownBy(() -> FfmpegTools.locate(null, null, env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REELMARK_FFMPEG")
                .hasMessageContaining("does not exist");
    }

    @Test
    void pathIsSearchedAndSymlinkedBundledBinariesStillFindTheirLibraries() throws Exception {
        FfmpegTools bundled = FfmpegTools.defaults();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("ffmpeg"), bundled.ffmpeg());
        Files.createSymbolicLink(bin.resolve("ffprobe"), bundled.ffprobe());

        FfmpegTools tools = FfmpegTools.locate(null, null,
                Map.of("PATH", tmp.resolve("empty") + java.io.File.pathSeparator + bin));

        assertThat(tools.source()).isEqualTo("PATH");
        assertThat(tools.ffmpeg()).isEqualTo(bin.resolve("ffmpeg"));
        assertThat(tools.version()).startsWith("ffmpeg version");
        // A configured bare name is looked up on PATH, as a shell would.
        Map<String, String> pathOnly = Map.of("PATH", bin.toString());
        assertThat(FfmpegTools.locate("ffmpeg", null, pathOnly).ffmpeg()).isEqualTo(bin.resolve("ffmpeg"));
        assertThatThrownBy(() -> FfmpegTools.locate("ffmpeg-nonexistent", null, pathOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ffmpeg-nonexistent' is not on PATH");
        // JUnit warns about links pointing out of its temp dir; they have done their job.
        Files.delete(bin.resolve("ffmpeg"));
        Files.delete(bin.resolve("ffprobe"));
    }

    @Test
    void fallsBackToTheBundledBuildWhenNothingElseIsThere() {
        FfmpegTools tools = FfmpegTools.locate(null, null, Map.of("PATH", tmp.toString()));

        assertThat(tools.source()).isEqualTo("bundled");
        assertThat(tools.ffmpeg().getFileName().toString()).isEqualTo("ffmpeg");
        assertThat(tools.ffprobe().getFileName().toString()).isEqualTo("ffprobe");
        // The bundled executables cannot find libva.so.2 on their own (RUNPATH does not cover libavutil's needs).
        assertThat(tools.environment()).containsKey("LD_LIBRARY_PATH");
        assertThat(tools.environment().get("LD_LIBRARY_PATH")).startsWith(tools.ffmpeg().getParent().toString());
    }

    @Test
    void bundledAsAValuePicksTheBundledBuildEvenWhenPathHasAnother() throws Exception {
        FfmpegTools bundled = FfmpegTools.locate(null, null, Map.of("PATH", tmp.toString()));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("ffmpeg"), bundled.ffmpeg());
        Files.createSymbolicLink(bin.resolve("ffprobe"), bundled.ffprobe());
        assertThat(FfmpegTools.locate(null, null, Map.of("PATH", bin.toString())).source()).isEqualTo("PATH");

        FfmpegTools forced = FfmpegTools.locate(null, null, Map.of("PATH", bin.toString(), "REELMARK_FFMPEG", "bundled"));
        assertThat(forced.source()).isEqualTo("bundled");
        assertThat(forced.ffmpeg()).isEqualTo(bundled.ffmpeg());
        assertThat(forced.ffprobe()).as("ffprobe follows ffmpeg into the bundled build").isEqualTo(bundled.ffprobe());
        assertThat(forced).as("one instance per build, so its capabilities are learned once").isSameAs(bundled);
        FfmpegTools configured = FfmpegTools.locate("bundled", "BUNDLED", Map.of("PATH", bin.toString()));
        assertThat(configured.source()).isEqualTo("bundled");
        assertThat(configured.version()).startsWith("ffmpeg version");
        Files.delete(bin.resolve("ffmpeg"));
        Files.delete(bin.resolve("ffprobe"));
    }

    @Test
    void capabilitiesAreWhatTheFoundBuildReallyDoes() throws Exception {
        FfmpegTools tools = FfmpegTools.defaults();
        FfmpegCapabilities c = tools.capabilities();

        assertThat(c).isSameAs(tools.capabilities());
        assertThat(c.supported()).as(c.versionLine()).isTrue();
        assertThat(c.release().atLeast(FfmpegCapabilities.MINIMUM)).isTrue();
        assertThat(c.versionLine()).startsWith("ffmpeg version " + c.version());
        assertThat(c.libavutil()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(c.filters()).contains("scale", "testsrc", "sine").doesNotContain("------");
        assertThat(c.muxers()).contains("mp4", "matroska", "mov", "mjpeg", "ffmetadata");
        assertThat(c.demuxers()).contains("mov", "matroska", "lavfi", "ffmetadata", "image2");
        assertThat(tools.requireSupported()).isSameAs(tools);
        assertThat(tools.describe()).contains(c.version()).contains(tools.ffmpeg().toString());

        // What the listing says is what the build does: a listed muxer writes, an unlisted encoder is refused.
        Path out = tmp.resolve("one.mkv");
        ProcessRunner.Result ok = tools.runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc=size=32x32:duration=0.2",
                "-c:v", "ffv1", "-f", "matroska", out.toString()), T);
        assertThat(ok.ok()).as(ok.stderr()).isTrue();
        assertThat(c.hasEncoder("ffv1")).isTrue();
        assertThatThrownBy(() -> tools.requireEncoder("no_such_encoder", "the tests"))
                .isInstanceOf(MediaException.class).hasMessageContaining("'no_such_encoder'").hasMessageContaining("the tests")
                .hasMessageContaining(tools.ffmpeg().toString());
    }

    @Test
    void aProgramThatNamesNoSupportedVersionIsRefusedBeforeItRuns() {
        FfmpegTools echo = FfmpegTools.locate("/bin/echo", "/bin/echo", Map.of());
        assertThat(echo.capabilities().supported()).isFalse();
        assertThatThrownBy(() -> echo.runFfmpeg(List.of("-i", "x"), T))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("ffmpeg at /bin/echo")
                .hasMessageContaining("Reelmark needs ffmpeg 5.1 or newer")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> echo.runFfprobe(List.of("x"), T))
                .isInstanceOf(MediaException.class).hasMessageContaining("ffprobe at /bin/echo");
    }
}
