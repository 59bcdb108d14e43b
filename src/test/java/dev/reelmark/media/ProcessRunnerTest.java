package dev.reelmark.media;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerTest {

    private final FfmpegTools tools = FfmpegTools.defaults();

    @Test
    void largeStdoutAndStderrTogetherDoNotDeadlock() {
        int w = 320;
        int h = 240;
        int frames = 50; // 11.5 MB of raw video on stdout, while debug logging floods stderr
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-nostdin", "-loglevel", "debug",
                "-f", "lavfi", "-i", "testsrc=size=" + w + "x" + h + ":rate=25",
                "-frames:v", String.valueOf(frames), "-pix_fmt", "rgb24", "-f", "rawvideo", "-"), Duration.ofSeconds(30));

        assertThat(r.ok()).as(r.stderrTail(5)).isTrue();
        assertThat(r.stdout()).hasSize(w * h * 3 * frames);
        assertThat(r.stderr()).isNotEmpty();
        assertThat(r.stderr().length()).isLessThanOrEqualTo(ProcessRunner.STDERR_KEEP_BYTES);
    }

    @Test
    void timeoutKillsTheProcessAndSaysSo() {
        String marker = "reelmark-timeout-" + UUID.randomUUID();
        List<String> args = List.of("-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc",
                "-metadata", "comment=" + marker, "-f", "null", "-");
        long start = System.nanoTime();

        assertThatThrownBy(() -> tools.runFfmpeg(args, Duration.ofMillis(800)))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("Timed out after 800 ms")
                .hasMessageContaining("testsrc");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .findAny()).isEmpty();
    }

    @Test
    void nonZeroExitIsReturnedAndFailureCarriesStderrTail() {
        ProcessRunner.Result r = tools.runFfmpeg(List.of("-nostdin", "-i", "/no/such/input.mp4"), Duration.ofSeconds(30));

        assertThat(r.ok()).isFalse();
        assertThat(r.exitCode()).isNotZero();
        MediaException e = ProcessRunner.failure("Reading the input failed", r);
        assertThat(e.getMessage()).startsWith("Reading the input failed (exit code " + r.exitCode() + ")")
                .contains("No such file or directory");
    }

    @Test
    void runCheckedThrowsOnNonZeroExit() {
        List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-nostdin", "-i", "/no/such/input.mp4"));

        assertThatThrownBy(() -> ProcessRunner.runChecked(cmd, Duration.ofSeconds(30), tools.environment(), "probe step"))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("probe step (exit code")
                .hasMessageContaining("/no/such/input.mp4");
    }

    @Test
    void aProgramThatCannotStartIsAMediaException() {
        assertThatThrownBy(() -> ProcessRunner.run(List.of("/no/such/program"), Duration.ofSeconds(5)))
                .isInstanceOf(MediaException.class)
                .hasMessageContaining("Could not start /no/such/program");
    }

    @Test
    void missingSharedLibraryGetsAnActionableHint() {
        String loaderError = "ffmpeg: error while loading shared libraries: libpulse.so.0: cannot open shared "
                + "object file: No such file or directory";

        assertThat(ProcessRunner.missingLibraryHint(loaderError)).contains("apt-get install -y libpulse0");
        assertThat(ProcessRunner.missingLibraryHint("Invalid data found when processing input")).isNull();
        assertThat(Optional.ofNullable(ProcessRunner.missingLibraryHint(
                "error while loading shared libraries: libfoo.so.1"))).get().asString().contains("REELMARK_FFMPEG");
    }

    @Test
    void tailKeepsTheLastNonBlankLines() {
        assertThat(ProcessRunner.tail("a\n\nb\r\nc\n  \n", 2)).isEqualTo("b\nc");
        assertThat(ProcessRunner.tail("", 3)).isEmpty();
    }
}
