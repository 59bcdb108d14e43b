package dev.reelmark.footage;

import java.util.Collection;
import java.util.Map;

/**
 * The newest generation receipt of each segment, as {@link GenerationFacts} with source {@code receipt}.
 * Provenance implements it; the composition root wires it into the segment-facts module, which depends on no feature.
 */
public interface LatestReceipts {
    /** Facts of the latest receipt for each of these segments that has one; segments without a receipt are absent. */
    Map<Long, GenerationFacts> latest(Collection<Long> segmentIds);

    LatestReceipts NONE = ids -> Map.of();
}
