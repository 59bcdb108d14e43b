package dev.reelmark.footage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;
import dev.reelmark.media.ProbeResult;
import dev.reelmark.media.StreamInfo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A clip's technical info as ffprobe measured it (through the server's one probe cache). */
public record ProbeFacts(Path file, String container, double durationSeconds, int width, int height, String codec,
                         double fps, String pixelFormat, String colorSpace, long frameCount, long sizeBytes,
                         long bitRate, List<StreamInfo> streams, Map<String, String> tags) {

    public static ProbeFacts of(ProbeResult r) {
        return new ProbeFacts(r.path(), r.formatName(), r.durationSeconds(), r.width(), r.height(), r.videoCodec(), r.fps(),
                r.pixelFormat(), r.colorSpace(), r.frameCount(), r.sizeBytes(), r.bitRate(), r.streams(), r.tags());
    }

    /** "1920x1080", or "" without a video stream. */
    public String resolution() {
        return codec != null && width > 0 && height > 0 ? width + "x" + height : "";
    }

    /** The container comment, where ComfyUI leaves its graph and tag writing the {@code People:} line. */
    public String comment() {
        return tags.get("comment");
    }

    public boolean hasAudio() {
        return streams.stream().anyMatch(s -> "audio".equals(s.codecType()));
    }

    /** The technical-info object the API and the artifacts show (snake_case; streams and tags included). */
    public ObjectNode toJson() {
        ObjectNode info = Json.object();
        info.put("path", file.toString());
        info.put("container", container);
        info.put("duration_seconds", durationSeconds);
        info.put("width", width);
        info.put("height", height);
        info.put("resolution", resolution());
        info.put("codec", codec);
        info.put("fps", fps);
        info.put("pixel_format", pixelFormat);
        info.put("color_space", colorSpace);
        info.put("frame_count", frameCount);
        info.put("size_bytes", sizeBytes);
        info.put("bit_rate", bitRate);
        var array = info.putArray("streams");
        for (StreamInfo s : streams) {
            var node = array.addObject().put("index", s.index()).put("codec_type", s.codecType()).put("codec_name", s.codecName());
            node.set("tags", Json.MAPPER.valueToTree(s.tags()));
        }
        info.set("tags", Json.MAPPER.valueToTree(tags));
        return info;
    }
}
