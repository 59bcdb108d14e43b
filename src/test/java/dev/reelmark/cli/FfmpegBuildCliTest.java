package dev.reelmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.FfmpegTools;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reelmark probe --version}: which ffmpeg build is used, what it can do, and the refusal of one it cannot use. */
class FfmpegBuildCliTest {

    record Run(int exit, String out, String err) {
    }

    private static Run reelmark(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void probeVersionNamesTheBuildItsSourceVersionAndCodecs() throws Exception {
        FfmpegTools found = FfmpegTools.locate(null, null);
        Run run = reelmark(Map.of(), "probe", "--version");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ffmpeg    " + found.ffmpeg() + " (" + found.sourceDescription() + ")")
                .contains("version   " + found.capabilities().version())
                .contains("Reelmark supports 5.1 and newer")
                .containsPattern("video     .*h264 \\((libx264|libopenh264)\\)")
                .contains("mpeg4 (mpeg4)");

        Run json = reelmark(Map.of(FfmpegTools.ENV_FFMPEG, "bundled"), "probe", "--version", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode doc = Json.parse(json.out());
        assertThat(doc.path("source").asText()).isEqualTo("bundled");
        assertThat(doc.path("version").asText()).isEqualTo(FfmpegTools.locate("bundled", null).capabilities().version());
        assertThat(doc.path("ffmpeg").asText()).isEqualTo(FfmpegTools.locate("bundled", null).ffmpeg().toString());
        assertThat(doc.path("supported").asBoolean()).isTrue();
        assertThat(doc.path("minimum_supported").asText()).isEqualTo("5.1");
        assertThat(doc.path("video_codecs").path("h264").asText()).isEqualTo("libopenh264"); // the bundled build has no libx264
        assertThat(doc.path("key_filters").toString()).contains("scale");
        assertThat(doc.path("muxers").asInt()).isGreaterThan(50);
    }

    @Test
    void aProgramThatIsNoSupportedFfmpegIsRefusedWithOneLineNamingTheVersionNeeded() throws Exception {
        // /bin/echo runs and exits 0 but names no version: Reelmark must not guess.
        Run run = reelmark(Map.of(), "probe", "--version", "--ffmpeg", "/bin/echo", "--ffprobe", "/bin/echo");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("reelmark: ffmpeg at /bin/echo")
                .contains("Reelmark needs ffmpeg 5.1 or newer")
                .contains("REELMARK_FFMPEG=bundled");

        Run probe = reelmark(Map.of(FfmpegTools.ENV_FFMPEG, "/bin/echo", FfmpegTools.ENV_FFPROBE, "/bin/echo"),
                "probe", "/bin/echo");
        assertThat(probe.exit()).isEqualTo(2);
        assertThat(probe.err().strip()).doesNotContain("\n").contains("ffprobe at /bin/echo").contains("5.1 or newer");
    }
}
