package dev.reelmark.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reelmark.errors.InvalidInput;
import dev.reelmark.errors.NotFound;
import dev.reelmark.media.MediaRoots;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;


/**
 * What people call a segment and a character on screen: "Chloé Martin — dance · seg 0", not "#13 (index 0)", and
 * the character's current source image as its picture. One query for many segments, so a list of jobs or stale
 * segments names every row with one request.
 */
public final class SegmentLabels {
    static final int MAX_IDS = 500;

    private final CatalogReads reads;
    private final MediaRoots roots;

    public SegmentLabels(CatalogReads reads, MediaRoots roots) {
        this.reads = reads;
        this.roots = roots;
    }

    /** One segment's label and where it sits. */
    public record Label(@JsonProperty("segment_id") long segmentId, @JsonProperty("label") String label,
                        @JsonProperty("character_id") long characterId, @JsonProperty("character_name") String characterName,
                        @JsonProperty("scene_id") long sceneId, @JsonProperty("scene_name") String sceneName,
                        @JsonProperty("scene_type") String sceneType, @JsonProperty("sequence_index") int sequenceIndex,
                        @JsonProperty("status") String status, @JsonProperty("has_video") boolean hasVideo) {
    }

    /** The label of a segment in its context: character — scene type · seg N. */
    public static String label(SegmentContext c) {
        String type = c.sceneTypeName() == null ? c.scene().name() : c.sceneTypeName();
        return c.character().name() + " — " + type + " · seg " + c.segment().sequenceIndex();
    }

    /** Labels of the segments that exist among {@code ids}, in the order asked; unknown ids are left out. */
    public List<Label> labels(List<Long> ids) {
        if (ids.size() > MAX_IDS) throw InvalidInput.field("ids", "at most " + MAX_IDS + " ids at once, got " + ids.size());
        Set<Long> unique = new LinkedHashSet<>(ids);
        List<SegmentContext> found = new ArrayList<>(reads.contexts(unique));
        List<Long> order = List.copyOf(unique);
        found.sort(Comparator.comparingInt(c -> order.indexOf(c.segmentId())));
        return found.stream().map(c -> new Label(c.segmentId(), label(c), c.characterId(), c.character().name(),
                c.sceneId(), c.scene().name(), c.sceneTypeName(), c.segment().sequenceIndex(), c.segment().status(),
                c.segment().outputVideoPath() != null)).toList();
    }

    /** The character's current source image (a confined real path), if it has one that exists. */
    public Optional<Path> portrait(long characterId) {
        reads.character(characterId).orElseThrow(() -> NotFound.of("character", characterId));
        return reads.imagesOf(List.of(characterId)).stream()
                .filter(i -> i.currentVersion() && i.path() != null)
                .sorted(Comparator.comparing((Image i) -> !i.isSource()).thenComparingLong(Image::id))
                .map(i -> roots.resolve(i.path()))
                .flatMap(Optional::stream)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /** The image content type by extension (the formats ffmpeg and browsers share). */
    public static String imageType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) return "image/png";
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
        if (name.endsWith(".webp")) return "image/webp";
        if (name.endsWith(".gif")) return "image/gif";
        return "application/octet-stream";
    }
}
