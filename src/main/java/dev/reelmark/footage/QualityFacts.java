package dev.reelmark.footage;

import java.util.List;

/** A segment's quality record: overall score (null when not scored) and failure tags. */
public record QualityFacts(Double overallScore, List<String> failureTags) {
    public static final QualityFacts NONE = new QualityFacts(null, List.of());

    public QualityFacts {
        failureTags = failureTags == null ? List.of() : List.copyOf(failureTags);
    }

    public boolean scored() {
        return overallScore != null;
    }
}
