package dev.reelmark.catalog;

import java.time.Instant;

/** One segment of a scene; its clip is the video at {@code outputVideoPath} (relative to the data directory unless absolute). */
public record Segment(long id, long sceneId, int sequenceIndex, String seedFramePath, String outputVideoPath,
                      String lastFramePath, String status, Instant createdAt, Instant updatedAt) {
}
