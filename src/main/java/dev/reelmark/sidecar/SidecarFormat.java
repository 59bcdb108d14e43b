package dev.reelmark.sidecar;

import dev.reelmark.errors.InvalidInput;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The sidecar file formats. {@link Granularity} says how many files one export writes: one per video (named after
 * the video: {@code scene_video.mp4 -> scene_video.xml}), one per scene, or one per export.
 */
public enum SidecarFormat {
    XML("xml", "xml", "application/xml", Granularity.VIDEO),
    CSV("csv", "csv", "text/csv", Granularity.VIDEO),
    CLIP_CSV("clip_csv", "csv", "text/csv", Granularity.EXPORT),
    ALE("ale", "ale", "text/plain", Granularity.EXPORT),
    OTIO("otio", "otio", "application/json", Granularity.SCENE),
    NK("nk", "nk", "text/plain", Granularity.EXPORT);

    public enum Granularity { VIDEO, SCENE, EXPORT }

    private final String value;
    private final String extension;
    private final String contentType;
    private final Granularity granularity;

    SidecarFormat(String value, String extension, String contentType, Granularity granularity) {
        this.value = value;
        this.extension = extension;
        this.contentType = contentType;
        this.granularity = granularity;
    }

    public String value() {
        return value;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public Granularity granularity() {
        return granularity;
    }

    public static String allValues() {
        return Arrays.stream(values()).map(SidecarFormat::value).collect(Collectors.joining(", "));
    }

    public static SidecarFormat parse(String field, String raw) {
        for (SidecarFormat f : values()) if (f.value.equals(raw)) return f;
        throw InvalidInput.field(field, "must be one of " + allValues() + ", got '" + raw + "'");
    }
}
