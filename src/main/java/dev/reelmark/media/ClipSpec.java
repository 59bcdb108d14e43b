package dev.reelmark.media;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ClipSynth} should make. The container comes from the output file's extension.
 *
 * @param width            pixels; keep it even (H.264 and yuv420p need even sizes)
 * @param height           pixels; keep it even
 * @param fps              frames per second
 * @param durationSeconds  clip length
 * @param videoCodec       an ffmpeg encoder name ("libopenh264", "mpeg4", "mjpeg", "ffv1", ...), or null for
 *                         {@link ClipSynth#defaultVideoCodec()}
 * @param audio            add a sine-tone audio track
 * @param extraAudioTracks further audio tracks beyond the first (each a different tone); more than 0 implies
 *                         the first one too
 * @param subtitle         add a subtitle stream (mov_text in MP4/MOV, SubRip in MKV)
 * @param metadata         container tags such as comment and title; values may be any text, any length
 * @param pattern          the lavfi test source that draws the frames
 */
public record ClipSpec(int width, int height, double fps, double durationSeconds, String videoCodec,
                       boolean audio, int extraAudioTracks, boolean subtitle, Map<String, String> metadata,
                       Pattern pattern) {

    /** lavfi video sources; all are generated, so clips need no input files. */
    public enum Pattern {
        TESTSRC("testsrc"), TESTSRC2("testsrc2"), SMPTEBARS("smptebars"), MANDELBROT("mandelbrot");

        private final String filter;

        Pattern(String filter) {
            this.filter = filter;
        }

        public String filter() {
            return filter;
        }
    }

    public ClipSpec {
        if (width <= 0 || height <= 0 || width > 7680 || height > 4320) {
            throw new IllegalArgumentException("size must be within 1x1..7680x4320, was " + width + "x" + height);
        }
        if (!(fps > 0 && fps <= 240)) {
            throw new IllegalArgumentException("fps must be in (0, 240], was " + fps);
        }
        if (!(durationSeconds > 0 && durationSeconds <= 3600)) {
            throw new IllegalArgumentException("durationSeconds must be in (0, 3600], was " + durationSeconds);
        }
        if (extraAudioTracks < 0 || extraAudioTracks > 16) {
            throw new IllegalArgumentException("extraAudioTracks must be in 0..16, was " + extraAudioTracks);
        }
        if (videoCodec != null && videoCodec.isBlank()) {
            videoCodec = null;
        }
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (String key : metadata.keySet()) {
            if (key == null || key.isEmpty() || !key.matches("[A-Za-z0-9_.:-]+")) {
                throw new IllegalArgumentException("metadata keys must be plain words, was '" + key + "'");
            }
            Objects.requireNonNull(metadata.get(key), "metadata value for " + key);
        }
        pattern = pattern == null ? Pattern.TESTSRC : pattern;
    }

    /** A silent, untagged clip of the given size, rate and length with the default codec. */
    public static ClipSpec of(int width, int height, double fps, double durationSeconds) {
        return new ClipSpec(width, height, fps, durationSeconds, null, false, 0, false, Map.of(), Pattern.TESTSRC);
    }

    /** 320x180, 24 fps, 1 s: small enough for tests, shaped like real 16:9 output. */
    public static ClipSpec small() {
        return of(320, 180, 24, 1);
    }

    public ClipSpec withVideoCodec(String codec) {
        return new ClipSpec(width, height, fps, durationSeconds, codec, audio, extraAudioTracks, subtitle, metadata,
                pattern);
    }

    public ClipSpec withAudio(boolean withAudio) {
        return new ClipSpec(width, height, fps, durationSeconds, videoCodec, withAudio, extraAudioTracks, subtitle,
                metadata, pattern);
    }

    public ClipSpec withExtraAudioTracks(int count) {
        return new ClipSpec(width, height, fps, durationSeconds, videoCodec, audio, count, subtitle, metadata,
                pattern);
    }

    public ClipSpec withSubtitle(boolean withSubtitle) {
        return new ClipSpec(width, height, fps, durationSeconds, videoCodec, audio, extraAudioTracks, withSubtitle,
                metadata, pattern);
    }

    public ClipSpec withMetadata(Map<String, String> tags) {
        return new ClipSpec(width, height, fps, durationSeconds, videoCodec, audio, extraAudioTracks, subtitle, tags,
                pattern);
    }

    /** Adds (or replaces) one container tag, keeping the others. */
    public ClipSpec withTag(String key, String value) {
        Map<String, String> tags = new LinkedHashMap<>(metadata);
        tags.put(key, value);
        return withMetadata(tags);
    }

    public ClipSpec withPattern(Pattern p) {
        return new ClipSpec(width, height, fps, durationSeconds, videoCodec, audio, extraAudioTracks, subtitle,
                metadata, p);
    }

    /** Number of audio streams the clip will have. */
    public int audioTrackCount() {
        return audio || extraAudioTracks > 0 ? 1 + extraAudioTracks : 0;
    }
}
