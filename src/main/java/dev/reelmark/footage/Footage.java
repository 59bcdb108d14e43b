package dev.reelmark.footage;

import dev.reelmark.catalog.SegmentContext;

import java.nio.file.Path;

/**
 * Everything the studio knows about one segment's clip: where it sits in the catalog, the confined path of its video
 * (null when it has none or it is outside the media roots), ffprobe's technical info (null when missing or unreadable:
 * {@code probeError} says why), its quality record and its generation facts with their source.
 */
public record Footage(SegmentContext place, String storedPath, Path file, ProbeFacts probe, String probeError,
                      QualityFacts quality, GenerationFacts generation) {
    public long segmentId() {
        return place.segmentId();
    }
}
