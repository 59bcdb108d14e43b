package dev.reelmark.metadata;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.reelmark.json.Json;
import dev.reelmark.media.MediaIdentity;

import java.time.Instant;
import java.util.List;

/**
 * One media file a metadata file was built from, as it was then: a segment's video or a character's image, by
 * catalog id and stored path, with its {@link MediaIdentity.Identity} (real path, size, mtime, SHA-256).
 */
public record MediaUse(@JsonProperty("kind") String kind, @JsonProperty("id") long id, @JsonProperty("path") String path,
                       @JsonProperty("real_path") String realPath, @JsonProperty("size") long size,
                       @JsonProperty("mtime") String mtime, @JsonProperty("sha256") String sha256) {
    public static final String SEGMENT_VIDEO = "segment_video";
    public static final String IMAGE = "image";

    static MediaUse of(String kind, long id, String path, MediaIdentity.Identity identity) {
        return new MediaUse(kind, id, path, identity.realPath(), identity.size(), identity.mtime().toString(), identity.sha256());
    }

    MediaIdentity.Identity identity() {
        return new MediaIdentity.Identity(realPath, size, Instant.parse(mtime), sha256);
    }

    /** "the video of segment 12 (scenes/a.mp4)", "image 3 (images/ava.png)". */
    String describe() {
        return (SEGMENT_VIDEO.equals(kind) ? "the video of segment " + id : "image " + id) + " (" + path + ")";
    }

    static String write(List<MediaUse> uses) {
        return Json.write(uses);
    }

    /** The recorded list, or null when the column is empty (a file written before media were recorded). */
    static List<MediaUse> read(String json) {
        if (json == null || json.isBlank()) return null;
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<MediaUse>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("metadata_generations.media is not a media list: " + e.getMessage(), e);
        }
    }
}
