package dev.reelmark.media;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What ffprobe says about a media file. Video fields describe the first real video stream (cover art is
 * skipped) and are 0/null when there is none. Numbers ffprobe does not know are 0.
 *
 * @param path            absolute path of the probed file
 * @param formatName      ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm"
 * @param durationSeconds container duration (falls back to the longest stream)
 * @param sizeBytes       file size
 * @param width           video width in pixels
 * @param height          video height in pixels
 * @param videoCodec      e.g. "h264", "mpeg4", "hevc", "av1"
 * @param fps             average frame rate (avg_frame_rate, else r_frame_rate)
 * @param pixelFormat     e.g. "yuv420p"
 * @param colorSpace      e.g. "bt709"; null when absent or "unknown"
 * @param frameCount      nb_frames, else the packet count from -count_packets (Matroska has no nb_frames)
 * @param bitRate         overall bit rate in bits/s
 * @param tags            container tags with lowercase keys, in file order; includes "comment"
 * @param streams         every stream, in index order
 * @param rawJson         ffprobe's full JSON output, kept so nothing it said is lost
 */
public record ProbeResult(Path path, String formatName, double durationSeconds, long sizeBytes,
                          int width, int height, String videoCodec, double fps, String pixelFormat,
                          String colorSpace, long frameCount, long bitRate, Map<String, String> tags,
                          List<StreamInfo> streams, String rawJson) {

    public ProbeResult {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** The container's comment tag, where ComfyUI and similar tools put their prompt/workflow JSON. */
    public Optional<String> comment() {
        return tag("comment");
    }

    /** A container tag by name, case-insensitively. */
    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key.toLowerCase(Locale.ROOT)));
    }

    /** "1920x1080", or "" when there is no video stream. */
    public String resolution() {
        return hasVideo() ? width + "x" + height : "";
    }

    public boolean hasVideo() {
        return videoCodec != null && width > 0 && height > 0;
    }

    /** Streams of one codec type ("video", "audio", "subtitle", "data"). */
    public List<StreamInfo> streams(String codecType) {
        return streams.stream().filter(s -> codecType.equals(s.codecType())).toList();
    }
}
