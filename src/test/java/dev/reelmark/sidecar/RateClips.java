package dev.reelmark.sidecar;

import dev.reelmark.media.FfmpegTools;
import dev.reelmark.media.ProcessRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Real clips made by ffmpeg at the NTSC rates (exact rationals, as cameras and ComfyUI write them). */
final class RateClips {
    private RateClips() {
    }

    /** An MPEG-4 clip of {@code frames} frames at {@code rate} (e.g. "24000/1001") and the given size. */
    static Path make(Path file, String rate, int width, int height, int frames) {
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ProcessRunner.Result r = FfmpegTools.defaults().runFfmpeg(List.of("-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=size=" + width + "x" + height + ":rate=" + rate, "-frames:v", Integer.toString(frames),
                "-c:v", "mpeg4", "-q:v", "10", "-pix_fmt", "yuv420p", "-f", file.toString().endsWith(".mov") ? "mov" : "mp4",
                file.toString()), Duration.ofSeconds(120));
        if (!r.ok()) throw new AssertionError("ffmpeg failed: " + r.stderr());
        return file;
    }

    /** Runs {@code nuke_eval.tcl} on a script: per knob "node class knob value" with the value as Nuke evaluates it. */
    static List<String[]> nukeKnobs(Path script) throws Exception {
        Path harness = Path.of(RateClips.class.getResource("/sidecar/nuke_eval.tcl").toURI());
        ProcessRunner.Result r = ProcessRunner.run(List.of("tclsh", harness.toString(), script.toString()), Duration.ofSeconds(60));
        if (!r.ok()) throw new AssertionError("tclsh failed on " + script + ": " + r.stderr());
        List<String[]> out = new java.util.ArrayList<>();
        for (String line : r.stdoutText().split("\n")) {
            if (line.isBlank()) continue;
            String[] p = line.split(" ", -1);
            String value = new String(java.util.HexFormat.of().parseHex(p[3]), java.nio.charset.StandardCharsets.UTF_8);
            out.add(new String[]{p[0], p[1], p[2], value});
        }
        return out;
    }
}
