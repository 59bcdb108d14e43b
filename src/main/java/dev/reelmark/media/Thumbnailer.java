package dev.reelmark.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a JPEG poster frame for a video. Thread-safe. */
public final class Thumbnailer {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Clips shorter than this get their first frame: 10% in could be past the last decodable frame. */
    static final double SHORT_CLIP_SECONDS = 1.0;

    private final FfmpegTools tools;
    private final MediaProbe probe;
    private final Duration timeout;

    public Thumbnailer() {
        this(FfmpegTools.defaults());
    }

    public Thumbnailer(FfmpegTools tools) {
        this(tools, new MediaProbe(tools), DEFAULT_TIMEOUT);
    }

    public Thumbnailer(FfmpegTools tools, MediaProbe probe, Duration timeout) {
        this.tools = tools;
        this.probe = probe;
        this.timeout = timeout;
    }

    /**
     * Extracts one frame of {@code video}, about 10% into it (the first frames of generated clips are often
     * black or a fade-in), scaled down to at most {@code maxWidth} pixels wide keeping the aspect ratio, and
     * writes it as JPEG to {@code outputJpeg} atomically (parent directories are created, an existing file is
     * replaced).
     */
    public Path thumbnail(Path video, Path outputJpeg, int maxWidth) {
        return thumbnail(probe.probe(video), outputJpeg, maxWidth);
    }

    /** As {@link #thumbnail(Path, Path, int)} for a file already probed, saving a second ffprobe run. */
    public Path thumbnail(ProbeResult probed, Path outputJpeg, int maxWidth) {
        if (maxWidth <= 0) {
            throw new IllegalArgumentException("maxWidth must be positive, was " + maxWidth);
        }
        if (!probed.hasVideo()) {
            throw new MediaException("No video stream to take a thumbnail from: " + probed.path());
        }
        tools.requireEncoder("mjpeg", "thumbnails");
        double seek = probed.durationSeconds() >= SHORT_CLIP_SECONDS ? probed.durationSeconds() * 0.10 : 0;
        int width = Math.min(maxWidth, probed.width()); // never upscale
        try (AtomicOutput out = AtomicOutput.create(outputJpeg)) {
            ProcessRunner.Result r = extract(probed.path(), seek, width, out.temp());
            if (r.ok() && !isJpeg(out.temp()) && seek > 0) {
                // A duration that overstates the stream can put the seek past the last frame: ffmpeg then
                // succeeds with nothing written. The first frame is better than no thumbnail.
                r = extract(probed.path(), 0, width, out.temp());
            }
            if (!r.ok()) {
                throw ProcessRunner.failure("ffmpeg could not extract a thumbnail from " + probed.path(), r);
            }
            if (!isJpeg(out.temp())) {
                throw new MediaException("ffmpeg wrote no thumbnail frame for " + probed.path()
                        + (r.stderrTail(5).isEmpty() ? "" : ": " + r.stderrTail(5)));
            }
            return out.commit();
        }
    }

    private ProcessRunner.Result extract(Path video, double seekSeconds, int width, Path temp) {
        List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
        if (seekSeconds > 0) {
            // Before -i: a fast keyframe seek, then ffmpeg decodes up to the exact time.
            args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", seekSeconds)));
        }
        args.addAll(MediaInput.ffmpegInput(video));
        args.addAll(List.of(
                "-map", "0:V:0",                 // capital V: video that is not cover art
                "-frames:v", "1",
                "-vf", "scale=" + width + ":-1",  // -1: height from the aspect ratio
                "-q:v", "3",
                "-f", "mjpeg",                    // one mjpeg frame is a plain JPEG file; no image2 name patterns
                temp.toString()));
        return tools.runFfmpeg(args, timeout);
    }

    /** JPEG files start with the SOI marker FF D8. */
    static boolean isJpeg(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0xFF && in.read() == 0xD8;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
