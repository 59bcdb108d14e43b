package dev.reelmark.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a web browser's {@code <video>} can play, and a playable copy (a proxy) of what it cannot: MPEG-4 Part 2,
 * Motion JPEG, ProRes, or H.264 inside Matroska. A proxy is H.264 in MP4 (libx264, else libopenh264: Debian's and the
 * bundled ffmpeg) or VP9 in WebM (libvpx-vp9) when the build has no H.264 encoder; it keeps every frame at the
 * source's timestamps, so frame numbers and timecodes read the same in both. Proxies are made once per content
 * (the SHA-256 of the source names the file) and kept in their own directory.
 */
public final class BrowserPlayback {
    /** Codecs Chromium, Firefox and Safari decode in MP4/QuickTime and WebM. */
    static final Set<String> PLAYABLE_CODECS = Set.of("h264", "vp8", "vp9", "av1");
    private static final Duration PROXY_TIMEOUT = Duration.ofMinutes(10);

    private final Supplier<FfmpegTools> tools;
    private final Path proxyDir;
    private final MediaIdentity identity;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public BrowserPlayback(Supplier<FfmpegTools> tools, Path proxyDir, MediaIdentity identity) {
        this.tools = tools;
        this.proxyDir = proxyDir;
        this.identity = identity;
    }

    /** The HTTP content type of a probed file, from its container (and extension, which tells MP4 from QuickTime). */
    public static String contentType(ProbeResult probed) {
        String format = probed.formatName() == null ? "" : probed.formatName();
        String name = probed.path().getFileName().toString().toLowerCase(Locale.ROOT);
        if (format.startsWith("mov")) return name.endsWith(".mov") || name.endsWith(".qt") ? "video/quicktime" : "video/mp4";
        if (format.startsWith("matroska")) return name.endsWith(".webm") ? "video/webm" : "video/x-matroska";
        return switch (format) {
            case "avi" -> "video/x-msvideo";
            case "mpegts" -> "video/mp2t";
            case "mpeg" -> "video/mpeg";
            case "mxf" -> "application/mxf";
            case "flv" -> "video/x-flv";
            case "ogg" -> "video/ogg";
            default -> "application/octet-stream";
        };
    }

    /** True when browsers play the file as it is: a web codec in MP4, QuickTime or WebM. */
    public static boolean playable(ProbeResult probed) {
        String type = contentType(probed);
        boolean container = type.equals("video/mp4") || type.equals("video/quicktime") || type.equals("video/webm");
        return probed.hasVideo() && container && PLAYABLE_CODECS.contains(probed.videoCodec());
    }

    /** A proxy: where it is and what it is. */
    public record Proxy(Path file, String contentType, String codec) {
    }

    /** The codec ({@code h264} or {@code vp9}) proxies are made in with this ffmpeg, or a {@link MediaException}. */
    public String proxyCodec() {
        FfmpegTools t = tools.get();
        if (t.hasEncoder("libx264") || t.hasEncoder("libopenh264")) return "h264";
        if (t.hasEncoder("libvpx-vp9")) return "vp9";
        throw new MediaException("this ffmpeg has no H.264 (libx264, libopenh264) or VP9 (libvpx-vp9) encoder to make a "
                + "browser proxy with: " + t.describe());
    }

    /** The proxy of {@code probed}'s file, made now when there is none for its content yet. */
    public Proxy proxy(ProbeResult probed) {
        String sha;
        try {
            sha = identity.of(probed.path()).sha256();
        } catch (IOException e) {
            throw new MediaException("cannot read " + probed.path().getFileName() + ": " + e.getMessage(), e);
        }
        String codec = proxyCodec();
        boolean webm = codec.equals("vp9");
        Path target = proxyDir.resolve(sha + (webm ? ".webm" : ".mp4"));
        String type = webm ? "video/webm" : "video/mp4";
        Object lock = locks.computeIfAbsent(sha, k -> new Object());
        try {
            synchronized (lock) {
            if (Files.isRegularFile(target)) return new Proxy(target, type, codec);
            try {
                Files.createDirectories(proxyDir);
            } catch (IOException e) {
                throw new MediaException("cannot create the proxy directory " + proxyDir + ": " + e.getMessage(), e);
            }
            try (AtomicOutput out = AtomicOutput.create(target)) {
                ProcessRunner.Result r = tools.get().runFfmpeg(arguments(probed, codec, out.temp()), PROXY_TIMEOUT);
                if (!r.ok()) throw ProcessRunner.failure("ffmpeg could not make a browser proxy of " + probed.path(), r);
                out.commit();
            }
            return new Proxy(target, type, codec);
            }
        } finally {
            locks.remove(sha, lock);
        }
    }

    private List<String> arguments(ProbeResult probed, String codec, Path temp) {
        List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
        args.addAll(MediaInput.ffmpegInput(probed.path()));
        args.addAll(List.of("-map", "0:V:0", "-map_metadata", "-1", "-fps_mode", "passthrough"));
        // even dimensions and 4:2:0: what every browser decoder takes
        args.addAll(List.of("-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p"));
        // a key frame a second: seeking stays quick
        int gop = Math.max(1, (int) Math.round(probed.fps() > 0 ? probed.fps() : 25));
        FfmpegTools t = tools.get();
        if (codec.equals("h264")) {
            if (t.hasEncoder("libx264")) {
                args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "18"));
            } else {
                args.addAll(List.of("-c:v", "libopenh264", "-b:v", "8M"));
            }
            args.addAll(List.of("-g", Integer.toString(gop)));
            if (!probed.streams("audio").isEmpty()) args.addAll(List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", "160k"));
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", temp.toString()));
        } else {
            // WebM proxies carry no sound: Opus and Vorbis encoders are not in every build
            args.addAll(List.of("-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30", "-deadline", "realtime", "-cpu-used", "8",
                    "-g", Integer.toString(gop), "-f", "webm", temp.toString()));
        }
        return args;
    }
}
