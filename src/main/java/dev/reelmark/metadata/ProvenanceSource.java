package dev.reelmark.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.json.Json;

import java.util.List;

/**
 * Where the {@code provenance} block of {@code video_metadata.json} comes from. The catalog does not yet link a
 * segment to the workflow, model and LoRA versions that made it (those are recorded by generation receipts, a
 * separate feature), so the default {@link #UNKNOWN} says so explicitly: {@code workflow_name "unknown"}, no
 * model version, no LoRAs, empty parameters. The provenance feature plugs in its own implementation through
 * {@link MetadataService.Options#withProvenance}; a scene's file becomes stale when {@link #sourceUpdatedAt}
 * moves past the recorded generation.
 */
public interface ProvenanceSource {
    /** The provenance of one scene; {@code segmentIds} in sequence order. Never null. */
    VideoMetadata.ProvenanceInfo provenance(long sceneId, List<Long> segmentIds);

    /**
     * The newest change of the provenance records behind a scene (ISO-8601), or null when there are none; it
     * takes part in staleness like the scene's own {@code updated_at}.
     */
    default String sourceUpdatedAt(long sceneId, List<Long> segmentIds) {
        return null;
    }

    /**
     * This source with what it knows about these segments loaded at once, for a batch of many scenes; answers for
     * other segments may be missing from the view. The default has nothing to load and returns itself.
     */
    default ProvenanceSource prefetch(java.util.Collection<Long> segmentIds) {
        return this;
    }

    /** No provenance recorded: the explicit "unknown" answer. */
    ProvenanceSource UNKNOWN = (sceneId, segmentIds) -> unknown();

    static VideoMetadata.ProvenanceInfo unknown() {
        ObjectNode parameters = Json.object();
        return new VideoMetadata.ProvenanceInfo("unknown", null, List.of(), parameters);
    }
}
