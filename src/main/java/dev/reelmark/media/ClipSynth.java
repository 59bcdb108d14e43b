package dev.reelmark.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes small real video files from ffmpeg's generated test sources, for tests and the {@code demo} command.
 * Thread-safe.
 */
public final class ClipSynth {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** Preferred first: H.264 is what generators actually emit; mpeg4 is in every ffmpeg build. */
    static final List<String> VIDEO_CODEC_PREFERENCE = List.of("libx264", "libopenh264", "mpeg4");
    static final List<String> AUDIO_CODEC_PREFERENCE = List.of("aac", "libopus", "libmp3lame");

    /**
     * The video codecs Reelmark makes clips in (ffprobe's codec name) and the encoders that make each, preferred
     * first. Builds differ: Debian's has libx264, the bundled one libopenh264; both have the others.
     */
    public static final Map<String, List<String>> VIDEO_ENCODERS = orderedMap(
            "h264", List.of("libx264", "libopenh264"),
            "mpeg4", List.of("mpeg4"),
            "mjpeg", List.of("mjpeg"),
            "prores", List.of("prores_ks"),
            "ffv1", List.of("ffv1"));

    private static final Map<String, String> CODEC_LABELS = Map.of("h264", "H.264", "mpeg4", "MPEG-4 Part 2",
            "mjpeg", "Motion JPEG", "prores", "ProRes", "ffv1", "FFV1");

    /** Encoders fed yuv420p explicitly: the lavfi sources are RGB, and the encoders' own pick varies by build. */
    private static final Set<String> YUV420_CODECS = Set.of("libx264", "libopenh264", "mpeg4", "mpeg2video", "ffv1",
            "libvpx", "libvpx-vp9", "libaom-av1", "libsvtav1", "h264", "hevc", "libx265");

    /**
     * Tags the MP4/MOV muxer stores as standard iTunes/QuickTime atoms. Any other key is silently dropped unless
     * the muxer is told to write free-form "mdta" keys, which changes where the standard ones are stored too.
     */
    private static final Set<String> MOV_STANDARD_TAGS = Set.of("title", "artist", "album_artist", "album",
            "comment", "genre", "copyright", "date", "composer", "description", "synopsis", "show", "episode_id",
            "network", "lyrics", "track", "disc", "grouping", "encoder");

    /** Output containers by file extension. */
    enum Container {
        MP4("mp4", "mov_text"), MKV("matroska", "srt"), MOV("mov", "mov_text");

        final String muxer;
        final String subtitleCodec;

        Container(String muxer, String subtitleCodec) {
            this.muxer = muxer;
            this.subtitleCodec = subtitleCodec;
        }

