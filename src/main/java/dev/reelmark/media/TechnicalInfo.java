package dev.reelmark.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.nio.file.Path;

/**
 * A probed video's technical facts with the API's names ({@code container}, {@code duration_seconds}, {@code codec},
 * ...): one shape for {@code GET /api/segments/{id}/technical-info} and {@code reelmark probe --json}.
 */
public final class TechnicalInfo {
    private TechnicalInfo() {
    }

    /** Adds the facts of {@code r} (the file at {@code path}) to {@code info}, after whatever it holds already. */
    public static ObjectNode fill(ObjectNode info, Path path, ProbeResult r) {
        info.put("path", path == null ? null : path.toString());
        info.put("container", r.formatName());
        info.put("duration_seconds", r.durationSeconds());
        info.put("width", r.width());
        info.put("height", r.height());
        info.put("resolution", r.resolution());
        info.put("codec", r.videoCodec());
        info.put("fps", r.fps());
        info.put("pixel_format", r.pixelFormat());
        info.put("color_space", r.colorSpace());
        info.put("frame_count", r.frameCount());
        info.put("size_bytes", r.sizeBytes());
        info.put("bit_rate", r.bitRate());
        var streams = info.putArray("streams");
        for (var stream : r.streams()) {
            var node = streams.addObject().put("index", stream.index()).put("codec_type", stream.codecType())
                    .put("codec_name", stream.codecName());
            node.set("tags", Json.MAPPER.valueToTree(stream.tags()));
        }
        info.set("tags", Json.MAPPER.valueToTree(r.tags()));
        info.put("content_type", BrowserPlayback.contentType(r));
        info.put("browser_playable", BrowserPlayback.playable(r));
        return info;
    }
}
