package dev.reelmark.media;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One stream of a media file as ffprobe reports it.
 *
 * @param index     ffprobe's stream index (0-based, container order)
 * @param codecType "video", "audio", "subtitle", "data" or "attachment"
 * @param codecName e.g. "h264", "aac", "subrip", "mov_text"; null when ffprobe does not know it
 * @param tags      stream tags with lowercase keys (Matroska writes some keys uppercase), in file order
 */
public record StreamInfo(int index, String codecType, String codecName, Map<String, String> tags) {

    public StreamInfo {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public boolean isVideo() {
        return "video".equals(codecType);
    }

    public boolean isAudio() {
        return "audio".equals(codecType);
    }

    public boolean isSubtitle() {
        return "subtitle".equals(codecType);
    }

    /** The ISO 639 language tag, absent when missing or "und" (undetermined, which MP4 writes by default). */
    public Optional<String> language() {
        String lang = tags.get("language");
        return lang == null || lang.isBlank() || "und".equals(lang) ? Optional.empty() : Optional.of(lang);
    }
}