        static Container of(Path output) {
            String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".mp4")) {
                return MP4;
            }
            if (name.endsWith(".mkv")) {
                return MKV;
            }
            if (name.endsWith(".mov")) {
                return MOV;
            }
            throw new IllegalArgumentException("Output must end in .mp4, .mkv or .mov: " + output);
        }
    }

    private final FfmpegTools tools;
    private final Duration timeout;

    public ClipSynth() {
        this(FfmpegTools.defaults());
    }

    public ClipSynth(FfmpegTools tools) {
        this(tools, DEFAULT_TIMEOUT);
    }

    public ClipSynth(FfmpegTools tools, Duration timeout) {
        this.tools = tools;
        this.timeout = timeout;
    }

    /** The encoder this build has for {@code codec} (a key of {@link #VIDEO_ENCODERS}), if any. */
    public java.util.Optional<String> encoderFor(String codec) {
        List<String> candidates = VIDEO_ENCODERS.get(codec);
        if (candidates == null) {
            throw new IllegalArgumentException("unknown video codec '" + codec + "'; known: " + VIDEO_ENCODERS.keySet());
        }
        return candidates.stream().filter(tools::hasEncoder).findFirst();
    }

    /**
     * As {@link #encoderFor} but a build without one is a {@link MediaException} naming the codec and the
     * encoders that would do, e.g. "This ffmpeg has no H.264 encoder (libx264 or libopenh264): ffmpeg 5.1 ...".
     */
    public String requireEncoderFor(String codec) {
        return encoderFor(codec).orElseThrow(() -> new MediaException("This ffmpeg has no "
                + CODEC_LABELS.getOrDefault(codec, codec) + " encoder (" + String.join(" or ", VIDEO_ENCODERS.get(codec))
                + "): " + tools.describe()));
    }

    /** The codec (a key of {@link #VIDEO_ENCODERS}) that {@code encoder} makes, or the encoder's own name. */
    public static String codecOf(String encoder) {
        for (var e : VIDEO_ENCODERS.entrySet()) {
            if (e.getValue().contains(encoder)) return e.getKey();
        }
        return encoder;
    }

    /** The codecs of {@link #VIDEO_ENCODERS} this build can make, each with the encoder that would make it. */
    public Map<String, String> availableVideoCodecs() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String codec : VIDEO_ENCODERS.keySet()) {
            encoderFor(codec).ifPresent(e -> out.put(codec, e));
        }
        return out;
    }

    /** The first of libx264, libopenh264, mpeg4 that this ffmpeg has (the bundled build: libopenh264). */
    public String defaultVideoCodec() {
        return firstAvailable(VIDEO_CODEC_PREFERENCE, "video");
    }

    /** The first of aac, libopus, libmp3lame that this ffmpeg has (aac is ffmpeg's own, so always). */
    public String defaultAudioCodec() {
        return firstAvailable(AUDIO_CODEC_PREFERENCE, "audio");
    }

    /**
     * Writes the clip {@code spec} describes to {@code output} (.mp4, .mkv or .mov), via a temp file renamed
     * into place; parent directories are created and an existing file is replaced.
     */
    public Path synthesize(ClipSpec spec, Path output) {
        Container container = Container.of(output);
        String videoCodec = spec.videoCodec() != null ? spec.videoCodec() : defaultVideoCodec();
        List<Path> scratch = new ArrayList<>();
        try (AtomicOutput out = AtomicOutput.create(output)) {
            if (!tools.hasEncoder(videoCodec)) {
                throw new MediaException("ffmpeg could not synthesize " + output + ": this ffmpeg has no '" + videoCodec
                        + "' encoder (" + tools.describe() + ")");
            }
            List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
            List<String> maps = new ArrayList<>(List.of("-map", "0:v:0"));
            int input = 0;

            args.addAll(List.of("-f", "lavfi", "-i", videoSource(spec)));
            input++;

            for (int i = 0; i < spec.audioTrackCount(); i++) {
                // A different tone per track, so tracks are tell-apart-able by ear and by checksum.
                args.addAll(List.of("-f", "lavfi", "-i", String.format(Locale.ROOT,
                        "sine=frequency=%d:sample_rate=48000:duration=%s", 440 + 220 * i, num(spec.durationSeconds()))));
                maps.addAll(List.of("-map", input++ + ":a:0"));
            }

            if (spec.subtitle()) {
                Path srt = scratchFile(scratch, ".srt", srt(spec.durationSeconds()));
                args.addAll(List.of("-i", srt.toString()));
                maps.addAll(List.of("-map", input++ + ":s:0"));
            }

            if (!spec.metadata().isEmpty()) {
                // Tags go through an FFMETADATA file, not -metadata arguments: ComfyUI workflow JSON easily
                // exceeds Linux's 128 KiB limit on a single command-line argument.
                Path meta = scratchFile(scratch, ".ffmeta", ffmetadata(spec.metadata()));
                args.addAll(List.of("-f", "ffmetadata", "-i", meta.toString()));
                maps.addAll(List.of("-map_metadata", String.valueOf(input++)));
            }

            args.addAll(maps);
            args.addAll(List.of("-c:v", videoCodec));
            String pixFmt = "mjpeg".equals(videoCodec) ? "yuvj420p" : "prores_ks".equals(videoCodec) ? "yuv422p10le"
                    : YUV420_CODECS.contains(videoCodec) ? "yuv420p" : null;
            if (pixFmt != null) {
                args.addAll(List.of("-pix_fmt", pixFmt));
            }
            if (spec.audioTrackCount() > 0) {
                args.addAll(List.of("-c:a", defaultAudioCodec(), "-b:a", "64k"));
                for (int i = 0; i < spec.audioTrackCount(); i++) {
                    args.addAll(List.of("-metadata:s:a:" + i, "title=Tone " + (440 + 220 * i) + " Hz"));
                }
            }
            if (spec.subtitle()) {
                args.addAll(List.of("-c:s", container.subtitleCodec, "-metadata:s:s:0", "language=eng"));
            }
            if (container != Container.MKV
                    && !MOV_STANDARD_TAGS.containsAll(spec.metadata().keySet().stream()
                    .map(k -> k.toLowerCase(Locale.ROOT)).toList())) {
                args.addAll(List.of("-movflags", "+use_metadata_tags"));
            }
            args.addAll(List.of("-t", num(spec.durationSeconds()), "-f", container.muxer, out.temp().toString()));

            ProcessRunner.Result r = tools.runFfmpeg(args, timeout);
            if (!r.ok()) {
                throw ProcessRunner.failure("ffmpeg could not synthesize " + out.target() + " (" + spec.width() + "x"
                        + spec.height() + ", " + videoCodec + ", " + container.muxer + ")", r);
            }
            return FileModes.asNewFile(out.commit()); // a clip people open, not an owner-only temp file
        } finally {
            for (Path p : scratch) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // temp dir clutter at worst
                }
            }
        }
    }

    private static String videoSource(ClipSpec spec) {
        String base = spec.pattern().filter() + "=size=" + spec.width() + "x" + spec.height() + ":rate=" + num(spec.fps());
        // mandelbrot has no duration option; the output -t bounds it (and every other source) anyway.
        return spec.pattern() == ClipSpec.Pattern.MANDELBROT ? base : base + ":duration=" + num(spec.durationSeconds());
    }

    /** One cue per second (at least one), each ending before the next starts. */
    static String srt(double durationSeconds) {
        StringBuilder sb = new StringBuilder();
        int cues = Math.max(1, (int) Math.floor(durationSeconds));
        double cueLength = Math.min(1.0, durationSeconds) * 0.8;
        for (int i = 0; i < cues; i++) {
            sb.append(i + 1).append('\n')
                    .append(srtTime(i)).append(" --> ").append(srtTime(i + cueLength)).append('\n')
                    .append("Reelmark test subtitle ").append(i + 1).append("\n\n");
        }
        return sb.toString();
    }

    private static String srtTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    /** FFMETADATA1 text: '=', ';', '#', '\' and newlines in keys and values are backslash-escaped. */
    static String ffmetadata(Map<String, String> tags) {
        StringBuilder sb = new StringBuilder(";FFMETADATA1\n");
        tags.forEach((k, v) -> sb.append(escapeFfmetadata(k)).append('=').append(escapeFfmetadata(v)).append('\n'));
        return sb.toString();
    }

    static String escapeFfmetadata(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ';' || c == '#' || c == '\\' || c == '\n') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Locale-proof number text without a pointless ".0" (ffmpeg would read "1,5" as garbage). */
    static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "");
    }

    private String firstAvailable(List<String> preference, String kind) {
        for (String codec : preference) {
            if (tools.hasEncoder(codec)) {
                return codec;
            }
        }
        throw new MediaException("This ffmpeg has none of the " + kind + " encoders " + preference + ": "
                + tools.describe());
    }

    private static Map<String, List<String>> orderedMap(Object... kv) {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") List<String> v = (List<String>) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Path scratchFile(List<Path> scratch, String suffix, String content) {
        try {
            Path p = Files.createTempFile("reelmark-clip-", suffix);
            scratch.add(p);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a temp " + suffix + " file", e);
        }
    }
}
