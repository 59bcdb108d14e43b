package dev.reelmark.catalog;

import java.time.Instant;
import java.util.List;

/** A segment's quality record: the overall score (0..1) and the failures found. */
public record SegmentQuality(long id, long segmentId, double overallScore, List<String> failureTags, Instant createdAt,
                             Instant updatedAt) {
    public SegmentQuality {
        failureTags = failureTags == null ? List.of() : List.copyOf(failureTags);
    }
}
